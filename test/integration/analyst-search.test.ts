import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Client } from '@elastic/elasticsearch';
import { runRoles, type Running } from '../../src/app/run.js';
import type { ServiceConfig } from '../../src/shared/config.js';
import { createLogger } from '../../src/shared/logger.js';
import { citersOf } from '../../src/ops/show.js';
import { englishAnalysisOf } from '../../src/shared/elasticsearch/index-template.js';
import { corpusPath, PACKAGE_ROOT } from '../helpers/paths.js';
import { kqlToDsl } from '../helpers/kql.js';
import { ANALYST_QUERIES } from '../../src/ops/analysts/queries.js';
import type { CableDocument } from '../../src/shared/stages.js';
import { cliEnv, eventually, stopAndClean, testConfig } from '../helpers/services.js';

const CLI = fileURLToPath(new URL('../../src/ops/cli.js', import.meta.url));

/**
 * Issue #29. English search: `body.english` (and subject, summary) stems as the cluster allows (on
 * the local node, core's hunspell filter with Debian's en_US dictionary); the exact fields stay as
 * they were. Citations both ways. The dev corpus indexed by the pipeline holds three cables that
 * cite another of its cables (03ANKARA3694 cites 03ANKARA2521; 08LONDON1991 cites 08LONDON1939;
 * 09LONDON2214 cites 09LONDON2198). `cable-ingest show` prints a cable's references, each found or
 * not, and the cables that cite it, from a query over `references.cable_id`; ids as people type them.
 */
describe('analyst search on the dev corpus indexed by the pipeline: English subfields, citations both ways', () => {
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

  it('a stemmed query finds cables that hold only another form of the word; the exact field does not', async () => {
    const hits = async (query: Record<string, unknown>): Promise<Array<{ id: string; body: string }>> =>
      (
        await es.search<{ cable_id: string; body: string }>({
          index: config.indexAlias,
          size: 1_000,
          query: query as never,
          _source: ['cable_id', 'body'],
        })
      ).hits.hits.map((h) => ({ id: h._source!.cable_id, body: h._source!.body }));
    const stemmed = await hits({ match: { 'body.english': 'sanction' } });
    const exact = new Set((await hits({ match: { body: 'sanction' } })).map((h) => h.id));
    const onlyPlural = stemmed.filter((h) => !/\bsanction\b/i.test(h.body) && /\bsanctions\b/i.test(h.body));
    assert.ok(onlyPlural.length >= 5, `cables holding only "sanctions" found by "sanction" (${onlyPlural.length})`);
    for (const h of onlyPlural) assert.ok(!exact.has(h.id), `the exact field does not stem (${h.id})`);
    // A phrase stays a phrase: the words in order, next to each other, stemmed alike.
    const sample = onlyPlural[0]!;
    const next = /\bsanctions\s+([a-z]{3,})\b/i.exec(sample.body)![1]!;
    const phrase = await hits({ match_phrase: { 'body.english': `sanction ${next}` } });
    assert.ok(
      phrase.some((h) => h.id === sample.id),
      `"sanction ${next}" as a phrase finds ${sample.id}`,
    );
    const reversed = await hits({ match_phrase: { 'body.english': `${next} sanction` } });
    assert.ok(!reversed.some((h) => h.id === sample.id), 'the words in the other order do not');
    assert.equal((await hits({ match_phrase: { body: `sanction ${next}` } })).length, 0, 'the exact field: no stem');
  });

  it('the index records which English analysis it got, and status shows it', async () => {
    const kind = await englishAnalysisOf(es, config.indexAlias);
    // The local stack's node carries the en_US dictionary (tools/stack): never the unstemmed fallback here.
    assert.ok(kind === 'hunspell' || kind === 'english', `analysis ${kind}`);
    const r = spawnSync(process.execPath, [CLI, 'status'], { env: cliEnv(config), encoding: 'utf8' });
    assert.match(r.stdout, new RegExp(`English analysis: ${kind}`));
  });

  it('the queries of docs/ANALYSTS.md each find what the page promises', async () => {
    const page = readFileSync(join(PACKAGE_ROOT, 'docs', 'ANALYSTS.md'), 'utf8');
    assert.ok(ANALYST_QUERIES.length >= 20);
    for (const q of ANALYST_QUERIES) {
      assert.ok(page.includes(`\`${q.kql}\``), `docs/ANALYSTS.md gives ${q.kql}`);
      const r = await es.search<CableDocument>({
        index: config.indexAlias,
        size: 1_000,
        query: kqlToDsl(q.kql) as never,
      });
      const docs = r.hits.hits.map((h) => h._source!);
      assert.ok(docs.length >= q.atLeast, `${q.kql}: ${docs.length} hits, promised at least ${q.atLeast}`);
      const broken = docs.filter((d) => !q.holds(d)).map((d) => d.cable_id);
      assert.deepEqual(broken, [], `${q.kql}: hits that do not hold what the page says`);
      for (const id of q.finds ?? [])
        assert.ok(
          docs.some((d) => d.cable_id === id),
          `${q.kql} finds ${id}`,
        );
    }
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
