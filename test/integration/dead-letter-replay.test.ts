import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@elastic/elasticsearch';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig, withServices, type ServiceConfig } from '../../src/shared/config.js';
import { listDeadLetters, replayDeadLetter } from '../../src/shared/dead-letter.js';
import { failuresAlias } from '../../src/shared/elasticsearch/failures-index.js';
import { createLogger } from '../../src/shared/logger.js';
import { QUEUE } from '../../src/shared/queues.js';
import { runRoles } from '../../src/ops/run.js';
import { Spool } from '../../src/watcher/spool.js';
import { SEEDS_DIR } from '../helpers/paths.js';
import { dropCableIndex, eventually, testConfig } from '../helpers/services.js';

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
    return withServices(c, base.redisUrl, base.elasticsearchUrl);
  };

  let spool: Spool;

  before(async () => {
    base = await testConfig();
    spool = await Spool.open(base.spoolDir, base.inboxDir);
    es = new Client({ node: base.elasticsearchUrl });
    redis = new Redis(base.redisUrl, { maxRetriesPerRequest: null });
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
    await es.indices.refresh({ index: failuresAlias(base.indexAlias) });
    const failures = await es.search({ index: failuresAlias(base.indexAlias), query: { term: { reason: 'too_large' } } });
    assert.equal(failures.hits.hits.length, 1, 'the failure is searchable in Elasticsearch');
    await strict.stop();

    // The original waits in the spool's failed area, its reason beside it.
    const failed = spool.failedPath(entry!.entry.job.sha256, entry!.entry.job.path);
    await eventually('the original in the failed area', async () => existsSync(`${failed}.reason.json`) || null);
    assert.equal(JSON.parse(readFileSync(`${failed}.reason.json`, 'utf8')).code, 'too_large');

    // The operator raises the limit, restarts, and replays: the file goes back to the inbox and is indexed.
    const fixed = await runRoles(withLimit(5 * 1024 * 1024), ['worker', 'watcher'], createLogger(base));
    const restore = (sha: string): Promise<string | null> => spool.restoreFailed(sha);
    assert.equal(await replayDeadLetter(dlq, entry!.id, restore), 'replayed');
    assert.equal(await replayDeadLetter(dlq, entry!.id, restore), 'not_found', 'a second replay finds nothing to do');
    await eventually('the replayed cable indexed', async () => (await es.exists({ index: base.indexAlias, id: '07MOSCOW584' })) || null);
    await es.indices.refresh({ index: base.indexAlias });
    assert.equal((await es.count({ index: base.indexAlias })).count, 1);
    assert.deepEqual(await listDeadLetters(dlq), []);
    assert.equal(existsSync(failed), false, 'the failed area no longer holds it');
    await fixed.stop();
  });
});
