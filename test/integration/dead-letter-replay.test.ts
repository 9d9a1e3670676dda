import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@elastic/elasticsearch';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { loadConfig, withServices, type ServiceConfig } from '../../src/shared/config.js';
import {
  deadLetter,
  listDeadLetters,
  replayDeadLetter,
  type FailedOriginals,
  type KeptOriginal,
} from '../../src/shared/dead-letter.js';
import { failure } from '../../src/shared/errors.js';
import type { DroppedFileJob } from '../../src/shared/job-data.js';
import { failuresAlias } from '../../src/shared/elasticsearch/failures-index.js';
import { createLogger } from '../../src/shared/logger.js';
import { QUEUE } from '../../src/shared/queues.js';
import { runRoles } from '../../src/app/run.js';
import { Spool } from '../../src/intake/spool.js';
import { SEEDS_DIR } from '../helpers/paths.js';
import { dropCableIndex, eventually, testConfig, testRedis } from '../helpers/services.js';

describe('dead-letter queue: inspect, fix the cause, replay (twice)', () => {
  let base: ServiceConfig;
  let es: Client;
  let redis: Redis;
  let cables: Queue;
  let dlq: Queue;
  const withLimit = (maxBytes: number): ServiceConfig => {
    const c = loadConfig({
      ...process.env,
      INBOX_DIR: base.inboxDir,
      SPOOL_DIR: base.spoolDir,
      ELASTICSEARCH_INDEX: base.indexAlias,
      QUEUE_PREFIX: base.queuePrefix,
      OPS_PORT: '0',
      LOG_LEVEL: 'silent',
      MAX_FILE_BYTES: String(maxBytes),
    });
    return withServices(c, base.redis, base.elasticsearchUrl);
  };

  let spool: Spool;

  before(async () => {
    base = await testConfig();
    spool = await Spool.open(base.spoolDir, base.inboxDir);
    es = new Client({ node: base.elasticsearchUrl });
    redis = testRedis(base);
    cables = new Queue(QUEUE.cables, { connection: redis, prefix: base.queuePrefix });
    dlq = new Queue(QUEUE.deadLetter, { connection: redis, prefix: base.queuePrefix });
  });
  after(async () => {
    try {
      await cables.obliterate({ force: true });
      await dlq.obliterate({ force: true });
      await dropCableIndex(es, base.indexAlias);
      await dropCableIndex(es, failuresAlias(base.indexAlias));
    } finally {
      await cables.close();
      await dlq.close();
      redis.disconnect();
      await es.close();
    }
  });

  it('a too-large cable is dead-lettered with its reason, searchable as a failure, and indexed once replayed', async () => {
    // A limit below the seed's size: the seed is dead-lettered as too_large.
    const strict = await runRoles(withLimit(1024), ['worker', 'watcher'], createLogger(base));
    copyFileSync(join(SEEDS_DIR, '000_c3a957b28fce9504.txt'), join(base.inboxDir, 'moscow.txt'));
    const [entry] = await eventually('a dead-letter entry', async () => {
      const l = await listDeadLetters(dlq);
      return l.length > 0 ? l : null;
    });
    assert.equal(entry?.entry.code, 'too_large');
    assert.equal(entry?.entry.stage, 'read');
    assert.equal(entry?.entry.attempts, 1);
    assert.equal(entry?.entry.job.path, join(base.inboxDir, 'moscow.txt'));
    // Too large to read into a job, its bytes are hashed all the same: the entry names the content.
    const content = readFileSync(join(SEEDS_DIR, '000_c3a957b28fce9504.txt'));
    assert.equal(entry?.entry.job.sha256, createHash('sha256').update(content).digest('hex'));
    assert.equal(entry?.id, entry?.entry.job.sha256);
    await es.indices.refresh({ index: failuresAlias(base.indexAlias) });
    const failures = await es.search({
      index: failuresAlias(base.indexAlias),
      query: { term: { reason: 'too_large' } },
    });
    assert.equal(failures.hits.hits.length, 1, 'the failure is searchable in Elasticsearch');
    await strict.stop();

    // The original waits in the spool's failed area, its reason beside it.
    const failed = spool.failedPath(entry!.id, entry!.entry.job.path);
    await eventually('the original in the failed area', async () => existsSync(`${failed}.reason.json`) || null);
    assert.equal(JSON.parse(readFileSync(`${failed}.reason.json`, 'utf8')).code, 'too_large');

    // The operator raises the limit, restarts, and replays: the file goes back to the inbox and is indexed.
    const fixed = await runRoles(withLimit(5 * 1024 * 1024), ['worker', 'watcher'], createLogger(base));
    assert.equal(await replayDeadLetter(dlq, entry!.id, spool), 'replayed');
    assert.equal(await replayDeadLetter(dlq, entry!.id, spool), 'not_found', 'a second replay finds nothing to do');
    await eventually(
      'the replayed cable indexed',
      async () => (await es.exists({ index: base.indexAlias, id: '07MOSCOW584' })) || null,
    );
    await es.indices.refresh({ index: base.indexAlias });
    assert.equal((await es.count({ index: base.indexAlias })).count, 1);
    assert.deepEqual(await listDeadLetters(dlq), []);
    assert.equal(existsSync(failed), false, 'the failed area no longer holds it');
    await fixed.stop();
  });
});

