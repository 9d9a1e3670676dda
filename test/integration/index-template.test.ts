import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Client, errors } from '@elastic/elasticsearch';
import { BulkIndexer } from '../../src/shared/elasticsearch/bulk.js';
import { readdirSync, readFileSync } from 'node:fs';
import { documentIdOf } from '../../src/shared/cable-versions.js';
import { englishAnalysisSettings } from '../../src/shared/elasticsearch/english.js';
import {
  CABLE_MAPPINGS,
  englishAnalysisOf,
  ensureCableIndex,
  versionedIndexName,
} from '../../src/shared/elasticsearch/index-template.js';
import { reindexToNextVersion } from '../../src/shared/elasticsearch/reindex.js';
import { documentOf } from '../../bench/scoring/corpus.js';
import { corpusPath } from '../helpers/paths.js';
import type { CableDocument } from '../../src/shared/stages.js';
import { dropCableIndex, testConfig } from '../helpers/services.js';

/** The fields the indexer reads (identity and version), with whatever else a test gives. */
function doc(cableId: string, extra: Record<string, unknown> = {}): CableDocument {
  const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
  return {
    cable_id: cableId,
    id_basis: 'read',
    partial_extract: false,
    versions: [],
    version_count: 1,
    ingest: {
      source_path: `/in/${cableId}.txt`,
      sha256: sha(cableId),
      size: 10,
      charset: 'utf-8',
      parser_version: 'test',
      ingested_at: '2026-01-01T00:00:00.000Z',
      detected_at: '2026-01-01T00:00:00.000Z',
      unknown_codes: [],
      warnings: [],
      text_sha256: sha(`text of ${cableId}`),
      text_length: 10,
    },
    ...extra,
  } as unknown as CableDocument;
}

