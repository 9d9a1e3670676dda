import assert from 'node:assert/strict';
import { MAPPING_VERSION } from '../../src/shared/elasticsearch/index-template.js';
import { documentIdOf } from '../../src/shared/cable-versions.js';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Client } from '@elastic/elasticsearch';
import type { ServiceConfig } from '../../src/shared/config.js';
import { documentOf } from '../../bench/scoring/corpus.js';
import { corpusPath } from '../helpers/paths.js';
import { connect } from '../../src/shared/connections.js';
import { createLogger } from '../../src/shared/logger.js';
import { backfill } from '../../src/ops/backfill.js';
import { runRoles } from '../../src/app/run.js';
import { cliEnv, dropCableIndex, obliterateQueues, testConfig, redisUrlOf } from '../helpers/services.js';

const CLI = fileURLToPath(new URL('../../src/ops/cli.js', import.meta.url));

describe('operator commands: backfill, es setup, es reindex', () => {
  let config: ServiceConfig;
  let es: Client;
  const cli = (...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, ...args], {
      env: {
        ...process.env,
        REDIS_URL: redisUrlOf(config),
        ELASTICSEARCH_URL: config.elasticsearchUrl,
        QUEUE_PREFIX: config.queuePrefix,
        ELASTICSEARCH_INDEX: config.indexAlias,
      },
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };

  /** The CLI as a child process, without blocking this process (its workers must run meanwhile). */
  const cliAsync = (...args: string[]): Promise<string> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, ...args], { env: cliEnv(config), stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${err}`))));
    });

  before(async () => {
    config = await testConfig();
    es = new Client({ node: config.elasticsearchUrl });
  });
  after(async () => {
    try {
      await obliterateQueues(config);
      await dropCableIndex(es, config.indexAlias);
    } finally {
      await es.close();
    }
  });

  it('backfill ingests a folder through the intake (hidden files skipped, the folder left as it is) and waits for every fate; a second run makes no new document', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'backfill-'));
    const files = readdirSync(corpusPath('dev'))
      .filter((n) => n.endsWith('.txt'))
      .slice(0, 10);
    for (const f of files) copyFileSync(corpusPath('dev', f), join(dir, f));
    writeFileSync(join(dir, '.hidden.txt'), 'x');
    writeFileSync(join(dir, 'binary.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x00]));
    const workers = await runRoles(config, ['worker'], createLogger(config));
    try {
      const first = JSON.parse(await cliAsync('backfill', dir, '--no-progress')) as Record<string, number>;
      assert.deepEqual(
        { ...first, seconds: 0 },
        { files: 11, peakWaiting: first['peakWaiting'], queued: 11, indexed: 10, deadLettered: 1, seconds: 0 },
      );
      assert.ok(first['peakWaiting']! >= 1 && first['peakWaiting']! <= 11);
      assert.deepEqual(readdirSync(dir).sort(), [...files, '.hidden.txt', 'binary.txt'].sort(), 'copied, not moved');
      await es.indices.refresh({ index: config.indexAlias });
      const count = (await es.count({ index: config.indexAlias })).count;
      const second = JSON.parse(await cliAsync('backfill', dir, '--no-progress')) as Record<string, number>;
      assert.equal(second['indexed'], 10);
      await es.indices.refresh({ index: config.indexAlias });
      assert.equal(
        (await es.count({ index: config.indexAlias })).count,
        count,
        'the same bytes again: no new document',
      );
      assert.deepEqual(readdirSync(join(config.spoolDir, 'claimed')), [], 'every batch finished');
    } finally {
      await workers.stop();
    }
  });

  it('backfill walks the folder as the intake takes its files: never more than `ahead` found and not yet claimed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'backfill-ahead-'));
    const names = readdirSync(corpusPath('dev'))
      .filter((n) => n.endsWith('.txt'))
      .slice(20, 34);
    // Some in a sub-folder: the walk goes down into folders as it streams.
    mkdirSync(join(dir, 'sub'));
    names.forEach((n, i) => copyFileSync(corpusPath('dev', n), join(dir, i % 3 === 0 ? 'sub' : '', n)));
    const log = createLogger(config);
    const workers = await runRoles(config, ['worker'], log);
    const conn = connect(config);
    try {
      const summary = await backfill(conn, log, dir, { progress: false, move: false, ahead: 3 });
      assert.equal(summary.files, names.length);
      assert.equal(summary.indexed, names.length);
      assert.ok(summary.peakWaiting >= 1 && summary.peakWaiting <= 3, `peak ${summary.peakWaiting} files waiting`);
    } finally {
      await conn.close();
      await workers.stop();
    }
  });

  it('es setup creates the versioned index and the failures index; es reindex moves the alias to v2 with every document', async () => {
    const current = `${config.indexAlias}-v${MAPPING_VERSION}`;
    const next = `${config.indexAlias}-v${MAPPING_VERSION + 1}`;
    assert.match(cli('es', 'setup'), new RegExp(`${config.indexAlias} -> ${current}`));
    assert.match(cli('es', 'setup'), new RegExp(`${config.indexAlias} -> ${current}`), 'idempotent');
    assert.equal(await es.indices.exists({ index: `${config.indexAlias}-failures-v1` }), true);
    const docs = readdirSync(corpusPath('dev'))
      .filter((n) => n.endsWith('.txt'))
      .slice(0, 30)
      .map((n) => documentOf(readFileSync(corpusPath('dev', n), 'utf8')));
    const operations = docs.flatMap((d) =>
      d.ok ? [{ index: { _index: config.indexAlias, _id: documentIdOf(d.doc) } }, d.doc] : [],
    );
    await es.bulk({ operations, refresh: true });
    const before = (await es.count({ index: config.indexAlias })).count;
    const r = JSON.parse(cli('es', 'reindex').split('\n')[0]!) as { from: string; to: string; documents: number };
    assert.deepEqual(r, { from: current, to: next, documents: before });
    assert.deepEqual(Object.keys(await es.indices.getAlias({ name: config.indexAlias })), [next]);
    assert.equal((await es.count({ index: config.indexAlias })).count, before);
  });
});
