import { randomUUID } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import { mkdtempSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, withServices, type RedisTarget, type ServiceConfig } from '../../src/shared/config.js';
import { createRedis } from '../../src/shared/redis.js';
import { stackUp } from '../../tools/stack/index.js';

/**
 * The real services for integration tests: REDIS_URL / ELASTICSEARCH_URL when set, else the local
 * stack (brought up if needed, as `npm test` does before the runner). Isolation is by name, not by
 * mocks: each test gets its own queue prefix, index alias and inbox.
 */
export async function testConfig(overrides: Record<string, string> = {}): Promise<ServiceConfig> {
  const id = `t${process.pid}-${randomUUID().slice(0, 8)}`;
  const base = loadConfig({
    ...process.env,
    INBOX_DIR: mkdtempSync(join(tmpdir(), 'cable-inbox-')),
    ELASTICSEARCH_INDEX: `cables-test-${id}`,
    QUEUE_PREFIX: `test:${id}`,
    OPS_PORT: '0',
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    WATCH_STABILITY_MS: '150',
    ...overrides,
  });
  const stack = await stackUp(base);
  return withServices(base, stack.redis.url, stack.elasticsearch.url);
}

/** Poll until `check` returns a value (not null/undefined/false), or fail after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | null | undefined | false>,
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v !== null && v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

/**
 * Delete a test alias's indices and templates, its failures index too. Names are explicit: ES refuses
 * wildcard deletes.
 */
export async function dropCableIndex(es: Client, alias: string): Promise<void> {
  for (const name of alias.endsWith('-failures') ? [alias] : [alias, `${alias}-failures`]) {
    const found = await es.indices.get({ index: `${name}-v*`, allow_no_indices: true, ignore_unavailable: true });
    const names = Object.keys(found);
    if (names.length > 0) await es.indices.delete({ index: names, ignore_unavailable: true });
    await es.indices.deleteIndexTemplate({ name }).catch(() => undefined);
  }
}

/** Remove a test's queues (both) from Redis. */
export async function obliterateQueues(config: { redis: RedisTarget; queuePrefix: string }): Promise<void> {
  const { Queue } = await import('bullmq');
  const { QUEUE } = await import('../../src/shared/queues.js');
  const redis = createRedis(config.redis, 'worker');
  try {
    for (const name of [QUEUE.cables, QUEUE.deadLetter]) {
      const q = new Queue(name, { connection: redis, prefix: config.queuePrefix });
      await q.obliterate({ force: true });
      await q.close();
    }
  } finally {
    redis.disconnect();
  }
}

/** The environment that points a `cable-ingest` child process at a test's own names and services. */
export function cliEnv(config: ServiceConfig, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    INBOX_DIR: config.inboxDir,
    ELASTICSEARCH_INDEX: config.indexAlias,
    QUEUE_PREFIX: config.queuePrefix,
    ...redisEnv(config.redis),
    ELASTICSEARCH_URL: config.elasticsearchUrl,
    OPS_PORT: '0',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** Stop an in-process pipeline and remove everything the test made (queues, indices). */
export async function stopAndClean(
  running: { stop(): Promise<void> },
  config: ServiceConfig,
  es: Client,
): Promise<void> {
  try {
    await running.stop();
    await obliterateQueues(config);
    await dropCableIndex(es, config.indexAlias);
  } finally {
    await es.close();
  }
}

/** A single server's URL (the tests' Redis): for test code that opens connections of its own. */
export function redisUrlOf(config: { redis: RedisTarget }): string {
  if (config.redis.kind !== 'server') throw new Error(`a test expected one Redis server, not ${config.redis.kind}`);
  return config.redis.url;
}

/**
 * A connection of test code's own to one Redis server (a test's config, or a URL). It waits for Redis
 * as a worker does, and, like every connection the product opens, it has an error listener: a test
 * that stops or restarts its server must not leave a client printing "Unhandled error event" while
 * it reconnects. Close it with `disconnect()` in a `finally`, so that a failed assertion cannot
 * leave it reconnecting to a stopped server and hold the test file open.
 */
export function testRedis(target: { redis: RedisTarget } | string): Redis {
  return createRedis(typeof target === 'string' ? target : redisUrlOf(target), 'worker') as Redis;
}

/** The environment that names `target` to a child process, as a user would set it. */
export function redisEnv(target: RedisTarget): Record<string, string> {
  const hosts = (hs: readonly { host: string; port: number }[]): string =>
    hs.map((h) => `${h.host}:${h.port}`).join(',');
  const auth = {
    ...(target.username ? { REDIS_USERNAME: target.username } : {}),
    ...(target.password ? { REDIS_PASSWORD: target.password.reveal() } : {}),
  };
  switch (target.kind) {
    case 'server':
      return { REDIS_URL: target.url, ...auth };
    case 'sentinel':
      return {
        REDIS_SENTINELS: hosts(target.sentinels),
        REDIS_SENTINEL_NAME: target.name,
        ...(target.sentinelPassword ? { REDIS_SENTINEL_PASSWORD: target.sentinelPassword.reveal() } : {}),
        ...auth,
      };
    case 'cluster':
      return { REDIS_CLUSTER_NODES: hosts(target.nodes), ...auth };
  }
}
