import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@elastic/elasticsearch';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { runRoles, type Running } from '../../src/app/run.js';
import type { ServiceConfig } from '../../src/shared/config.js';
import { createLogger } from '../../src/shared/logger.js';
import { QUEUE } from '../../src/shared/queues.js';
import { SEEDS_DIR } from '../helpers/paths.js';
import { dropCableIndex, eventually, testConfig, testRedis } from '../helpers/services.js';

/**
 * Files above JOB_INLINE_MAX_BYTES travel as Redis keys their job names, not in the job: the
 * worker reads a batch's in one request, indexes them like any other, and the keys leave Redis
 * with the job. Set low here so that every seed takes that path.
 */
describe('files that travel as Redis keys (JOB_INLINE_MAX_BYTES)', () => {
  let config: ServiceConfig;
  let running: Running;
  let es: Client;
  let redis: Redis;
  const finished: string[] = [];

  before(async () => {
    config = await testConfig({ JOB_INLINE_MAX_BYTES: '100' });
    es = new Client({ node: config.elasticsearchUrl });
    redis = testRedis(config);
    running = await runRoles(config, ['worker', 'watcher'], createLogger(config), {
      onFinished: (outcome) => finished.push(outcome),
    });
  });
  after(async () => {
    try {
      await running.stop();
      for (const q of [QUEUE.cables, QUEUE.deadLetter]) {
        const queue = new Queue(q, { connection: redis, prefix: config.queuePrefix });
        await queue.obliterate({ force: true });
        await queue.close();
      }
      await dropCableIndex(es, config.indexAlias);
    } finally {
      redis.disconnect();
      await es.close();
    }
  });

  it('every seed is indexed from its blob, and no blob is left in Redis', async () => {
    const seeds = readdirSync(SEEDS_DIR);
    // Seen while the batch is in flight: the bytes are in blob keys, not in the job.
    const blobKeysSeen = new Set<string>();
    const watchBlobs = setInterval(() => {
      void redis
        .keys(`${config.queuePrefix}:${QUEUE.cables}:blob:*`)
        .then((ks) => ks.forEach((k) => blobKeysSeen.add(k)));
    }, 5);
    try {
      for (const seed of seeds) {
        const tmp = join(config.inboxDir, `.${seed}.tmp`);
        copyFileSync(join(SEEDS_DIR, seed), tmp);
        renameSync(tmp, join(config.inboxDir, seed));
      }
      await eventually('both seeds finished', async () => finished.length >= seeds.length || null);
    } finally {
      clearInterval(watchBlobs);
    }
    assert.deepEqual(
      finished,
      seeds.map(() => 'indexed'),
    );
    await es.indices.refresh({ index: config.indexAlias });
    for (const id of ['07MOSCOW584', '07ULAANBAATAR693']) {
      const r = await es.get<{ ingest: { size: number } }>({ index: config.indexAlias, id });
      assert.ok((r._source?.ingest.size ?? 0) > 100, `${id} indexed from a file over the inline limit`);
    }
    assert.ok(blobKeysSeen.size > 0, 'the bytes travelled as blob keys');
    assert.deepEqual(await redis.keys(`${config.queuePrefix}:${QUEUE.cables}:blob:*`), []);
  });
});
