import assert from 'node:assert/strict';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@elastic/elasticsearch';
import { Queue } from 'bullmq';
import { withServices, type ServiceConfig } from '../../src/shared/config.js';
import { createLogger } from '../../src/shared/logger.js';
import { QUEUE } from '../../src/shared/queues.js';
import { runRoles, type Running } from '../../src/app/run.js';
import { SEEDS_DIR } from '../helpers/paths.js';
import { startPrivateRedis, type PrivateRedis } from '../helpers/private-redis.js';
import { dropCableIndex, eventually, testConfig, testRedis } from '../helpers/services.js';

/** Distinct cables made from seed 000 by giving each its own serial: `07MOSCOW{n}`. */
function syntheticCable(serial: number): string {
  const seed = readFileSync(join(SEEDS_DIR, '000_c3a957b28fce9504.txt'), 'utf8');
  return seed
    .replace('#0584', `#${String(serial).padStart(4, '0')}`)
    .replace('MOSCOW 000584', `MOSCOW ${String(serial).padStart(6, '0')}`);
}

describe('fault matrix on a private Redis and the real Elasticsearch', () => {
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
      await dropCableIndex(es, `${config.indexAlias}-failures`);
    } finally {
      await es.close();
      await redisServer.stop();
    }
  });

  const drop = (name: string, text: string): void => {
    const tmp = join(config.inboxDir, `.${name}.tmp`);
    writeFileSync(tmp, text);
    renameSync(tmp, join(config.inboxDir, name));
  };
  const indexed = async (): Promise<number> => {
    await es.indices.refresh({ index: config.indexAlias });
    return (await es.count({ index: config.indexAlias })).count;
  };
  const dlqCount = async (): Promise<number> => {
    const r = testRedis(config);
    const q = new Queue(QUEUE.deadLetter, { connection: r, prefix: config.queuePrefix });
    try {
      return await q.count();
    } finally {
      await q.close();
      r.disconnect();
    }
  };

  it('a burst of 2,000 files: each indexed exactly once', async () => {
    const started = Date.now();
    for (let i = 1; i <= 2000; i++) drop(`burst-${i}.txt`, syntheticCable(10_000 + i));
    await eventually('2,000 cables indexed', async () => (await indexed()) >= 2000, 240_000, 500);
    const seconds = (Date.now() - started) / 1000;
    assert.equal(await indexed(), 2000);
    assert.equal(await dlqCount(), 0);
    process.stdout.write(
      `burst: 2000 dropped, 2000 indexed, 0 dead-lettered, 0 lost, 0 duplicated in ${seconds.toFixed(1)} s\n`,
    );
  });

  it('Redis restarted under load: the pipeline reconnects and loses nothing', async () => {
    for (let i = 1; i <= 200; i++) drop(`redis-${i}.txt`, syntheticCable(20_000 + i));
    await redisServer.restart();
    const restarted = Date.now();
    for (let i = 201; i <= 300; i++) drop(`redis-${i}.txt`, syntheticCable(20_000 + i));
    await eventually('all 2,300 cables indexed', async () => (await indexed()) >= 2300, 240_000, 500);
    assert.equal(await indexed(), 2300);
    assert.equal(await dlqCount(), 0);
    process.stdout.write(
      `redis restart: 300 dropped, 300 indexed, 0 dead-lettered, 0 lost, 0 duplicated; ${((Date.now() - restarted) / 1000).toFixed(1)} s from restart to all searchable\n`,
    );
  });
});