describe('the index template on a real Elasticsearch', () => {
  let es: Client;
  let alias: string;

  before(async () => {
    const config = await testConfig();
    alias = config.indexAlias;
    es = new Client({ node: config.elasticsearchUrl });
  });
  after(async () => {
    try {
      await dropCableIndex(es, alias);
    } finally {
      await es.close();
    }
  });

  it('creates a versioned index behind the alias, idempotently, even when raced', async () => {
    const names = await Promise.all([
      ensureCableIndex(es, alias),
      ensureCableIndex(es, alias),
      ensureCableIndex(es, alias),
    ]);
    assert.deepEqual(new Set(names), new Set([versionedIndexName(alias)]));
    const a = await es.indices.getAlias({ name: alias });
    assert.deepEqual(Object.keys(a), [versionedIndexName(alias)]);
  });

  it('ELASTICSEARCH_REPLICAS and _REFRESH_INTERVAL are set on the index already there; auto expands 0-1 again', async () => {
    const index = await ensureCableIndex(es, alias, { replicas: 1, refreshInterval: '250ms' });
    const settingsOf = async (): Promise<{
      number_of_replicas?: string;
      auto_expand_replicas?: string;
      refresh_interval?: string;
    }> =>
      (await es.indices.getSettings({ index, flat_settings: false }))[index]!.settings!.index as {
        number_of_replicas?: string;
        auto_expand_replicas?: string;
        refresh_interval?: string;
      };
    assert.equal((await settingsOf()).number_of_replicas, '1');
    assert.equal((await settingsOf()).auto_expand_replicas, 'false');
    assert.equal((await settingsOf()).refresh_interval, '250ms');
    await ensureCableIndex(es, alias, { replicas: 'auto' });
    assert.equal((await settingsOf()).auto_expand_replicas, '0-1');
    // One node here: auto leaves no replica to wait for.
    assert.equal((await settingsOf()).number_of_replicas, '0');
    assert.equal((await settingsOf()).refresh_interval, '500ms');
  });

  it('ENGLISH_STEMMING=off: the .english subfields are analysed as the exact fields, and the index says so', async () => {
    const plain = `${alias}-plain`;
    try {
      const index = await ensureCableIndex(es, plain, { englishStemming: 'off' });
      assert.equal(await englishAnalysisOf(es, plain), 'standard');
      const r = await es.indices.analyze({ index, field: 'body.english', text: 'sanctions' });
      assert.deepEqual(
        r.tokens?.map((t) => t.token),
        ['sanctions'],
      );
    } finally {
      await dropCableIndex(es, plain);
    }
  });

  it('rejects a field the template does not know (dynamic: strict)', async () => {
    await assert.rejects(
      es.index({ index: alias, id: 'x', document: { cable_id: 'x', not_a_field: 1 } }),
      (err: unknown) =>
        err instanceof errors.ResponseError && err.body?.error?.type === 'strict_dynamic_mapping_exception',
    );
  });

  it('maps a bulk item rejection back to its document as es_mapping_rejected', async () => {
    const indexer = new BulkIndexer(es, alias, { maxDocs: 10, maxBytes: 1_000_000, flushMs: 10 });
    const good = indexer.index(doc('07GOOD1', { sent_at: '2007-01-01T00:00:00Z' }));
    const bad = indexer.index(doc('07BAD1', { sent_at: 'not a date' }));
    const [g, b] = await Promise.all([good, bad]);
    assert.equal(g.ok, true);
    assert.equal(b.ok, false);
    assert.equal(!b.ok && b.failure.code, 'es_mapping_rejected');
    assert.match(!b.ok ? b.failure.message : '', /document_parsing_exception|mapper_parsing_exception/);
  });

  it('gathers documents that arrive while a request is under way into the next request (maxInFlight)', async () => {
    const batches: number[] = [];
    const indexer = new BulkIndexer(
      es,
      alias,
      { maxDocs: 2, maxBytes: 1_000_000, flushMs: 10, maxInFlight: 1 },
      (docs) => batches.push(docs),
    );
    // Two fill the first request, which goes at once; the next three wait for it to return.
    const results = Promise.all(
      [0, 1, 2, 3, 4].map((i) => indexer.index(doc(`07GATHER${i}`, { sent_at: '2007-01-01T00:00:00Z' }))),
    );
    assert.deepEqual(indexer.backlog, { requests: 1, documents: 3 });
    assert.ok((await results).every((r) => r.ok));
    assert.deepEqual(batches, [2, 2, 1]);
    await es.indices.refresh({ index: alias });
    assert.equal((await es.count({ index: alias, query: { prefix: { cable_id: '07GATHER' } } })).count, 5);
  });

  it('keeps the one file of a document written before versions were recorded as a version', async () => {
    const before = doc('07OLDDOC1');
    // As an older cable-ingest wrote it: no versions, no text digest.
    const { versions: _v, version_count: _c, ...stored } = before;
    const { text_sha256: _t, text_length: _l, ...olderIngest } = before.ingest;
    await es.index({ index: alias, id: '07OLDDOC1', document: { ...stored, ingest: olderIngest }, refresh: true });
    const indexer = new BulkIndexer(es, alias, { maxDocs: 10, maxBytes: 1_000_000, flushMs: 5 });
    const arriving = doc('07OLDDOC1', {
      ingest: { ...before.ingest, sha256: 'f'.repeat(64), source_path: '/in/again.txt' },
    });
    assert.ok((await indexer.index(arriving)).ok);
    const after = (await es.get<CableDocument>({ index: alias, id: '07OLDDOC1' }))._source!;
    assert.deepEqual(after.versions.map((v) => v.sha256).sort(), [before.ingest.sha256, 'f'.repeat(64)].sort());
    // The older file has no text digest: the arriving one, which has, is shown.
    assert.equal(after.ingest.sha256, 'f'.repeat(64));
  });

  it('adds fields the mapping gained since an index was made (id_basis) to that index, by put-mapping', async () => {
    const old = `${alias}-upgrade`;
    const { id_basis: _added, ...before } = CABLE_MAPPINGS.properties;
    await es.indices.create({
      index: versionedIndexName(old),
      settings: { analysis: englishAnalysisSettings('standard') },
      mappings: { dynamic: 'strict', properties: before },
      aliases: { [old]: { is_write_index: true } },
    });
    try {
      await assert.rejects(
        es.index({ index: old, id: 'x', document: { cable_id: 'x', id_basis: 'read' } }),
        /strict_dynamic_mapping_exception/,
      );
      assert.equal(await ensureCableIndex(es, old), versionedIndexName(old));
      await es.index({ index: old, id: 'x', document: { cable_id: 'x', id_basis: 'read' }, refresh: true });
      assert.equal((await es.count({ index: old, query: { term: { id_basis: 'read' } } })).count, 1);
    } finally {
      await dropCableIndex(es, old);
    }
  });

  it('from the previous mapping version with documents in it: written to as it is, then es reindex moves it to the English subfields', async () => {
    const old = `${alias}-previous`;
    // Version 1's mapping: the same, without the .english subfields (and so without their analyzer)
    // and without paragraph_texts.
    const withoutEnglish = (field: { fields?: Record<string, unknown> }): Record<string, unknown> => {
      const { english: _english, ...rest } = field.fields ?? {};
      return Object.keys(rest).length > 0 ? { ...field, fields: rest } : { type: 'text' };
    };
    const { paragraph_texts: _new, ...p } = CABLE_MAPPINGS.properties;
    const v1 = {
      ...p,
      subject: withoutEnglish(p.subject),
      body: withoutEnglish(p.body),
      summary: withoutEnglish(p.summary),
    };
    await es.indices.create({
      index: `${old}-v1`,
      mappings: { dynamic: 'strict', properties: v1 as never },
      aliases: { [old]: { is_write_index: true } },
    });
    try {
      const texts = readdirSync(corpusPath('dev'))
        .filter((n) => n.endsWith('.txt'))
        .map((n) => readFileSync(corpusPath('dev', n), 'utf8'))
        .filter((t) => /\bsanctions\b/i.test(t) && !/\bsanction\b/i.test(t))
        .slice(0, 5);
      // As version 1 wrote them: no paragraph_texts.
      const docs = texts
        .map((t) => documentOf(t))
        .flatMap((d) => (d.ok ? [d.doc] : []))
        .map(({ paragraph_texts: _p, ...rest }) => rest);
      assert.ok(docs.length >= 3);
      const bulk = await es.bulk({
        refresh: true,
        operations: docs.flatMap((d) => [{ index: { _index: old, _id: documentIdOf(d as CableDocument) } }, d]),
      });
      assert.equal(bulk.errors, false);
      const warnings: string[] = [];
      assert.equal(await ensureCableIndex(es, old, { warn: (m) => warnings.push(m) }), `${old}-v1`);
      assert.ok(
        warnings.some((w) => /mapping version 1.*es reindex/.test(w)),
        warnings.join('\n'),
      );

      const moved = await reindexToNextVersion(es, old);
      assert.deepEqual(moved, { from: `${old}-v1`, to: `${old}-v2`, documents: docs.length });
      assert.deepEqual(Object.keys(await es.indices.getAlias({ name: old })), [`${old}-v2`]);
      const stemmed = await es.count({ index: old, query: { match: { 'body.english': 'sanction' } } });
      assert.equal(stemmed.count, docs.length, 'every copied cable found by the other form of its word');
      assert.notEqual(await englishAnalysisOf(es, old), null);
    } finally {
      for (const v of [1, 2]) await es.indices.delete({ index: `${old}-v${v}` }).catch(() => undefined);
      await es.indices.deleteIndexTemplate({ name: old }).catch(() => undefined);
    }
  });
});
