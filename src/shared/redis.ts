import { Redis, type RedisOptions } from 'ioredis';

/**
 * The one way anything here connects to Redis, by role. Workers must wait for Redis forever
 * (`maxRetriesPerRequest: null`, as BullMQ requires for blocking commands); producers (watcher,
 * CLI) fail fast so a Redis outage surfaces as `redis_unavailable` instead of a hung enqueue; a
 * probe (is Redis there? stop it) connects when asked, once, and never retries.
 */
export type RedisRole = 'worker' | 'producer' | 'probe';

export function createRedis(url: string, role: RedisRole): Redis {
  if (role === 'probe') {
    const r = new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      connectTimeout: 2_000,
      retryStrategy: () => null,
    });
    // A probe reports by its answer: connection errors are expected, not events to crash on.
    r.on('error', () => undefined);
    return r;
  }
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

/** Whether a Redis at `url` answers PING (one short-lived probe connection). */
export async function redisAnswers(url: string): Promise<boolean> {
  const r = createRedis(url, 'probe');
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}
