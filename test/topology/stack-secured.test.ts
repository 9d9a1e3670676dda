import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runRoles, type Running } from '../../src/app/run.js';
import { loadConfig, withServices } from '../../src/shared/config.js';
import { createEsClient } from '../../src/shared/elasticsearch/client.js';
import { createLogger } from '../../src/shared/logger.js';
import { stopSecuredLocalNode } from '../../tools/stack/secured-local.js';
import { PACKAGE_ROOT, SEEDS_DIR } from '../helpers/paths.js';
import { eventually, obliterateQueues, testConfig } from '../helpers/services.js';

/**
 * Issue #28: a local secured node is one command away for users. `stack up --secured` starts
 * Elasticsearch with security on and HTTPS and prints the settings to use; with exactly those
 * settings the pipeline ingests the seeds as the least-privilege user it names.
 */
describe('cable-ingest stack up --secured', () => {
  let running: Running | null = null;
  const cli = (): ReturnType<typeof spawnSync> =>
    spawnSync(process.execPath, [join(PACKAGE_ROOT, 'dist', 'src', 'ops', 'cli.js'), 'stack', 'up', '--secured'], {
      encoding: 'utf8',
      timeout: 300_000,
    });
  after(async () => {
    await running?.stop();
    stopSecuredLocalNode(loadConfig({ ...process.env }));
  });

  it('prints settings with which the pipeline ingests the seeds over HTTPS; a second call finds the node', async () => {
    const first = cli();
    assert.equal(first.status, 0, String(first.stderr));
    const out = String(first.stdout);
    const settings = Object.fromEntries(
      out
        .split('\n')
        .filter((l) => /^[A-Z_]+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    assert.match(settings['ELASTICSEARCH_URL'] ?? '', /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(settings['ELASTICSEARCH_USERNAME'], 'cable_ingest');
    const file = /settings \(also in (.+)\):/.exec(out)![1]!;
    assert.equal(statSync(file).mode & 0o077, 0, 'the settings file is readable by its owner only');

    const again = cli();
    assert.equal(again.status, 0, String(again.stderr));
    assert.ok(String(again.stdout).includes(`ELASTICSEARCH_PASSWORD=${settings['ELASTICSEARCH_PASSWORD']}`));

    const t = await testConfig();
    const config = withServices(
      loadConfig({
        ...settings,
        INBOX_DIR: t.inboxDir,
        ELASTICSEARCH_INDEX: 'cables',
        QUEUE_PREFIX: t.queuePrefix,
        OPS_PORT: '0',
        LOG_LEVEL: 'silent',
        WATCH_STABILITY_MS: '150',
      }),
      t.redis,
      settings['ELASTICSEARCH_URL']!,
    );
    running = await runRoles(config, ['worker', 'watcher'], createLogger(config));
    for (const s of readdirSync(SEEDS_DIR)) copyFileSync(join(SEEDS_DIR, s), join(config.inboxDir, s));
    const es = createEsClient(config);
    try {
      await eventually(
        'the seeds indexed on the secured node',
        async () => {
          await es.indices.refresh({ index: 'cables' });
          return (await es.count({ index: 'cables' })).count === readdirSync(SEEDS_DIR).length;
        },
        60_000,
        200,
      );
    } finally {
      await es.close();
      await running.stop();
      running = null;
      await obliterateQueues(config);
    }
  });
});
