import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Client } from '@elastic/elasticsearch';
import { runRoles, type Running } from '../../src/app/run.js';
import type { ServiceConfig } from '../../src/shared/config.js';
import { createLogger } from '../../src/shared/logger.js';
import { citersOf } from '../../src/ops/show.js';
import { corpusPath } from '../helpers/paths.js';
import { cliEnv, eventually, stopAndClean, testConfig } from '../helpers/services.js';

const CLI = fileURLToPath(new URL('../../src/ops/cli.js', import.meta.url));

/**
 * Issue #29: citations both ways. The dev corpus indexed by the pipeline holds three cables that
 * cite another of its cables (03ANKARA3694 cites 03ANKARA2521; 08LONDON1991 cites 08LONDON1939;
 * 09LONDON2214 cites 09LONDON2198). `cable-ingest show` prints a cable's references, each found or
 * not, and the cables that cite it, from a query over `references.cable_id`; ids as people type them.
 */
describe('cable-ingest show: references and citers, on the dev corpus indexed by the pipeline', () => {
  let config: ServiceConfig;
  let running: Running;
  let es: Client;
  const files = readdirSync(corpusPath('dev')).filter((n) => n.endsWith('.txt'));

  before(async () => {
    config = await testConfig();
    es = new Client({ node: config.elasticsearchUrl });
    running = await runRoles(config, ['worker', 'watcher'], createLogger(config));
    for (const f of files) copyFileSync(corpusPath('dev', f), join(config.inboxDir, f));
    await eventually(
      'the dev corpus indexed',
      async () => {
        await es.indices.refresh({ index: config.indexAlias });
        const n = (await es.count({ index: config.indexAlias })).count;
        const done =
          readdirSync(join(config.spoolDir, 'claimed')).length === 0 && readdirSync(config.inboxDir).length === 0;
        return done && n > 0;
      },
      180_000,
      500,
    );
  });
  after(() => stopAndClean(running, config, es));

  const show = (...args: string[]): { code: number | null; out: string; err: string } => {
    const r = spawnSync(process.execPath, [CLI, 'show', ...args], { env: cliEnv(config), encoding: 'utf8' });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  it('prints the cables citing a cable, for its id as typed in any of its spellings', () => {
    for (const typed of ['03ANKARA2521', '03 ANKARA 2521', '03ankara002521']) {
      const r = show(typed);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /^03ANKARA2521\n/);
      assert.match(r.out, /cited by\s+1 cable\n\s+03ANKARA3694 /);
    }
  });

  it("prints a cable's references, marking the one in the index found", () => {
    const r = show('08LONDON1991');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /08LONDON1939\s+found/);
    assert.match(r.out, /cited by\s+none in the index/);
  });

  it('finds every citation of the corpus both ways (citers from the query match the citing documents)', async () => {
    const citing = await es.search<{ cable_id: string; references: Array<{ cable_id: string | null }> }>({
      index: config.indexAlias,
      size: 1_000,
      query: { exists: { field: 'references.cable_id' } },
      _source: ['cable_id', 'references'],
    });
    const all = new Set(
      (
        await es.search<{ cable_id: string }>({ index: config.indexAlias, size: 1_000, _source: ['cable_id'] })
      ).hits.hits.map((h) => h._source!.cable_id),
    );
    const pairs = citing.hits.hits.flatMap((h) =>
      h
        ._source!.references.map((r) => r.cable_id)
        .filter((id): id is string => id !== null && id !== h._source!.cable_id && all.has(id))
        .map((cited) => [h._source!.cable_id, cited] as const),
    );
    assert.ok(pairs.length >= 3, `citations within the corpus (${pairs.length})`);
    for (const [citer, cited] of pairs)
      assert.ok(
        (await citersOf(es, config.indexAlias, cited)).some((c) => c.cableId === citer),
        `${citer} among the citers of ${cited}`,
      );
  });

  it('an id not in the index, and text that is no id, each say so in one line', () => {
    const missing = show('99NOWHERE1');
    assert.equal(missing.code, 1);
    assert.match(missing.err, /99NOWHERE1 is not in the index/);
    const nonsense = show('hello');
    assert.equal(nonsense.code, 2);
    assert.match(nonsense.err, /"hello" is not a cable id/);
  });
});