describe('replay: the entry goes before the file goes back', () => {
  let base: ServiceConfig;
  let redis: Redis;
  let dlq: Queue;
  const job: DroppedFileJob = {
    path: '/inbox/garden.txt',
    sha256: 'a'.repeat(64),
    size: 10,
    detectedAt: '2026-01-01T00:00:00.000Z',
  };
  const deadLetterAs = (parserVersion: string): Promise<unknown> =>
    deadLetter(dlq, job, failure('no_cable_header', 'not a cable'), {
      attempts: 1,
      firstFailedAt: '2026-01-01T00:00:00.000Z',
      parserVersion,
    });
  const original: KeptOriginal = { from: '/spool/failed/aaaaaaaaaaaa-garden.txt', to: job.path };

  before(async () => {
    base = await testConfig();
    redis = testRedis(base);
    dlq = new Queue(QUEUE.deadLetter, { connection: redis, prefix: base.queuePrefix });
  });
  after(async () => {
    await dlq.obliterate({ force: true });
    await dlq.close();
    redis.disconnect();
  });

  it('a file dead-lettered again as soon as it is back keeps its new entry', async () => {
    await deadLetterAs('0.1.0');
    const [entry] = await listDeadLetters(dlq);
    // The pipeline at its fastest: the file fails again before putBack has even returned.
    const racing: FailedOriginals = {
      findFailed: async () => original,
      putBack: async (o) => {
        await deadLetterAs('0.2.0');
        return o.to;
      },
    };
    assert.equal(await replayDeadLetter(dlq, entry!.id, racing), 'replayed');
    const after = await listDeadLetters(dlq);
    assert.deepEqual(
      after.map((r) => [r.id, r.entry.parserVersion]),
      [[job.sha256, '0.2.0']],
    );
    await dlq.obliterate({ force: true });
  });

  it('an original that cannot be put back keeps its entry', async () => {
    await deadLetterAs('0.1.0');
    const [entry] = await listDeadLetters(dlq);
    const failing: FailedOriginals = {
      findFailed: async () => original,
      putBack: async () => {
        throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      },
    };
    await assert.rejects(replayDeadLetter(dlq, entry!.id, failing), /EACCES/);
    const left = await listDeadLetters(dlq);
    assert.deepEqual(
      left.map((r) => [r.id, r.entry.parserVersion, r.entry.code]),
      [[job.sha256, '0.1.0', 'no_cable_header']],
    );
    assert.equal(await replayDeadLetter(dlq, entry!.id, { ...failing, findFailed: async () => null }), 'not_here');
    assert.equal((await listDeadLetters(dlq)).length, 1, 'not_here leaves the entry');
  });
});
