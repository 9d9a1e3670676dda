import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@elastic/elasticsearch';
import { withServices, type ServiceConfig } from '../../src/shared/config.js';
import { createLogger } from '../../src/shared/logger.js';
import { runRoles, type Running } from '../../src/app/run.js';
import { startPrivateRedis, type PrivateRedis } from '../helpers/private-redis.js';
import { SEEDS_DIR } from '../helpers/paths.js';
import { dropCableIndex, eventually, testConfig, testRedis } from '../helpers/services.js';

/** Jobs carry cable text: a Redis that asks for a password is honoured by every connection. */
describe('Redis with a password', () => {
  let redisServer: PrivateRedis;
  let config: ServiceConfig;
  let running: Running;
  let es: Client;
  const password = 'cable-ingest test pass/1';

  before(async () => {
    redisServer = await startPrivateRedis({ password });
    const base = await testConfig();
    config = withServices(base, redisServer.url, base.elasticsearchUrl);
    es = new Client({ node: config.elasticsearchUrl });
    running = await runRoles(config, ['worker', 'watcher'], createLogger(config));
  });
  after(async () => {
    await running.stop();
    await dropCableIndex(es, config.indexAlias);
    await es.close();
    await redisServer.stop();
  });

  it('the server refuses a connection without it, and the pipeline (URL with the password) indexes the seeds', async () => {
    const port = new URL(redisServer.url).port;
    assert.match(
      spawnSync('redis-cli', ['-p', port, 'ping'], { encoding: 'utf8' }).stdout,
      /NOAUTH/,
      'the server asks for the password',
    );
    for (const seed of readdirSync(SEEDS_DIR)) copyFileSync(join(SEEDS_DIR, seed), join(config.inboxDir, seed));
    for (const id of ['07MOSCOW584', '07ULAANBAATAR693']) {
      await eventually(
        `${id} indexed`,
        async () => (await es.exists({ index: config.indexAlias, id })) || null,
        30_000,
      );
    }
    await eventually('the queue empty again (the text left Redis)', async () => {
      const r = testRedis(redisServer.url);
      try {
        // A job's hash (and a large file's blob) is named by its spool's id and batch.
        const keys = (await r.keys(`${config.queuePrefix}:cables:*`)).filter((k) =>
          /:cables:(blob:)?[0-9a-f]{10}[-:]/.test(k),
        );
        return keys.length === 0 || null;
      } finally {
        r.disconnect();
      }
    });
  });
});
