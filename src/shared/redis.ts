import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { RedisTarget } from './config.js';

/**
 * The one way anything here connects to Redis, by role. Workers must wait for Redis forever
 * (`maxRetriesPerRequest: null`, as BullMQ requires for blocking commands); producers (watcher,
 * CLI) fail fast so a Redis outage surfaces as `redis_unavailable` instead of a hung enqueue; a
 * probe (is Redis there? stop it) connects when asked, once, and never retries.
 */
export type RedisRole = 'worker' | 'producer' | 'probe';

/** A connection to one server (or the master of a Sentinel set-up), or to a Redis Cluster: BullMQ takes either. */
export type RedisClient = Redis | Cluster;

const reconnectDelay = (times: number): number => Math.min(200 * 2 ** Math.min(times, 6), 5_000);

function roleOptions(role: RedisRole): RedisOptions {
  switch (role) {
    case 'probe':
      return { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2_000, retryStrategy: () => null };
    case 'worker':
      return { maxRetriesPerRequest: null, enableReadyCheck: true, retryStrategy: reconnectDelay };
    case 'producer':
      return {
        maxRetriesPerRequest: 2,
        enableOfflineQueue: true,
        connectTimeout: 5_000,
        retryStrategy: reconnectDelay,
      };
  }
}

/**
 * `target` as configured, or a single server's URL (the local stack, tests). A connection's errors
 * (refused, reset: it reconnects by itself) go to `onError`; without one they are dropped here, as
 * every command that fails meanwhile reports its own error to its caller.
 */
export function createRedis(
  target: RedisTarget | string,
  role: RedisRole,
  onError: (err: Error) => void = () => undefined,
): RedisClient {
  const t: RedisTarget =
    typeof target === 'string' ? { kind: 'server', url: target, username: undefined, password: undefined } : target;
  const options: RedisOptions = {
    ...roleOptions(role),
    ...(t.username ? { username: t.username } : {}),
    ...(t.password ? { password: t.password.reveal() } : {}),
  };
  let client: RedisClient;
  switch (t.kind) {
    case 'server':
      client = new Redis(t.url, options);
      break;
    case 'sentinel':
      client = new Redis({
        ...options,
        sentinels: t.sentinels.map((s) => ({ ...s })),
        name: t.name,
        ...(t.sentinelPassword ? { sentinelPassword: t.sentinelPassword.reveal() } : {}),
        // Ask the sentinels again at once when they announce a new master, instead of waiting for
        // the old connection to fail; a probe asks them once.
        failoverDetector: role !== 'probe',
        sentinelRetryStrategy: role === 'probe' ? () => null : reconnectDelay,
      });
      break;
    case 'cluster': {
      const { retryStrategy, ...perNode } = options;
      const clusterOptions: ClusterOptions = {
        redisOptions: perNode,
        lazyConnect: perNode.lazyConnect ?? false,
        clusterRetryStrategy: retryStrategy ?? undefined,
        enableReadyCheck: true,
        // A failover moves slots: retry the command once the cluster has named the new master.
        retryDelayOnFailover: 200,
        retryDelayOnClusterDown: 300,
      };
      client = new Cluster(
        t.nodes.map((n) => ({ ...n })),
        clusterOptions,
      );
      break;
    }
  }
  // A probe reports by its answer: its connection errors are expected.
  client.on('error', role === 'probe' ? () => undefined : onError);
  return client;
}

/** Whether Redis answers PING (one short-lived probe connection). */
export async function redisAnswers(target: RedisTarget | string): Promise<boolean> {
  const r = createRedis(target, 'probe');
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}
