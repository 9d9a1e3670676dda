import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RedisTarget } from '../../src/shared/config.js';
import { Secret } from '../../src/shared/secret.js';
import { redisAnswers } from '../../src/shared/redis.js';
import { eventually } from './services.js';

/**
 * Real Redis topologies for the tests, made of `redis-server` processes on loopback ports of their
 * own: a master with a replica under three sentinels, and a Redis Cluster of three masters each
 * with a replica. Every server runs with `noeviction` and append-only files, as production would.
 */

interface Server {
  port: number;
  proc: ChildProcess;
}

const HOST = '127.0.0.1';

function spawnServer(args: string[]): ChildProcess {
  const proc = spawn('redis-server', args, { stdio: 'ignore' });
  proc.on('error', () => undefined);
  return proc;
}

function cli(port: number, password: string | undefined, ...args: string[]): string {
  const r = spawnSync(
    'redis-cli',
    ['-h', HOST, '-p', String(port), ...(password ? ['--no-auth-warning', '-a', password] : []), ...args],
    {
      encoding: 'utf8',
    },
  );
  return `${r.stdout}${r.stderr}`.trim();
}

async function killHard(server: Server): Promise<void> {
  if (server.proc.exitCode !== null || server.proc.signalCode !== null) return;
  const exited = new Promise((r) => server.proc.once('exit', r));
  server.proc.kill('SIGKILL');
  await exited;
}

function serverArgs(port: number, dir: string, password: string | undefined): string[] {
  return [
    '--port',
    String(port),
    '--bind',
    HOST,
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--save',
    '',
    '--maxmemory-policy',
    'noeviction',
    ...(password ? ['--requirepass', password, '--masterauth', password] : []),
    ...(process.env['REDIS_TOPOLOGY_LOGS'] ? ['--logfile', join(dir, 'redis.log')] : []),
  ];
}

export interface SentinelSet {
  /** What the pipeline is given: the sentinels, the master's name, both passwords. */
  target: RedisTarget;
  /** The port of the server the sentinels name master now. */
  masterPort(): number;
  /** SIGKILL the current master; resolves once the sentinels have promoted the replica. */
  killMasterAndAwaitFailover(): Promise<{ from: number; to: number }>;
  stop(): Promise<void>;
}

/**
 * A master and a replica under three sentinels (quorum 2), which declare a master down after a
 * second without answer.
 */
