import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@elastic/elasticsearch';
import type { ServiceConfig } from '../../src/shared/config.js';
import { createLogger } from '../../src/shared/logger.js';
import { runRoles, type Running } from '../../src/app/run.js';
import { SEEDS_DIR } from '../helpers/paths.js';
import { eventually, stopAndClean, testConfig } from '../helpers/services.js';

describe('polling mode (network mounts) and FINISHED_FILES=delete', () => {
  let config: ServiceConfig;
  let running: Running;
  let es: Client;

  before(async () => {
    config = await testConfig({ WATCH_POLLING: 'true', FINISHED_FILES: 'delete', RESCAN_INTERVAL_MS: '0' });
    es = new Client({ node: config.elasticsearchUrl });
    running = await runRoles(config, ['worker', 'watcher'], createLogger(config));
  });
  after(() => stopAndClean(running, config, es));

  it('a nested file seen by polling is indexed under the path it was dropped at, then deleted, leaving the spool empty', async () => {
    mkdirSync(join(config.inboxDir, '2007', 'feb'), { recursive: true });
    const dropped = join(config.inboxDir, '2007', 'feb', 'moscow.txt');
    copyFileSync(join(SEEDS_DIR, '000_c3a957b28fce9504.txt'), dropped);
    await eventually(
      'indexed',
      async () => (await es.exists({ index: config.indexAlias, id: '07MOSCOW584' })) || null,
      30_000,
    );
    await eventually(
      'the claimed batch finished',
      async () => readdirSync(join(config.spoolDir, 'claimed')).length === 0 || null,
      10_000,
    );
    assert.equal(existsSync(dropped), false);
    assert.deepEqual(readdirSync(join(config.spoolDir, 'done')), [], 'nothing kept');
    const doc = await es.get<{ ingest: { source_path: string } }>({ index: config.indexAlias, id: '07MOSCOW584' });
    assert.equal(doc._source?.ingest.source_path, dropped, 'the document names where the file was dropped');
  });
});
