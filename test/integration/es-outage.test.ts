import assert from 'node:assert/strict';
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@elastic/elasticsearch';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { withServices, type ServiceConfig } from '../../src/shared/config.js';
import { createLogger } from '../../src/shared/logger.js';
import { QUEUE } from '../../src/shared/queues.js';
import { runRoles, type Running } from '../../src/app/run.js';
import { corpusPath } from '../helpers/paths.js';
import { dropCableIndex, eventually, testConfig, testRedis } from '../helpers/services.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

/**
 * Elasticsearch cut off under load (a proxy in front of the real node resets every connection):
 * the pipeline waits instead of dead-lettering, and indexes everything once Elasticsearch is back.
 */
describe('Elasticsearch outage under load (real node behind a cut-able proxy)', () => {
  let direct: ServiceConfig;
  let proxy: TcpProxy;
  let running: Running;
  let es: Client;
  let redis: Redis;
  let cables: Queue;
  let deadLetters: Queue;
  const files = readdirSync(corpusPath('dev'))
    .filter((n) => n.endsWith('.txt'))
    .slice(100, 130);

  before(async () => {
    direct = await testConfig();
    const target = new URL(direct.elasticsearchUrl);
    proxy = await startTcpProxy(target.hostname, Number(target.port));
    const viaProxy = withServices(direct, direct.redis, proxy.url('http'));
    es = new Client({ node: direct.elasticsearchUrl });
    redis = testRedis(direct);
    cables = new Queue(QUEUE.cables, { connection: redis, prefix: direct.queuePrefix });
    deadLetters = new Queue(QUEUE.deadLetter, { connection: redis, prefix: direct.queuePrefix });
    running = await runRoles(viaProxy, ['worker', 'watcher'], createLogger(viaProxy));
  });

  after(async () => {
    try {
      await running.stop();
      await cables.obliterate({ force: true });
      await deadLetters.obliterate({ force: true });
      await dropCableIndex(es, direct.indexAlias);
    } finally {
      await proxy.close();
      await cables.close();
      await deadLetters.close();
      redis.disconnect();
      await es.close();
    }
  });

  const count = async (): Promise<number> => {
    await es.indices.refresh({ index: direct.indexAlias });
    return (await es.count({ index: direct.indexAlias })).count;
  };

  it('waits while Elasticsearch is unreachable, dead-letters nothing, then indexes every cable', async () => {
    proxy.cut();
    const started = Date.now();
    for (const f of files) copyFileSync(corpusPath('dev', f), join(direct.inboxDir, f));
    // Every file reaches the queue, and the workers have met the outage.
    const queuedFiles = async (): Promise<number> =>
      (await cables.getJobs(['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed'])).reduce(
        (n, j) => n + ((j.data as { files?: unknown[] }).files?.length ?? 0),
        0,
      );
    await eventually('all files enqueued', async () => (await queuedFiles()) >= files.length, 30_000);
    await eventually(
      'workers to meet the outage',
      async () => (await redis.pttl(`${direct.queuePrefix}:${QUEUE.cables}:limiter`)) > 0,
      30_000,
    );
    await new Promise((r) => setTimeout(r, 3_000)); // the outage lasts a while
    assert.equal(await count(), 0);
    assert.equal(await deadLetters.count(), 0, 'nothing may be dead-lettered during an outage');
    // Health says so: not ready, naming Elasticsearch and the paused worker.
    const ready = await fetch(`${running.opsUrl}/readyz`);
    const body = (await ready.json()) as { checks: Record<string, { ok: boolean; detail?: string }> };
    assert.equal(ready.status, 503);
    assert.equal(body.checks['elasticsearch']?.ok, false);
    assert.match(body.checks['worker']?.detail ?? '', /paused by es_unavailable/);

    proxy.restore();
    const recovered = Date.now();
    await eventually('every cable indexed after the outage', async () => (await count()) === files.length, 90_000, 500);
    const secondsToRecover = (Date.now() - recovered) / 1000;
    assert.equal(await deadLetters.count(), 0);
    const failed = await cables.getFailedCount();
    assert.equal(failed, 0);
    assert.equal((await fetch(`${running.opsUrl}/readyz`)).status, 200, 'ready again after the outage');
    process.stdout.write(
      `es outage: ${files.length} dropped, ${files.length} indexed, 0 dead-lettered; outage ${((recovered - started) / 1000).toFixed(1)} s, recovered in ${secondsToRecover.toFixed(1)} s\n`,
    );
  });
});
