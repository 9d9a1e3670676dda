import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Client } from '@elastic/elasticsearch';
import { Job, Queue } from 'bullmq';
import type { ServiceConfig } from '../../src/shared/config.js';
import { listDeadLetters } from '../../src/shared/dead-letter.js';
import { createLogger } from '../../src/shared/logger.js';
import { QUEUE } from '../../src/shared/queues.js';
import type { CableDocument } from '../../src/shared/stages.js';
import { runRoles, type Running } from '../../src/app/run.js';
import type { ReprocessSummary } from '../../src/ops/reprocess.js';
import { PARSER_VERSION } from '../../src/workers/stages/parse/index.js';
import { generateCable, loadVocabulary } from '../../bench/generate.js';
import { cliEnv, eventually, stopAndClean, testConfig, testRedis } from '../helpers/services.js';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../src/ops/cli.js', import.meta.url));
const CABLES = 2_000;

/**
 * Issue #14: `cable-ingest reprocess` reads the kept originals again through the queue. Over 2,000
 * indexed cables: the same documents, none twice, each indexed again under the current parser; a
 * selection by parser version takes only the documents an older parser read; a document whose id
 * changes moves (the new one written, then the old one removed).
 */
describe('reprocess: the kept originals read again through the queue', () => {
  let config: ServiceConfig;
  let running: Running;
  let es: Client;
  const ids: string[] = [];

  // Not spawnSync: the workers run in this process, and must go on while the command waits for them.
  const cli = async (...args: string[]): Promise<ReprocessSummary> => cliWith({}, ...args);
  // The command exits 1 when a file was dead-lettered or not kept: its summary is printed all the same.
  const cliWith = async (env: Record<string, string>, ...args: string[]): Promise<ReprocessSummary> => {
    const r = await run(process.execPath, [CLI, 'reprocess', '--no-progress', ...args], {
      env: cliEnv(config, { SPOOL_DIR: config.spoolDir, ...env }),
      encoding: 'utf8',
      timeout: 300_000,
    }).catch((err: { code?: number; stdout?: string }) => {
      if (err.code === 1 && err.stdout) return { stdout: err.stdout };
      throw err;
    });
    return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as ReprocessSummary;
  };
  const latestIngest = async (): Promise<string> => {
    const r = await es.search({
      index: config.indexAlias,
      size: 0,
      aggs: { t: { max: { field: 'ingest.ingested_at' } } },
    });
    return (r.aggregations as { t: { value_as_string: string } }).t.value_as_string;
  };

  before(async () => {
    config = await testConfig();
    es = new Client({ node: config.elasticsearchUrl });
    let finished = 0;
    running = await runRoles(config, ['worker', 'watcher'], createLogger(config), { onFinished: () => finished++ });
    const vocab = loadVocabulary();
    const staging = mkdtempSync(join(tmpdir(), 'reprocess-staging-'));
    const seen = new Set<string>();
    for (let i = 0; seen.size < CABLES; i++) {
      const g = generateCable(i, vocab, 14);
      if (seen.has(g.id)) continue;
      seen.add(g.id);
      ids.push(g.id);
      writeFileSync(join(staging, `${g.id}.txt`), g.text);
    }
    for (const id of ids) renameSync(join(staging, `${id}.txt`), join(config.inboxDir, `${id}.txt`));
    await eventually(
      `${CABLES} cables indexed`,
      async () => {
        await es.indices.refresh({ index: config.indexAlias });
        return (await es.count({ index: config.indexAlias })).count === CABLES || null;
      },
      240_000,
      500,
    );
    // The originals are kept once the watcher finishes their batches.
    await eventually('every original kept', async () => finished === CABLES || null, 60_000);
  });
  after(async () => {
    await stopAndClean(running, config, es);
  });

  it('--parser-older-than takes only the documents an older parser read', async () => {
    // Three documents as an older parser would have left them.
    for (const id of ids.slice(0, 3)) {
      const d = (await es.get<CableDocument>({ index: config.indexAlias, id }))._source!;
      const versions = d.versions.map((v) => ({ ...v, parser_version: '0.1.0' }));
      await es.update({
        index: config.indexAlias,
        id,
        doc: { versions, ingest: { ...d.ingest, parser_version: '0.1.0' } },
      });
    }
    const s = await cli('--parser-older-than', PARSER_VERSION);
    assert.deepEqual([s.documents, s.versions, s.indexed, s.missing, s.deadLettered], [3, 3, 3, 0, 0]);
    for (const id of ids.slice(0, 3)) {
      const d = (await es.get<CableDocument>({ index: config.indexAlias, id }))._source!;
      assert.deepEqual(
        [d.ingest.parser_version, ...d.versions.map((v) => v.parser_version)],
        [PARSER_VERSION, PARSER_VERSION],
      );
    }
  });

  it('--id moves a document whose id changed: the new one is written, then the old one removed', async () => {
    // The document of ids[3] as if an older parser had read another id from its file.
    const id = ids[3]!;
    const d = (await es.get<CableDocument>({ index: config.indexAlias, id }))._source!;
    await es.index({
      index: config.indexAlias,
      id: '99MOVED1',
      document: { ...d, cable_id: '99MOVED1' },
      refresh: true,
    });
    await es.delete({ index: config.indexAlias, id, refresh: true });
    const s = await cli('--id', '99MOVED1');
    assert.deepEqual([s.documents, s.indexed], [1, 1]);
    assert.equal(
      await es.exists({ index: config.indexAlias, id }),
      true,
      'the document under the id its file reads as',
    );
    assert.equal(await es.exists({ index: config.indexAlias, id: '99MOVED1' }), false, 'the old document removed');
  });

  it('--dead-letters puts back what an older parser dead-lettered, and nothing a current one did', async () => {
    writeFileSync(
      join(config.inboxDir, 'not-a-cable.txt'),
      'Minutes of the garden committee.\nNothing here is a cable.\n',
    );
    writeFileSync(join(config.inboxDir, 'not-a-cable-either.txt'), 'A shopping list.\nMilk, bread.\n');
    const redis = testRedis(config);
    const dlq = new Queue(QUEUE.deadLetter, { connection: redis, prefix: config.queuePrefix });
    try {
      const entries = await eventually(
        'two dead letters',
        async () => {
          const all = await listDeadLetters(dlq);
          return all.length === 2 ? all : null;
        },
        30_000,
      );
      // One of them as an older parser would have recorded it.
      const old = entries.find((e) => e.entry.job.path.endsWith('/not-a-cable.txt'))!;
      const job = (await Job.fromId(dlq, old.id))!;
      await job.updateData({ ...(job.data as object), parserVersion: '0.1.0' });
      const s = await cli('--parser-older-than', PARSER_VERSION, '--dead-letters');
      assert.equal(s.deadLettersReplayed, 1);
      // Read again by the current parser, it is dead-lettered again, now under the current version.
      await eventually(
        'the replayed file dead-lettered by the current parser',
        async () => {
          const all = await listDeadLetters(dlq);
          return all.length === 2 && all.every((e) => e.entry.parserVersion === PARSER_VERSION) ? all : null;
        },
        30_000,
      );
    } finally {
      await dlq.close();
      redis.disconnect();
    }
  });

  it('a cable dead-lettered during reprocess lands in failed/ with its entry, and `dlq retry` brings it back', async () => {
    const id = ids[6]!;
    const redis = testRedis(config);
    const dlq = new Queue(QUEUE.deadLetter, { connection: redis, prefix: config.queuePrefix });
    try {
      // This reprocess reads with a byte limit under the cable's size: the intake dead-letters it
      // (too_large), as any file it claims; the running watcher and workers keep the usual limit.
      const s = await cliWith({ MAX_FILE_BYTES: '1000' }, '--id', id);
      assert.deepEqual([s.documents, s.queued, s.indexed, s.deadLettered], [1, 1, 0, 1]);
      const entry = (await listDeadLetters(dlq, { reason: 'too_large' })).find((e) =>
        e.entry.job.path.endsWith(`/${id}.txt`),
      );
      assert.ok(entry, 'its dead-letter entry');
      const spoolId = readFileSync(join(config.spoolDir, 'spool-id'), 'utf8').trim();
      assert.equal(entry.entry.spool?.id, spoolId, 'dead-lettered in the spool that holds the original');
      const failedName = `${entry.id.slice(0, 12)}-${id}.txt`;
      assert.ok(readdirSync(join(config.spoolDir, 'failed')).includes(failedName), 'the original in failed/');
      const before = (await es.get<CableDocument>({ index: config.indexAlias, id }))._source!.ingest.ingested_at;

      const retried = await run(process.execPath, [CLI, 'dlq', 'retry', entry.id], {
        env: cliEnv(config, { SPOOL_DIR: config.spoolDir }),
        encoding: 'utf8',
      });
      assert.deepEqual(JSON.parse(retried.stdout.trim()), { replayed: 1 });
      await eventually('the cable indexed again from the replayed original', async () => {
        const d = (await es.get<CableDocument>({ index: config.indexAlias, id }))._source!;
        return d.ingest.ingested_at > before || null;
      });
      assert.equal((await listDeadLetters(dlq)).filter((e) => e.id === entry.id).length, 0, 'the entry is gone');
      assert.ok(!readdirSync(join(config.spoolDir, 'failed')).includes(failedName), 'failed/ no longer holds it');
    } finally {
      await dlq.close();
      redis.disconnect();
    }
  });

  it(`--all over ${CABLES} cables: the same documents, none twice, each indexed again by the current parser`, async () => {
    await es.indices.refresh({ index: config.indexAlias });
    const before = await latestIngest();
    const s = await cli('--all');
    assert.deepEqual(
      [s.documents, s.versions, s.queued, s.indexed, s.missing, s.deadLettered],
      [CABLES, CABLES, CABLES, CABLES, 0, 0],
    );
    // The rate, for the closing note (node --test prints diagnostics).
    process.stdout.write(`# reprocess --all: ${s.indexed} cables in ${s.seconds} s, ${s.perSecond} cables/s\n`);
    await es.indices.refresh({ index: config.indexAlias });
    assert.equal((await es.count({ index: config.indexAlias })).count, CABLES, 'the same count');
    const distinct = await es.search({
      index: config.indexAlias,
      size: 0,
      aggs: { ids: { cardinality: { field: 'cable_id', precision_threshold: 40_000 } } },
    });
    assert.equal((distinct.aggregations as { ids: { value: number } }).ids.value, CABLES, 'no cable twice');
    const stale = await es.count({
      index: config.indexAlias,
      query: {
        bool: {
          should: [
            { range: { 'ingest.ingested_at': { lte: before } } },
            { bool: { must_not: { term: { 'ingest.parser_version': PARSER_VERSION } } } },
            { range: { version_count: { gt: 1 } } },
          ],
        },
      },
    });
    assert.equal(stale.count, 0, 'every document indexed again, by the current parser, with its one version');
  });
});
