import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { runRoles, type Running } from '../../src/app/run.js';
import { withServices, type RedisTarget, type ServiceConfig } from '../../src/shared/config.js';
import { createEsClient } from '../../src/shared/elasticsearch/client.js';
import { createLogger } from '../../src/shared/logger.js';
import { QUEUE } from '../../src/shared/queues.js';
import { createRedis } from '../../src/shared/redis.js';
import { dropGeneratedCables } from '../helpers/drop-cables.js';
import { startRedisCluster, startSentinelSet } from '../helpers/redis-topology.js';
import { dropCableIndex, eventually, testConfig } from '../helpers/services.js';

const CABLES = 5_000;

/**
 * Issue #28: Redis as production runs it. The master is SIGKILLed during a 5,000-cable drop, once
 * under Sentinel and once in a Redis Cluster (the master holding the queues' slot). Replication is
 * asynchronous, so acknowledged jobs may be lost with the master: the spool's sweep queues those
 * files again. Every cable is indexed exactly once, nothing is dead-lettered, nothing is left claimed.
 */
async function dropAndKillMaster(
  what: string,
  config: ServiceConfig,
  kill: () => Promise<{ from: number; to: number }>,
): Promise<void> {
  const es = createEsClient(config);
  let running: Running | null = null;
  try {
    running = await runRoles(config, ['worker', 'watcher'], createLogger(config));
    dropGeneratedCables(config.inboxDir, CABLES, 30);
    const count = async (): Promise<number> => {
      await es.indices.refresh({ index: config.indexAlias });
      return (await es.count({ index: config.indexAlias })).count;
    };
    await eventually('a first part indexed', async () => (await count()) >= 500, 120_000, 100);
    const killedAt = await count();
    const { from, to } = await kill();
    await eventually('every cable indexed', async () => (await count()) >= CABLES, 300_000, 500);
    assert.equal(await count(), CABLES, 'each cable once');
    await eventually(
      'nothing left claimed',
      async () => readdirSync(join(config.spoolDir, 'claimed')).length === 0,
      120_000,
      500,
    );
    const admin = createRedis(config.redis, 'worker');
    const dlq = new Queue(QUEUE.deadLetter, { connection: admin, prefix: config.queuePrefix });
    try {
      assert.equal(await dlq.count(), 0, 'nothing dead-lettered');
    } finally {
      await dlq.close();
      admin.disconnect();
    }
    process.stdout.write(
      `# ${what}: master ${from} killed at ${killedAt} indexed, ${to} promoted; ${CABLES} indexed once, 0 dead-lettered, 0 left claimed\n`,
    );
  } finally {
    await running?.stop();
    await dropCableIndex(es, config.indexAlias);
    await es.close();
  }
}

async function configFor(target: RedisTarget, hashTag: boolean): Promise<ServiceConfig> {
  const base = await testConfig();
  const c = withServices(base, target, base.elasticsearchUrl);
  return hashTag ? Object.freeze({ ...c, queuePrefix: `{${c.queuePrefix}}` }) : c;
}

describe('Redis under Sentinel: the master killed during a drop', () => {
  let set: Awaited<ReturnType<typeof startSentinelSet>>;
  before(async () => {
    set = await startSentinelSet(26400, { password: 'redis-pass-28', sentinelPassword: 'sentinel-pass-28' });
  });
  after(async () => set?.stop());

  it(`${CABLES} cables: failover, each indexed once, none dead-lettered, none left claimed`, async () => {
    const config = await configFor(set.target, false);
    await dropAndKillMaster('sentinel', config, () => set.killMasterAndAwaitFailover());
  });
});

describe('Redis Cluster: the master of the queues slot killed during a drop', () => {
  let set: Awaited<ReturnType<typeof startRedisCluster>>;
  before(async () => {
    set = await startRedisCluster(17400, { password: 'cluster-pass-28' });
  });
  after(async () => set?.stop());

  it(`${CABLES} cables: failover, each indexed once, none dead-lettered, none left claimed`, async () => {
    const config = await configFor(set.target, true);
    // Every key of the queues and the blobs hashes to the prefix's tag: one slot, one master.
    const tag = config.queuePrefix;
    await dropAndKillMaster('redis cluster', config, () => set.killMasterOfAndAwaitFailover(tag));
  });
});
