import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Client } from '@elastic/elasticsearch';
import { Queue } from 'bullmq';
import { QUEUE } from '../../src/shared/queues.js';
import type { ServiceConfig } from '../../src/shared/config.js';
import { createLogger } from '../../src/shared/logger.js';
import { buildOpsServer } from '../../src/app/server.js';
import { runRoles, type Running } from '../../src/app/run.js';
import { PACKAGE_ROOT, SEEDS_DIR } from '../helpers/paths.js';
import { eventually, redisUrlOf, stopAndClean, testConfig, testRedis } from '../helpers/services.js';

function run(cmd: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), 60_000);
    p.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr: stderr.slice(-2000) });
    });
  });
}

const CLI = fileURLToPath(new URL('../../src/ops/cli.js', import.meta.url));
const hasChromium = spawnSync('sh', ['-c', 'command -v chromium'], { stdio: 'ignore' }).status === 0;

describe('operations: health, metrics, dashboard, status', () => {
  let config: ServiceConfig;
  let running: Running;
  let es: Client;

  before(async () => {
    config = await testConfig();
    es = new Client({ node: config.elasticsearchUrl });
    running = await runRoles(config, ['worker', 'watcher'], createLogger(config));
    for (const s of readdirSync(SEEDS_DIR)) copyFileSync(join(SEEDS_DIR, s), join(config.inboxDir, s));
    await eventually(
      'seeds indexed',
      async () =>
        ((await es.exists({ index: config.indexAlias, id: '07ULAANBAATAR693' })) &&
          (await es.exists({ index: config.indexAlias, id: '07MOSCOW584' }))) ||
        null,
    );
    // ... and finished by the watcher (kept under done/, their batch jobs removed).
    await eventually(
      'seeds finished',
      async () =>
        (await fetch(`${running.opsUrl}/metrics`).then((r) => r.text())).includes(
          'cable_ingest_files_finished_total{outcome="indexed"} 2',
        ) || null,
    );
  });
  after(() => stopAndClean(running, config, es));

  it('/healthz and /readyz answer 200', async () => {
    assert.equal((await fetch(`${running.opsUrl}/healthz`)).status, 200);
    assert.equal((await fetch(`${running.opsUrl}/readyz`)).status, 200);
  });

  it('/metrics has queue depth, latency histograms and the documented counters', async () => {
    const text = await (await fetch(`${running.opsUrl}/metrics`)).text();
    assert.match(text, /^cable_ingest_queue_jobs\{queue="cables",state="completed"\} 0$/m);
    assert.match(text, /^cable_ingest_intake_files_in_flight 0$/m);
    assert.match(text, /^cable_ingest_queue_jobs\{queue="cables-dead-letter",state="waiting"\} 0$/m);
    assert.match(text, /^cable_ingest_stage_duration_seconds_count\{stage="parse"\} 2$/m);
    assert.match(text, /^cable_ingest_drop_to_indexed_seconds_count 2$/m);
    assert.match(text, /^cable_ingest_documents_indexed_total\{result="(created|updated)"\} 2$/m);
    assert.match(text, /^cable_ingest_files_detected_total\{source="claim"\} 2$/m);
    assert.match(text, /^cable_ingest_bulk_documents_count \d+$/m);
  });

  it('/queues serves the Bull Board dashboard, listing both queues', async () => {
    const page = await fetch(`${running.opsUrl}/queues`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<title>cable-ingest<\/title>/);
    const api = (await (
      await fetch(`${running.opsUrl}/queues/api/queues?activeQueue=cables&status=latest&page=1`)
    ).json()) as { queues: Array<{ name: string }> };
    assert.deepEqual(api.queues.map((q) => q.name).sort(), ['cables', 'cables-dead-letter']);
  });

  it(
    'headless Chromium renders /queues with both queues (screenshot kept in test-artifacts/)',
    {
      skip:
        !hasChromium && process.env['CI'] !== 'true' ? 'chromium is not installed (apt-get install chromium)' : false,
    },
    async () => {
      const artifacts = join(PACKAGE_ROOT, 'test-artifacts');
      mkdirSync(artifacts, { recursive: true });
      const profile = join(artifacts, `.chromium-${process.pid}`);
      const flags = [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${profile}`,
        '--window-size=1280,800',
        '--virtual-time-budget=8000',
      ];
      try {
        // Asynchronously: the ops server answering Chromium runs in this very process.
        const dom = await run('chromium', [...flags, '--dump-dom', `${running.opsUrl}/queues`]);
        assert.equal(dom.status, 0, dom.stderr);
        assert.match(dom.stdout, />cables</);
        assert.match(dom.stdout, /cables-dead-letter/);
        const shot = await run('chromium', [
          ...flags,
          `--screenshot=${join(artifacts, 'queues.png')}`,
          `${running.opsUrl}/queues`,
        ]);
        assert.equal(shot.status, 0, shot.stderr);
        assert.ok(statSync(join(artifacts, 'queues.png')).size > 5_000, 'a screenshot was written');
      } finally {
        rmSync(profile, { recursive: true, force: true });
      }
    },
  );

  it('`cable-ingest status --json` prints valid JSON with counts, throughput and the index', async () => {
    // Counts come from search, which sees documents once the index refreshes (every second).
    await es.indices.refresh({ index: config.indexAlias });
    const env = {
      ...process.env,
      REDIS_URL: redisUrlOf(config),
      ELASTICSEARCH_URL: config.elasticsearchUrl,
      QUEUE_PREFIX: config.queuePrefix,
      ELASTICSEARCH_INDEX: config.indexAlias,
    };
    const res = spawnSync(process.execPath, [CLI, 'status', '--json'], { env, encoding: 'utf8' });
    assert.equal(res.status, 0, res.stderr);
    const s = JSON.parse(res.stdout) as {
      queues: Array<{ name: string; counts: Record<string, number> }>;
      index: { documents: number };
      throughput: { lastMinute: number };
    };
    assert.equal(s.queues[0]?.name, 'cables');
    assert.equal(s.queues[0]?.counts['completed'], 0, 'finished batches leave the queue (and their text with them)');
    assert.equal(s.index.documents, 2);
    assert.equal(s.throughput.lastMinute, 2);
  });
});

describe('beyond loopback, the dashboard and its API need the token (jobs carry cable text)', () => {
  it('/queues and /queues/api answer 403 with no token configured, 401 without it, 200 with it; the probes stay open', async () => {
    const config = await testConfig();
    const redis = testRedis(config);
    const queues = [new Queue(QUEUE.cables, { connection: redis, prefix: config.queuePrefix })];
    const token = 'b'.repeat(32);
    const unset = await buildOpsServer({ roles: [], checks: {}, host: '0.0.0.0', queues });
    const guarded = await buildOpsServer({ roles: [], checks: {}, host: '0.0.0.0', token, queues });
    const local = await buildOpsServer({ roles: [], checks: {}, host: '127.0.0.1', queues });
    try {
      for (const url of ['/queues', '/queues/api/queues?activeQueue=cables&page=1&jobsPerPage=10']) {
        assert.equal((await unset.inject({ method: 'GET', url })).statusCode, 403, url);
        assert.equal((await guarded.inject({ method: 'GET', url })).statusCode, 401, url);
        assert.equal(
          (await guarded.inject({ method: 'GET', url, headers: { authorization: 'Bearer wrong' } })).statusCode,
          401,
          url,
        );
        assert.equal(
          (await guarded.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } })).statusCode,
          200,
          url,
        );
        assert.equal((await local.inject({ method: 'GET', url })).statusCode, 200, `${url} on loopback`);
      }
      for (const url of ['/healthz', '/readyz'])
        assert.equal((await unset.inject({ method: 'GET', url })).statusCode, 200, url);
    } finally {
      for (const app of [unset, guarded, local]) await app.close();
      for (const q of queues) await q.close();
      redis.disconnect();
    }
  });
});

describe('state changes beyond loopback need the token', () => {
  it('refuses without a configured token, then checks the bearer token', async () => {
    const open = await buildOpsServer({ roles: [], checks: {}, host: '0.0.0.0' });
    assert.equal((await open.inject({ method: 'PUT', url: '/queues/api/queues/cables/retry/failed' })).statusCode, 403);
    assert.equal((await open.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    const token = 'a'.repeat(32);
    const guarded = await buildOpsServer({ roles: [], checks: {}, host: '0.0.0.0', token });
    assert.equal((await guarded.inject({ method: 'PUT', url: '/x' })).statusCode, 401);
    assert.equal(
      (await guarded.inject({ method: 'PUT', url: '/x', headers: { authorization: `Bearer ${token}` } })).statusCode,
      404,
    );
    const local = await buildOpsServer({ roles: [], checks: {}, host: '127.0.0.1' });
    assert.equal((await local.inject({ method: 'PUT', url: '/x' })).statusCode, 404, 'on loopback no token is asked');
  });
});
