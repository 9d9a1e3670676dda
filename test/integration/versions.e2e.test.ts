import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Client } from '@elastic/elasticsearch';
import type { ServiceConfig } from '../../src/shared/config.js';
import { createLogger } from '../../src/shared/logger.js';
import type { CableDocument } from '../../src/shared/stages.js';
import { runRoles, type Running } from '../../src/app/run.js';
import { SEEDS_DIR } from '../helpers/paths.js';
import { cliEnv, eventually, stopAndClean, testConfig } from '../helpers/services.js';

const CLI = fileURLToPath(new URL('../../src/ops/cli.js', import.meta.url));
const ROUNDS = 10;

/** A seeded shuffle (mulberry32), so that a failing order can be replayed from the printed seed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Issue #14: one cable dropped as three files at once (LF, CRLF, one extra trailing line), each
 * file its own job (BATCH_MAX_FILES=1) so that two worker processes race on the same document.
 * Every round ends in one document holding three versions, showing the same chosen version.
 */
describe('one cable dropped as three variants, raced by two worker processes', () => {
  let config: ServiceConfig;
  let watcher: Running;
  const workers: ChildProcess[] = [];
  let es: Client;
  let stderr = '';

  before(async () => {
    config = await testConfig({ BATCH_MAX_FILES: '1' });
    es = new Client({ node: config.elasticsearchUrl });
    watcher = await runRoles(config, ['watcher'], createLogger(config));
    for (let i = 0; i < 2; i++) {
      const w = spawn(process.execPath, [CLI, 'work'], {
        env: cliEnv(config, { BATCH_MAX_FILES: '1' }),
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      w.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      workers.push(w);
    }
    await eventually(
      'both workers to start',
      async () => (stderr.match(/running; inbox/g) ?? []).length === 2 || null,
      60_000,
    );
  });
  after(async () => {
    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(workers.map((w) => (w.exitCode === null ? new Promise((r) => w.once('exit', r)) : undefined)));
    await stopAndClean(watcher, config, es);
  });

  it(`keeps every variant as a version and shows the same one, in ${ROUNDS} shuffled rounds`, async () => {
    const lf = readFileSync(join(SEEDS_DIR, '000_c3a957b28fce9504.txt'), 'utf8').replace(/\r\n?/g, '\n');
    const variants = { lf, crlf: lf.replace(/\n/g, '\r\n'), trailing: `${lf}\n\n` };
    const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
    // The texts are the same once normalised: the rule falls through to the lowest SHA-256.
    const expected = Object.values(variants).map(sha).sort()[0]!;
    const chosen: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // By id (real time): a search-based delete would not yet see the last round's document.
      await es.delete({ index: config.indexAlias, id: '07MOSCOW584', refresh: true }).catch(() => undefined);
      const order = shuffled(Object.keys(variants) as Array<keyof typeof variants>, 1_000 + round);
      for (const name of order) writeFileSync(join(config.inboxDir, `r${round}-${name}.txt`), variants[name]);
      const doc = await eventually(
        `round ${round} (${order.join(', ')}): three versions on 07MOSCOW584`,
        async () => {
          const got = await es.get<CableDocument>({ index: config.indexAlias, id: '07MOSCOW584' }).catch(() => null);
          return got?._source && got._source.version_count === 3 ? got._source : null;
        },
        30_000,
      );
      await es.indices.refresh({ index: config.indexAlias });
      assert.equal((await es.count({ index: config.indexAlias })).count, 1, `round ${round}: one document`);
      assert.deepEqual(
        doc.versions.map((v) => v.sha256).sort(),
        Object.values(variants).map(sha).sort(),
        `round ${round}: the three files`,
      );
      assert.equal(doc.versions[0]!.sha256, doc.ingest.sha256, `round ${round}: the chosen version is listed first`);
      assert.ok(
        doc.versions.every((v) => v.source_path.includes(`r${round}-`)),
        `round ${round}: versions name this round's files: ${JSON.stringify(doc.versions.map((v) => [v.source_path, v.detected_at]))}`,
      );
      chosen.push(doc.ingest.sha256);
    }
    assert.deepEqual(new Set(chosen), new Set([expected]));
    assert.doesNotMatch(stderr, /es_version_conflict|dead-lettered/);
  });
});
