import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Client } from '@elastic/elasticsearch';
import { Queue } from 'bullmq';
import type { ServiceConfig } from '../../src/shared/config.js';
import { QUEUE } from '../../src/shared/queues.js';
import { documentOf } from '../../bench/scoring/corpus.js';
import { SEEDS_DIR, corpusPath } from '../helpers/paths.js';
import { cliEnv, dropCableIndex, eventually, obliterateQueues, testConfig, testRedis } from '../helpers/services.js';

const CLI = fileURLToPath(new URL('../../src/ops/cli.js', import.meta.url));

/**
 * Issue #4's scenario: 60 real cables and 6 odd files dropped, the process killed with SIGKILL two
 * seconds later, 40 more cables dropped while it is down, the process started again. Every good
 * cable must end indexed exactly once and every bad file dead-lettered with its reason.
 */
describe('kill -9 mid-batch, restart: nothing lost, nothing duplicated', () => {
  let config: ServiceConfig;
  let es: Client;
  let child: ChildProcess | null = null;
  let stderr = '';
  const env = (): NodeJS.ProcessEnv => cliEnv(config, { WATCH_STABILITY_MS: '150' });
  const start = async (extra: Record<string, string> = {}): Promise<ChildProcess> => {
    const c = spawn(process.execPath, [CLI, 'run'], {
      env: { ...env(), ...extra },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    c.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const before = stderr.length;
    await eventually('the pipeline to start', async () => stderr.slice(before).includes('running; inbox'), 60_000);
    return c;
  };
  const drop = (name: string, content: Buffer | string): void => {
    const tmp = join(config.inboxDir, `.${name}.tmp`);
    writeFileSync(tmp, content);
    renameSync(tmp, join(config.inboxDir, name));
  };

  // 100 dev cables with distinct read ids, plus the Latin-1 copy of seed 000: 101 good cables.
  const good: Array<{ file: string; id: string }> = [];
  const seen = new Set<string>(['07MOSCOW584']);
  for (const f of readdirSync(corpusPath('dev')).filter((n) => n.endsWith('.txt'))) {
    const d = documentOf(readFileSync(corpusPath('dev', f), 'utf8'));
    // Ids read from the text: their document's `_id` is the cable id (cable-versions.ts).
    if (d.ok && !seen.has(d.doc.cable_id) && d.doc.id_basis === 'read') {
      seen.add(d.doc.cable_id);
      good.push({ file: f, id: d.doc.cable_id });
    }
    if (good.length === 100) break;
  }

  before(async () => {
    config = await testConfig();
    es = new Client({ node: config.elasticsearchUrl });
  });

  after(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child!.once('exit', r));
    }
    await obliterateQueues(config);
    await dropCableIndex(es, config.indexAlias);
    await dropCableIndex(es, `${config.indexAlias}-failures`);
    await es.close();
  });

  it('indexes all 101 good cables once and dead-letters the 5 bad files with reasons', async () => {
    assert.equal(good.length, 100);
    // The first run is slowed (one bulk request a second, 4 at a time) so that the kill lands mid-batch.
    child = await start({ BULK_FLUSH_MS: '1000', BULK_MAX_DOCS: '100', WORKER_CONCURRENCY: '4' });
    const t0 = Date.now();
    for (const g of good.slice(0, 60)) drop(g.file, readFileSync(corpusPath('dev', g.file)));
    drop('empty.txt', '');
    drop('random.bin', randomBytes(200 * 1024));
    drop(
      'page.html',
      '<!doctype html><html><head><title>Hello</title></head><body><p>Not a cable.</p></body></html>\n',
    );
    drop('huge.txt', 'THIS IS NOT A CABLE BUT A VERY LONG TEXT FILE. '.repeat(Math.ceil((6 * 1024 * 1024) / 48)));
    drop(
      'truncated.txt',
      'VZCZCXYZ0000\nRR RUEHWEB\n\nDE RUEHMO #0584 0401117\nZNY SSSSS ZZH\nR 091117Z FEB 07\nFM AMEMBASSY MOSCOW\n',
    );
    const seed = readFileSync(join(SEEDS_DIR, '000_c3a957b28fce9504.txt'), 'utf8');
    drop('seed-latin1.txt', Buffer.from(seed, 'latin1'));
    const redis = testRedis(config);
    const cables = new Queue(QUEUE.cables, { connection: redis, prefix: config.queuePrefix });
    // Kill as soon as work is under way (finished jobs are removed once their files are finished).
    const atKill = await eventually(
      'jobs in flight',
      async () => {
        const c = await cables.getJobCounts('active', 'waiting', 'completed');
        return (c['active'] ?? 0) + (c['waiting'] ?? 0) > 0 ? c : null;
      },
      10_000,
      20,
    );
    child.kill('SIGKILL');
    await cables.close();
    redis.disconnect();
    assert.ok(
      (atKill.active ?? 0) + (atKill.waiting ?? 0) > 0,
      `the kill must land mid-batch: ${JSON.stringify(atKill)}`,
    );
    await new Promise((r) => child!.once('exit', r));
    for (const g of good.slice(60)) drop(g.file, readFileSync(corpusPath('dev', g.file)));
    const restarted = Date.now();
    child = await start();

    const expected = [...good.map((g) => g.id), '07MOSCOW584'];
    await eventually(
      'all 101 good cables searchable',
      async () => {
        await es.indices.refresh({ index: config.indexAlias });
        return (await es.count({ index: config.indexAlias })).count >= expected.length;
      },
      120_000,
      500,
    );
    const recoverSeconds = (Date.now() - restarted) / 1000;
    await es.indices.refresh({ index: config.indexAlias });
    assert.equal((await es.count({ index: config.indexAlias })).count, 101, 'exactly once: no duplicates');
    const found = await es.mget({ index: config.indexAlias, ids: expected, _source: false });
    assert.deepEqual(
      found.docs.filter((d) => !('found' in d && d.found)).map((d) => d._id),
      [],
      'every good cable indexed',
    );
    const latin = await es.get<{ ingest: { charset: string } }>({ index: config.indexAlias, id: '07MOSCOW584' });
    assert.equal(latin._source?.ingest.charset, 'latin1');

    const listed = await eventually(
      'five dead-letter entries',
      async () => {
        const out = spawnSync(process.execPath, [CLI, 'dlq', 'list', '--json'], { env: env(), encoding: 'utf8' });
        const entries = JSON.parse(out.stdout) as Array<{ code: string; job: { path: string } }>;
        return entries.length >= 5 ? entries : null;
      },
      60_000,
      500,
    );
    const reasons = Object.fromEntries(listed.map((e) => [e.job.path.split('/').pop(), e.code]));
    assert.deepEqual(reasons, {
      'empty.txt': 'empty_file',
      'random.bin': 'not_text',
      'page.html': 'no_cable_header',
      'huge.txt': 'too_large',
      'truncated.txt': 'validation_failed',
    });
    process.stdout.write(
      `crash scenario (killed with ${atKill.active} active, ${atKill.waiting} waiting, ${atKill.completed} done): 107 files dropped, 101 indexed once, 5 dead-lettered (+1 Latin-1 copy indexed), 0 lost, 0 duplicated; ` +
        `all searchable ${recoverSeconds.toFixed(1)} s after the restart (${((Date.now() - t0) / 1000).toFixed(1)} s in all)\n`,
    );
  });
});
