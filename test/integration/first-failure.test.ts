import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ServiceConfig } from '../../src/shared/config.js';
import { listDeadLetters } from '../../src/shared/dead-letter.js';
import type { BulkIndexer } from '../../src/shared/elasticsearch/bulk.js';
import { failure } from '../../src/shared/errors.js';
import { createLogger } from '../../src/shared/logger.js';
import { QUEUE } from '../../src/shared/queues.js';
import { loadReferenceData } from '../../src/shared/reference/load.js';
import type { CableDocument, IndexResult } from '../../src/shared/stages.js';
import { OutageBackoff } from '../../src/workers/outage.js';
import { createDeadLetterer, createProcessor } from '../../src/workers/processor.js';
import { SEEDS_DIR } from '../helpers/paths.js';
import { eventually, obliterateQueues, testConfig, testRedis } from '../helpers/services.js';

/**
 * Issue #27, defect 1: a dead letter's `firstFailedAt` is when the file first failed, kept in the
 * job across attempts; BullMQ resets `processedOn` at every attempt. The processor runs in a real
 * BullMQ worker on the real Redis; only the bulk writer is replaced, by one that answers every
 * write with a transient conflict (what Elasticsearch does is not what this test is about).
 */
describe('a dead letter remembers when its file first failed', () => {
  let config: ServiceConfig;
  let redis: Redis;
  let cables: Queue;
  let dlq: Queue;
  let worker: Worker;
  let workerConnection: Redis;
  const attemptsAt: number[] = [];

  before(async () => {
    config = await testConfig();
    redis = testRedis(config);
    cables = new Queue(QUEUE.cables, { connection: redis, prefix: config.queuePrefix });
    dlq = new Queue(QUEUE.deadLetter, { connection: redis, prefix: config.queuePrefix });
    const log = createLogger(config);
    const indexer = {
      index: async (doc: CableDocument): Promise<IndexResult> => {
        attemptsAt.push(Date.now());
        return { ok: false, id: doc.cable_id, failure: failure('es_version_conflict', 'kept changing') };
      },
    } as unknown as BulkIndexer;
    const processor = createProcessor({
      ref: loadReferenceData(),
      indexer,
      deadLetters: createDeadLetterer({ dlq, log }),
      maxFileBytes: 1_000_000,
      log,
      loadBlobs: async (keys) => keys.map(() => null),
      pauseQueue: async () => undefined,
      outage: new OutageBackoff(),
      maxStalled: 2,
    });
    workerConnection = testRedis(config);
    worker = new Worker(QUEUE.cables, processor, {
      connection: workerConnection,
      prefix: config.queuePrefix,
    });
  });

  after(async () => {
    await worker.close();
    workerConnection.disconnect();
    await cables.close();
    await dlq.close();
    await obliterateQueues(config);
    redis.disconnect();
  });

  it('three attempts 400 ms apart: firstFailedAt is the first attempt, not the last', async () => {
    const seed = readdirSync(SEEDS_DIR)[0]!;
    const bytes = readFileSync(join(SEEDS_DIR, seed));
    await cables.add(
      'cables',
      {
        spool: { id: 'spool1', host: 'here' },
        batch: 'b1',
        files: [
          {
            name: `0~${seed}`,
            path: `/inbox/${seed}`,
            sha256: createHash('sha256').update(bytes).digest('hex'),
            size: bytes.length,
            detectedAt: new Date().toISOString(),
            content: bytes.toString('latin1'),
          },
        ],
      },
      { attempts: 3, backoff: { type: 'fixed', delay: 400 } },
    );
    const [entry] = await eventually('the dead letter', async () => {
      const all = await listDeadLetters(dlq);
      return all.length === 1 ? all : null;
    });
    assert.equal(attemptsAt.length, 3);
    assert.equal(entry!.entry.code, 'retries_exhausted');
    assert.equal(entry!.entry.causeCode, 'es_version_conflict');
    const first = Date.parse(entry!.entry.firstFailedAt);
    // The first attempt's failure, within the time that attempt took, long before the last one.
    assert.ok(
      Math.abs(first - attemptsAt[0]!) < 300,
      `firstFailedAt ${first} against the first attempt ${attemptsAt[0]}`,
    );
    assert.ok(attemptsAt[2]! - first >= 700, 'two backoffs lie between the first failure and the last attempt');
  });
});
