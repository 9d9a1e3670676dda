import { Redis, type RedisOptions } from 'ioredis';

/**
 * Connections by role. Workers must wait for Redis forever (`maxRetriesPerRequest: null`, as
 * BullMQ requires for blocking commands); producers (watcher, CLI) fail fast so a Redis outage
 * surfaces as `redis_unavailable` instead of a hung enqueue.
 */
export type RedisRole = 'worker' | 'producer';

export function createRedis(url: string, role: RedisRole): Redis {
  const options: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : { maxRetriesPerRequest: 2, enableOfflineQueue: true, connectTimeout: 5_000 };
  return new Redis(url, {
    ...options,
    lazyConnect: false,
    retryStrategy: (times) => Math.min(200 * 2 ** Math.min(times, 6), 5_000),
  });
}
