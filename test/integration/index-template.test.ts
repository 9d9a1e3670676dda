import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, errors } from '@elastic/elasticsearch';
import { BulkIndexer } from '../../src/shared/elasticsearch/bulk.js';
import { ensureCableIndex } from '../../src/shared/elasticsearch/index-template.js';
import type { CableDocument } from '../../src/shared/stages.js';
import { dropCableIndex, testConfig } from '../helpers/services.js';

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
    const names = await Promise.all([ensureCableIndex(es, alias), ensureCableIndex(es, alias), ensureCableIndex(es, alias)]);
    assert.deepEqual(new Set(names), new Set([`${alias}-v1`]));
    const a = await es.indices.getAlias({ name: alias });
    assert.deepEqual(Object.keys(a), [`${alias}-v1`]);
  });

  it('rejects a field the template does not know (dynamic: strict)', async () => {
    await assert.rejects(
      es.index({ index: alias, id: 'x', document: { cable_id: 'x', not_a_field: 1 } }),
      (err: unknown) => err instanceof errors.ResponseError && err.body?.error?.type === 'strict_dynamic_mapping_exception',
    );
  });

  it('maps a bulk item rejection back to its document as es_mapping_rejected', async () => {
    const indexer = new BulkIndexer(es, alias, { maxDocs: 10, maxBytes: 1_000_000, flushMs: 10 });
    const good = indexer.index({ cable_id: '07GOOD1', sent_at: '2007-01-01T00:00:00Z' } as CableDocument);
    const bad = indexer.index({ cable_id: '07BAD1', sent_at: 'not a date' } as unknown as CableDocument);
    const [g, b] = await Promise.all([good, bad]);
    assert.equal(g.ok, true);
    assert.equal(b.ok, false);
    assert.equal(!b.ok && b.failure.code, 'es_mapping_rejected');
    assert.match(!b.ok ? b.failure.message : '', /document_parsing_exception|mapper_parsing_exception/);
  });
});
