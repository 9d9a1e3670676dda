import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisAnswers } from '../../src/shared/redis.js';
import { eventually } from './services.js';

/**
 * A redis-server of the test's own, on a free loopback port, with append-only persistence
 * (fsync on every write), so a test may restart it under load without touching the shared one.
 */
export interface PrivateRedis {
  url: string;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startPrivateRedis(options: { password?: string } = {}): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'cable-redis-'));
  const auth = options.password ? ['--requirepass', options.password] : [];
  const url = options.password
    ? `redis://:${encodeURIComponent(options.password)}@127.0.0.1:${port}`
    : `redis://127.0.0.1:${port}`;
  let proc: ChildProcess | null = null;
  const up = async (): Promise<void> => {
    proc = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--maxmemory-policy',
        'noeviction',
        '--save',
        '',
        ...auth,
      ],
      { stdio: 'ignore' },
    );
    await eventually('private redis', () => redisAnswers(url), 10_000);
  };
  const down = async (): Promise<void> => {
    if (!proc) return;
    const p = proc;
    const exited = new Promise((r) => p.once('exit', r));
    spawnSync('redis-cli', [
      '-p',
      String(port),
      ...(options.password ? ['--no-auth-warning', '-a', options.password] : []),
      'shutdown',
    ]);
    await exited;
    proc = null;
  };
  await up();
  return {
    url,
    async restart() {
      await down();
      await up();
    },
    async stop() {
      await down();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
