import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@elastic/elasticsearch';
import {
  buildAssets,
  CABLES_VIEW,
  DASHBOARDS,
  FIELD_LINKS,
  fieldsUsed,
  MAP_ID,
  PANELS,
  SAVED_SEARCHES,
  toNdjson,
  VEGA_PANELS,
  type SavedObject,
} from '../../src/ops/kibana/assets.js';
import { documentIdOf } from '../../src/shared/cable-versions.js';
import { BulkIndexer } from '../../src/shared/elasticsearch/bulk.js';
import { ensureFailuresIndex, failuresAlias, recordFailure } from '../../src/shared/elasticsearch/failures-index.js';
import { ensureCableIndex } from '../../src/shared/elasticsearch/index-template.js';
import { KIBANA_DIR } from '../../src/shared/paths.js';
import { documentOf } from '../../bench/scoring/corpus.js';
import { SEEDS_DIR, corpusPath } from '../helpers/paths.js';
import { dropCableIndex, testConfig } from '../helpers/services.js';

/**
 * Kibana cannot run here, so its assets are checked against the real index: every field they use
 * exists with a type Kibana can use (`_field_caps`), and each panel's query runs and answers.
 */
describe('Kibana assets against the real index', () => {
  let es: Client;
  let alias: string;
  const objects: SavedObject[] = readFileSync(join(KIBANA_DIR, 'cable-ingest.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as SavedObject);
  const viewIndex = (view: string): string => (view === CABLES_VIEW ? alias : failuresAlias(alias));

  before(async () => {
    const config = await testConfig();
    alias = config.indexAlias;
    es = new Client({ node: config.elasticsearchUrl });
    await ensureCableIndex(es, alias);
    await ensureFailuresIndex(es, alias);
    const texts = [
      ...readdirSync(SEEDS_DIR).map((n) => readFileSync(join(SEEDS_DIR, n), 'utf8')),
      ...readdirSync(corpusPath('dev'))
        .filter((n) => n.endsWith('.txt'))
        .slice(0, 40)
        .map((n) => readFileSync(corpusPath('dev', n), 'utf8')),
    ];
    const operations = texts.flatMap((t) => {
      const d = documentOf(t);
      return d.ok ? [{ index: { _index: alias, _id: documentIdOf(d.doc) } }, d.doc] : [];
    });
    const bulk = await es.bulk({ operations, refresh: true });
    assert.equal(bulk.errors, false);
    await recordFailure(es, alias, {
      job: { path: '/inbox/x.bin', sha256: 'b'.repeat(64), size: 3, detectedAt: new Date().toISOString() },
      spool: null,
      stage: 'read',
      code: 'not_text',
      message: 'NUL bytes',
      issues: [],
      attempts: 1,
      firstFailedAt: new Date().toISOString(),
      deadLetteredAt: new Date().toISOString(),
      host: 'test',
      parserVersion: 'test',
      causeCode: null,
    });
    await es.indices.refresh({ index: failuresAlias(alias) });
  });
  after(async () => {
    try {
      await dropCableIndex(es, alias);
    } finally {
      await es.close();
    }
  });

  it('the committed NDJSON is what the asset code builds (npm run kibana:assets)', () => {
    assert.equal(readFileSync(join(KIBANA_DIR, 'cable-ingest.ndjson'), 'utf8'), toNdjson(buildAssets()));
  });

  it('has fixed ids, the data views, searches, visualizations, a dashboard and a map, and every reference resolves', () => {
    const ids = new Set(objects.map((o) => o.id));
    assert.equal(ids.size, objects.length);
    const types = new Set(objects.map((o) => o.type));
    for (const t of ['index-pattern', 'search', 'visualization', 'dashboard', 'map']) assert.ok(types.has(t), t);
    for (const o of objects)
      for (const r of o.references) assert.ok(ids.has(r.id), `${o.id} refers to missing ${r.id}`);
    const dashboards = objects.filter((o) => o.type === 'dashboard');
    assert.equal(dashboards.length, DASHBOARDS.length);
    for (const dashboard of dashboards) {
      const grid = JSON.parse(dashboard.attributes['panelsJSON'] as string) as Array<{
        panelRefName: string;
        gridData: { x: number; y: number; w: number; h: number };
      }>;
      assert.equal(grid.length, dashboard.references.length);
      assert.deepEqual(grid.map((g) => g.panelRefName).sort(), dashboard.references.map((r) => r.name).sort());
      // No two panels overlap on Kibana's 48-column grid.
      const cells = new Set<string>();
      for (const { gridData: g } of grid)
        for (let x = g.x; x < g.x + g.w; x++)
          for (let y = g.y; y < g.y + g.h; y++) {
            assert.ok(x < 48 && !cells.has(`${x},${y}`), `${dashboard.id}: panels overlap at ${x},${y}`);
            cells.add(`${x},${y}`);
          }
    }
  });

  it("the analysts' dashboard holds their questions: over time, senders, TAGS by name, places, most cited, paragraphs by mark", () => {
    const analysts = objects.find((o) => o.id === 'cable-ingest-dashboard-analysts')!;
    const ids = analysts.references.map((r) => r.id);
    for (const id of [
      'cable-ingest-vis-over-time',
      'cable-ingest-vis-top-origins',
      'cable-ingest-vis-tag-names',
      MAP_ID,
      'cable-ingest-vis-most-cited',
      'cable-ingest-vis-paragraphs-by-mark',
      'cable-ingest-search-secret-paragraphs',
      'cable-ingest-search-citing',
    ])
      assert.ok(ids.includes(id), `analysts' dashboard lacks ${id}`);
    // The dead-letter reasons live on the operators' dashboard, not the analysts'.
    assert.ok(!ids.includes('cable-ingest-vis-dead-letter-reasons'));
  });

  it('every field the assets use exists with a type Kibana can use (_field_caps)', async () => {
    for (const f of fieldsUsed()) {
      const caps = await es.fieldCaps({ index: viewIndex(f.view), fields: [f.field] });
      const entry = caps.fields[f.field];
      assert.ok(entry, `${f.field} is not in ${viewIndex(f.view)}`);
      const [type, cap] = Object.entries(entry)[0]!;
      if (f.use === 'time') assert.equal(type, 'date', f.field);
      if (f.use === 'geo') assert.equal(type, 'geo_point', f.field);
      if (f.use === 'aggregate') assert.equal(cap.aggregatable, true, `${f.field} must be aggregatable`);
      assert.equal(cap.searchable, true, `${f.field} must be searchable`);
    }
  });

  it('each panel query runs and answers with buckets', async () => {
    for (const p of PANELS) {
      const [, ...buckets] = p.aggs;
      // Nest the bucket aggregations as Kibana does (the last innermost).
      let aggs: Record<string, unknown> | undefined;
      for (const b of [...buckets].reverse()) {
        // Kibana sends interval 'M' as a calendar month.
        const interval = b.params['interval'] === 'M' ? 'month' : 'year';
        const body =
          b.type === 'date_histogram'
            ? { date_histogram: { field: b.params['field'], calendar_interval: interval, min_doc_count: 1 } }
            : { terms: { field: b.params['field'], size: b.params['size'], order: { _count: 'desc' } } };
        aggs = { [b.id]: aggs ? { ...body, aggs } : body };
      }
      const r = await es.search({ index: viewIndex(p.view), size: 0, aggs: aggs as never });
      const first = (r.aggregations as Record<string, { buckets: unknown[] }>)[p.aggs[1]!.id]!;
      assert.ok(first.buckets.length > 0, `${p.title}: no buckets`);
    }
  });

  it('the Vega panel counts paragraphs by portion mark: its request, run on the index, equals a count of the documents', async () => {
    const all = await es.search<{ paragraph_texts?: Array<{ portion_mark: string | null }> }>({
      index: alias,
      size: 1000,
      _source: ['paragraph_texts'],
    });
    const expected = new Map<string, number>();
    for (const h of all.hits.hits)
      for (const p of h._source!.paragraph_texts ?? [])
        expected.set(p.portion_mark ?? '(none)', (expected.get(p.portion_mark ?? '(none)') ?? 0) + 1);
    assert.ok(expected.size > 2, 'the indexed cables hold paragraphs under several marks');
    for (const p of VEGA_PANELS) {
      const vis = objects.find((o) => o.id === p.id)!;
      const spec = JSON.parse(
        (JSON.parse(vis.attributes['visState'] as string) as { params: { spec: string } }).params.spec,
      ) as { data: { url: { body: unknown; index: string }; format: { property: string } } };
      assert.deepEqual(spec.data.url.body, p.request);
      const r = (await es.search({ index: alias, ...(spec.data.url.body as object) })) as unknown as Record<
        string,
        unknown
      >;
      let buckets: unknown = r;
      for (const k of spec.data.format.property.split('.')) buckets = (buckets as Record<string, unknown>)[k];
      const got = new Map((buckets as Array<{ key: string; doc_count: number }>).map((b) => [b.key, b.doc_count]));
      assert.deepEqual(got, expected);
    }
  });

  it('each saved search runs and finds what it names (two files of one cable, inferred ids among the dev cables)', async () => {
    // One cable kept in two versions: the seed, and the same text with CRLF line ends.
    const seed = readFileSync(join(SEEDS_DIR, readdirSync(SEEDS_DIR)[0]!), 'utf8').replace(/\r\n?/g, '\n');
    const indexer = new BulkIndexer(es, alias, { maxDocs: 10, maxBytes: 1_000_000, flushMs: 5 });
    for (const [name, text] of [
      ['a.txt', seed],
      ['b.txt', seed.replace(/\n/g, '\r\n')],
    ] as const) {
      const d = documentOf(text, name);
      assert.ok(d.ok);
      assert.ok(
        (
          await indexer.index({
            ...d.doc,
            ingest: { ...d.doc.ingest, sha256: createHash('sha256').update(text).digest('hex') },
          })
        ).ok,
      );
    }
    await es.indices.refresh({ index: alias });
    for (const s of SAVED_SEARCHES) {
      const r = await es.search({ index: alias, size: 0, track_total_hits: true, query: s.esQuery as never });
      const total = typeof r.hits.total === 'number' ? r.hits.total : r.hits.total!.value;
      assert.ok(total > 0, `${s.title}: no hits`);
    }
  });

  it('the id links run: a reference opens its cable, a cable id opens the cables citing it', async () => {
    const view = objects.find((o) => o.id === CABLES_VIEW)!;
    const formats = JSON.parse(view.attributes['fieldFormatMap'] as string) as Record<
      string,
      { id: string; params: { urlTemplate: string } }
    >;
    const r = await es.search<{ cable_id: string; references: Array<{ cable_id: string | null }> }>({
      index: alias,
      size: 1,
      query: { exists: { field: 'references.cable_id' } },
      _source: ['cable_id', 'references'],
    });
    const citing = r.hits.hits[0]!._source!;
    const cited = citing.references.find((x) => x.cable_id !== null)!.cable_id!;
    const values: Record<string, string> = { cable_id: cited, 'references.cable_id': citing.cable_id };
    for (const link of FIELD_LINKS) {
      const format = formats[link.field]!;
      assert.equal(format.id, 'url');
      assert.ok(
        format.params.urlTemplate.includes(`query:'${link.kql('{{value}}')}'`),
        `${link.field}: a Discover link with its KQL`,
      );
      const value = values[link.field]!;
      const found = await es.search<{ cable_id: string }>({
        index: alias,
        query: link.esQuery(value) as never,
        _source: ['cable_id'],
      });
      const ids = found.hits.hits.map((h) => h._source!.cable_id);
      // The id of a cited cable opens its citers (among them the citing one); a reference's id opens that cable.
      assert.ok(ids.includes(citing.cable_id), `${link.field}=${value} opens ${link.label}: ${ids.join(', ')}`);
    }
  });

  it('the map layers answer: sending posts (geo_bounds) and sender-to-addressee routes (geotile grids on both points)', async () => {
    assert.ok(objects.some((o) => o.id === MAP_ID));
    const senders = await es.search({ index: alias, size: 0, aggs: { b: { geo_bounds: { field: 'from.location' } } } });
    assert.ok((senders.aggregations as { b: { bounds?: unknown } }).b.bounds, 'senders have locations');
    const routes = await es.search({
      index: alias,
      size: 0,
      aggs: {
        destSplit: {
          geotile_grid: { field: 'to.location', precision: 3 },
          aggs: {
            sourceGrid: {
              geotile_grid: { field: 'from.location', precision: 3 },
              aggs: { sourceCentroid: { geo_centroid: { field: 'from.location' } } },
            },
            destCentroid: { geo_centroid: { field: 'to.location' } },
          },
        },
      },
    });
    const split = (routes.aggregations as { destSplit: { buckets: Array<{ sourceGrid: { buckets: unknown[] } }> } })
      .destSplit;
    assert.ok(
      split.buckets.length > 0 && split.buckets[0]!.sourceGrid.buckets.length > 0,
      'routes from senders to addressees',
    );
  });
});