export async function startSentinelSet(
  basePort: number,
  options: { password?: string; sentinelPassword?: string; name?: string } = {},
): Promise<SentinelSet> {
  const name = options.name ?? 'cables';
  const root = mkdtempSync(join(tmpdir(), 'cable-sentinel-'));
  const servers: Server[] = [];
  const sentinels: Server[] = [];
  for (const [i, port] of [basePort, basePort + 1].entries()) {
    const dir = join(root, `redis-${port}`);
    mkdirSync(dir);
    const args = serverArgs(port, dir, options.password);
    if (i === 1) args.push('--replicaof', HOST, String(basePort));
    servers.push({ port, proc: spawnServer(args) });
  }
  const serverUrl = (port: number): string =>
    options.password ? `redis://:${encodeURIComponent(options.password)}@${HOST}:${port}` : `redis://${HOST}:${port}`;
  for (const s of servers) await eventually(`redis ${s.port}`, () => redisAnswers(serverUrl(s.port)), 10_000);
  await eventually(
    'replica in sync',
    async () => /master_link_status:up/.test(cli(basePort + 1, options.password, 'info', 'replication')),
    10_000,
  );
  for (const port of [basePort + 10, basePort + 11, basePort + 12]) {
    const conf = join(root, `sentinel-${port}.conf`);
    writeFileSync(
      conf,
      [
        `port ${port}`,
        `bind ${HOST}`,
        `dir ${root}`,
        `sentinel monitor ${name} ${HOST} ${basePort} 2`,
        `sentinel down-after-milliseconds ${name} 1000`,
        `sentinel failover-timeout ${name} 5000`,
        `sentinel parallel-syncs ${name} 1`,
        ...(options.password ? [`sentinel auth-pass ${name} ${options.password}`] : []),
        ...(options.sentinelPassword ? [`requirepass ${options.sentinelPassword}`] : []),
        '',
      ].join('\n'),
    );
    sentinels.push({ port, proc: spawnServer([conf, '--sentinel']) });
  }
  const masterPort = (): number => {
    const out = cli(sentinels[0]!.port, options.sentinelPassword, 'sentinel', 'get-master-addr-by-name', name);
    const port = Number(out.split('\n')[1]);
    if (!Number.isInteger(port)) throw new Error(`sentinel answered ${out}`);
    return port;
  };
  await eventually(
    'sentinels see the replica and each other',
    async () => {
      const out = cli(sentinels[0]!.port, options.sentinelPassword, 'sentinel', 'master', name);
      const field = (k: string): number => Number(out.split('\n')[out.split('\n').indexOf(k) + 1]);
      return field('num-slaves') >= 1 && field('num-other-sentinels') >= 2;
    },
    30_000,
    200,
  );
  return {
    target: {
      kind: 'sentinel',
      sentinels: sentinels.map((s) => ({ host: HOST, port: s.port })),
      name,
      username: undefined,
      password: options.password ? new Secret(options.password) : undefined,
      sentinelPassword: options.sentinelPassword ? new Secret(options.sentinelPassword) : undefined,
    },
    masterPort,
    async killMasterAndAwaitFailover() {
      const from = masterPort();
      await killHard(servers.find((s) => s.port === from)!);
      await eventually('the sentinels promote the replica', async () => masterPort() !== from, 60_000, 200);
      return { from, to: masterPort() };
    },
    async stop() {
      for (const s of [...sentinels, ...servers]) await killHard(s);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface RedisClusterSet {
  target: RedisTarget;
  /** The port of the master that serves `key`'s slot. */
  masterOf(key: string): number;
  /** SIGKILL the master serving `key`; resolves once its replica has taken its slots over. */
  killMasterOfAndAwaitFailover(key: string): Promise<{ from: number; to: number }>;
  stop(): Promise<void>;
}

/**
 * Three masters, each with a replica (the cluster fails a master over after a second of silence).
 * Each node also listens on its port + 10000 (the cluster bus): keep that below the ephemeral range
 * (32768 and up), where an outgoing connection may hold it.
 */
export async function startRedisCluster(
  basePort: number,
  options: { password?: string } = {},
): Promise<RedisClusterSet> {
  const root = mkdtempSync(join(tmpdir(), 'cable-rcluster-'));
  const ports = [0, 1, 2, 3, 4, 5].map((i) => basePort + i);
  const servers: Server[] = ports.map((port) => {
    const dir = join(root, `node-${port}`);
    mkdirSync(dir);
    return {
      port,
      proc: spawnServer([
        ...serverArgs(port, dir, options.password),
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(dir, 'nodes.conf'),
        '--cluster-node-timeout',
        '1000',
        // A replica fails over however long ago it last heard its master: the test is about the
        // pipeline under a failover, not Redis's judgement of stale replicas.
        '--cluster-replica-validity-factor',
        '0',
      ]),
    };
  });
  const url = (port: number): string =>
    options.password ? `redis://:${encodeURIComponent(options.password)}@${HOST}:${port}` : `redis://${HOST}:${port}`;
  try {
    await formCluster();
  } catch (err) {
    // Servers that started are not left behind holding their ports.
    for (const s of servers) await killHard(s);
    throw err;
  }
  async function formCluster(): Promise<void> {
    for (const p of ports) await eventually(`redis ${p}`, () => redisAnswers(url(p)), 10_000);
    const created = cli(
      ports[0]!,
      options.password,
      '--cluster',
      'create',
      ...ports.map((p) => `${HOST}:${p}`),
      '--cluster-replicas',
      '1',
      '--cluster-yes',
    );
    if (!/All 16384 slots covered/.test(created)) throw new Error(`redis-cli --cluster create: ${created}`);
    await eventually(
      'cluster ok on every node',
      async () => ports.every((p) => /cluster_state:ok/.test(cli(p, options.password, 'cluster', 'info'))),
      30_000,
      200,
    );
    await eventually(
      'every replica in sync with its master',
      async () =>
        ports.filter((p) => /master_link_status:up/.test(cli(p, options.password, 'info', 'replication'))).length === 3,
      30_000,
      200,
    );
  }
  const alive = (): Server[] => servers.filter((s) => s.proc.exitCode === null && s.proc.signalCode === null);
  const masterOf = (key: string): number => {
    const via = alive()[0]!.port;
    const slot = Number(cli(via, options.password, 'cluster', 'keyslot', key));
    for (const line of cli(via, options.password, 'cluster', 'nodes').split('\n')) {
      const f = line.split(' ');
      if (!f[2]?.includes('master') || f[2].includes('fail')) continue;
      for (const range of f.slice(8)) {
        const [lo, hi] = range.split('-').map(Number);
        if (slot >= lo! && slot <= (hi ?? lo)!) return Number(f[1]!.split(':')[1]!.split('@')[0]);
      }
    }
    throw new Error(`no master serves slot ${slot}`);
  };
  return {
    target: {
      kind: 'cluster',
      nodes: ports.slice(0, 3).map((port) => ({ host: HOST, port })),
      username: undefined,
      password: options.password ? new Secret(options.password) : undefined,
    },
    masterOf,
    async killMasterOfAndAwaitFailover(key) {
      const from = masterOf(key);
      await killHard(servers.find((s) => s.port === from)!);
      await eventually(
        'a replica takes the slots over',
        async () => {
          try {
            return masterOf(key) !== from;
          } catch {
            return false;
          }
        },
        60_000,
        200,
      );
      return { from, to: masterOf(key) };
    },
    async stop() {
      for (const s of servers) await killHard(s);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
