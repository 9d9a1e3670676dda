import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@elastic/elasticsearch';
import { Queue } from 'bullmq';
import { runRoles, type Running } from '../../src/app/run.js';
import { withServices, type ServiceConfig } from '../../src/shared/config.js';
import { createLogger } from '../../src/shared/logger.js';
import { QUEUE } from '../../src/shared/queues.js';
import { dropGeneratedCables } from '../helpers/drop-cables.js';
import { startPrivateRedis, type PrivateRedis } from '../helpers/private-redis.js';
import { dropCableIndex, eventually, testConfig, testRedis } from '../helpers/services.js';

const CABLES = 2_000;

/**
 * Issue #28: Redis replication is asynchronous, so a failover can lose acknowledged jobs. The
 * spool is the record: here Redis is emptied entirely (FLUSHALL) in the middle of a drop, and the
 * watcher's sweep finds its batches' jobs gone and queues the claimed files again. Every cable is
 * indexed exactly once, nothing is dead-lettered, nothing is left claimed.
 */
describe('Redis emptied in the middle of a drop', () => {
  let redisServer: PrivateRedis;
  let config: ServiceConfig;
  let running: Running;
  let es: Client;

  before(async () => {
    redisServer = await startPrivateRedis();
    const base = await testConfig();
    config = withServices(base, redisServer.url, base.elasticsearchUrl);
    es = new Client({ node: config.elasticsearchUrl });
    running = await runRoles(config, ['worker', 'watcher'], createLogger(config));
  });
  after(async () => {
    try {
      await running.stop();
      await dropCableIndex(es, config.indexAlias);
    } finally {
      await es.close();
      await redisServer.stop();
    }
  });

  it(`${CABLES} cables, FLUSHALL midway: each indexed once, none dead-lettered, none left claimed`, async () => {
    dropGeneratedCables(config.inboxDir, CABLES, 29);
    const count = async (): Promise<number> => {
      await es.indices.refresh({ index: config.indexAlias });
      return (await es.count({ index: config.indexAlias })).count;
    };
    await eventually('a first part indexed', async () => (await count()) >= 300, 120_000, 100);
    const admin = testRedis(config);
    try {
      const emptiedAt = await count();
      await admin.flushall();
      await eventually('every cable indexed', async () => (await count()) >= CABLES, 240_000, 500);
      assert.equal(await count(), CABLES, 'each cable once');
      const dlq = new Queue(QUEUE.deadLetter, { connection: admin, prefix: config.queuePrefix });
      try {
        assert.equal(await dlq.count(), 0, 'nothing dead-lettered');
      } finally {
        await dlq.close();
      }
      await eventually(
        'nothing left claimed',
        async () => readdirSync(join(config.spoolDir, 'claimed')).length === 0,
        60_000,
      );
      process.stdout.write(
        `# redis emptied at ${emptiedAt} indexed: ${CABLES} indexed once, 0 dead-lettered, 0 left claimed\n`,
      );
    } finally {
      admin.disconnect();
    }
  });
});
