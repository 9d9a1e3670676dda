import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RedisTarget } from '../../src/shared/config.js';
import { shownRedis } from '../../src/shared/connections.js';
import { createRedis, redisAnswers } from '../../src/shared/redis.js';
import { commandExists, isRoot, pidAlive, portOpen, run, waitFor } from './process.js';

export const LOCAL_REDIS = { host: '127.0.0.1', port: 6379 };

export interface ServiceStatus {
  url: string;
  /** who runs it: `configured`, `found` (already answering), or `started` (by us). */
  source: 'configured' | 'found' | 'started';
  stop: string;
  detail?: string;
}

/**
 * Redis: REDIS_URL if set; else 127.0.0.1:6379 if it answers; else a `redis-server` we start,
 * with append-only persistence and `noeviction` (BullMQ must never lose keys to eviction).
 */
export async function ensureRedis(configured: RedisTarget | undefined, home: string): Promise<ServiceStatus> {
  if (configured) {
    if (!(await redisAnswers(configured))) throw new Error(`${shownRedis(configured)} does not answer PING`);
    return { url: shownRedis(configured), source: 'configured', stop: 'configured outside cable-ingest' };
  }
  const url = `redis://${LOCAL_REDIS.host}:${LOCAL_REDIS.port}`;
  const dir = join(home, 'redis');
  const pidFile = join(dir, 'redis.pid');
  if (await redisAnswers(url)) {
    const ours = pidAlive(pidFile) !== null;
    return {
      url,
      source: ours ? 'started' : 'found',
      stop: ours ? 'npm run stack:down' : 'not started by cable-ingest',
    };
  }
  if (await portOpen(LOCAL_REDIS.host, LOCAL_REDIS.port)) {
    throw new Error(`port ${LOCAL_REDIS.port} is taken by something that is not Redis: free it or set REDIS_URL`);
  }
  if (!commandExists('redis-server')) {
    if (!isRoot())
      throw new Error('redis-server is not installed: run `sudo apt-get install -y redis-server`, or set REDIS_URL');
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', 'redis-server'], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
  mkdirSync(dir, { recursive: true });
  run('redis-server', [
    '--daemonize',
    'yes',
    '--bind',
    LOCAL_REDIS.host,
    '--port',
    String(LOCAL_REDIS.port),
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--maxmemory-policy',
    'noeviction',
    '--pidfile',
    pidFile,
    '--logfile',
    join(dir, 'redis.log'),
  ]);
  await waitFor('redis-server', () => redisAnswers(url), 15_000, 200);
  return { url, source: 'started', stop: 'npm run stack:down', detail: `data in ${dir}` };
}

export async function stopRedis(home: string): Promise<string> {
  const pidFile = join(home, 'redis', 'redis.pid');
  const pid = pidAlive(pidFile);
  if (pid === null) return 'redis: not started by cable-ingest, left alone';
  const r = createRedis(`redis://${LOCAL_REDIS.host}:${LOCAL_REDIS.port}`, 'probe');
  try {
    await r.call('SHUTDOWN');
  } catch {
    // SHUTDOWN closes the connection before answering.
  }
  r.disconnect();
  await waitFor('redis to stop', async () => pidAlive(pidFile) === null, 10_000, 200);
  return `redis: stopped (pid ${pid})`;
}
