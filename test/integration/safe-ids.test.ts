import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Client } from '@elastic/elasticsearch';
import { documentIdOf } from '../../src/shared/cable-versions.js';
import { BulkIndexer } from '../../src/shared/elasticsearch/bulk.js';
import { ensureCableIndex } from '../../src/shared/elasticsearch/index-template.js';
import { loadReferenceData } from '../../src/shared/reference/load.js';
import type { CableDocument } from '../../src/shared/stages.js';
import { documentFromBytes } from '../../src/workers/pipeline.js';
import { dropCableIndex, testConfig } from '../helpers/services.js';

const ref = loadReferenceData();

/** An undated partial extract: its year is inferred from the declassification date (03ANKARA3694). */
const EXTRACT = [
  'This record is a partial extract of the original cable. The full text of the original cable is not available.',
  '',
  'C O N F I D E N T I A L ANKARA 003694',
  '',
  'E.O. 12958: DECL: 06/05/2013',
  'TAGS: PREL PGOV TU',
  'SUBJECT: TURKEY: A TEST OF SAFE IDS',
  '',
  '1. (C) Summary: The minister met the ambassador. End summary.',
  '',
].join('\n');

function documentOf(name: string, text: string): CableDocument {
  const bytes = Buffer.from(text);
  const file = {
    path: `/in/${name}`,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    size: bytes.length,
    detectedAt: new Date().toISOString(),
  };
  const doc = documentFromBytes(file, bytes, ref, 1_000_000);
  assert.ok(doc.ok, `${name} reads as a cable`);
  return doc.value;
}

/** Issue #14: ids guessed from clues never join or replace a different text. */
describe('safe ids on a real Elasticsearch', () => {
  let es: Client;
  let alias: string;
  let indexer: BulkIndexer;

  before(async () => {
    const config = await testConfig();
    alias = config.indexAlias;
    es = new Client({ node: config.elasticsearchUrl });
    await ensureCableIndex(es, alias);
    indexer = new BulkIndexer(es, alias, { maxDocs: 50, maxBytes: 5_000_000, flushMs: 5 });
  });
  after(async () => {
    try {
      await dropCableIndex(es, alias);
    } finally {
      await es.close();
    }
  });

  it('joins an inferred id to the same text only, and lets a read id own the cable id', async () => {
    const lf = documentOf('extract.txt', EXTRACT);
    const crlf = documentOf('extract-crlf.txt', EXTRACT.replace(/\n/g, '\r\n'));
    const other = documentOf(
      'other.txt',
      EXTRACT.replace('The minister met the ambassador.', 'The minister did not meet the ambassador.'),
    );
    // The same cable with its DTG: the year is now written in the text.
    const dated = documentOf(
      'dated.txt',
      EXTRACT.replace('C O N F I D E N T I A L', '051200Z Jun 03\n\nC O N F I D E N T I A L'),
    );
    for (const d of [lf, crlf, other]) assert.deepEqual([d.cable_id, d.id_basis], ['03ANKARA3694', 'inferred']);
    assert.deepEqual([dated.cable_id, dated.id_basis], ['03ANKARA3694', 'read']);

    // The two inferred texts and their CRLF copy, then the read one.
    for (const r of await Promise.all([lf, crlf, other].map((d) => indexer.index(d)))) assert.ok(r.ok);
    assert.ok((await indexer.index(dated)).ok);
    await es.indices.refresh({ index: alias });

    const hits = (
      await es.search<CableDocument>({ index: alias, query: { term: { cable_id: '03ANKARA3694' } }, size: 10 })
    ).hits.hits;
    const byId = new Map(hits.map((h) => [h._id!, h._source!]));
    assert.equal(hits.length, 3, `three documents: ${[...byId.keys()].join(', ')}`);

    // The read id owns `_id` = cable_id, with its one version.
    const owner = byId.get('03ANKARA3694');
    assert.ok(owner, 'the dated text is the document 03ANKARA3694');
    assert.deepEqual([owner.id_basis, owner.version_count, owner.ingest.sha256], ['read', 1, dated.ingest.sha256]);

    // The extract and its CRLF copy: one document of two versions, under an id of their own.
    const sameText = byId.get(documentIdOf(lf));
    assert.ok(sameText && documentIdOf(lf) === documentIdOf(crlf) && documentIdOf(lf) !== '03ANKARA3694');
    assert.deepEqual(sameText.versions.map((v) => v.sha256).sort(), [lf.ingest.sha256, crlf.ingest.sha256].sort());
    assert.equal(sameText.id_basis, 'inferred');

    // A different text with the same inferred id: a document of its own, searchable by the cable id.
    const different = byId.get(documentIdOf(other));
    assert.ok(different && documentIdOf(other) !== documentIdOf(lf));
    assert.deepEqual([different.version_count, different.ingest.sha256], [1, other.ingest.sha256]);
  });

  it('sends the text as written, and bounds a request by its bytes, not its characters', async () => {
    // Latin-1 letters, Windows punctuation and a character outside the BMP: 2, 3 and 4 bytes in UTF-8.
    const words = 'The minister’s café in Zürich — noted 𝄞.';
    const wide = (n: string): string =>
      EXTRACT.replace('ANKARA 003694', `ANKARA 00${n}`).replace(
        'The minister met the ambassador.',
        `${words} `.repeat(40),
      );
    const a = documentOf('wide-a.txt', wide('5001'));
    const b = documentOf('wide-b.txt', wide('5002'));
    const bytesOf = (d: CableDocument): number => {
      const { versions: _v, version_count: _c, ...rest } = d;
      return Buffer.byteLength(JSON.stringify(rest));
    };
    const charsOf = (d: CableDocument): number => {
      const { versions: _v, version_count: _c, ...rest } = d;
      return JSON.stringify(rest).length;
    };
    // Room for both by their characters, for one by their bytes.
    const maxBytes = bytesOf(a) + bytesOf(b) - 1;
    assert.ok(charsOf(a) + charsOf(b) <= maxBytes, 'the two fit by characters');
    const requests: number[] = [];
    const bounded = new BulkIndexer(es, alias, { maxDocs: 50, maxBytes, flushMs: 50 }, (docs) => requests.push(docs));
    const results = await Promise.all([bounded.index(a), bounded.index(b)]);
    assert.ok(results.every((r) => r.ok));
    assert.deepEqual(requests, [1, 1], 'one request per document: the two together are over BULK_MAX_BYTES');

    const stored = (await es.get<CableDocument>({ index: alias, id: documentIdOf(a) }))._source!;
    assert.equal(stored.body, a.body);
    assert.ok(stored.body.includes(words), stored.body.slice(0, 200));
    assert.ok(stored.paragraph_texts.some((p) => p.text.includes(words)));
  });

  it('never lets an inferred id replace the document of a read one, whatever the order', async () => {
    const dated = documentOf(
      'dated-first.txt',
      EXTRACT.replace('ANKARA 003694', 'ANKARA 004000').replace(
        'C O N F I D E N T I A L',
        '051200Z Jun 03\n\nC O N F I D E N T I A L',
      ),
    );
    const extract = documentOf('extract-after.txt', EXTRACT.replace('ANKARA 003694', 'ANKARA 004000'));
    assert.equal(dated.cable_id, extract.cable_id);
    assert.ok((await indexer.index(dated)).ok);
    assert.ok((await indexer.index(extract)).ok);
    const owner = (await es.get<CableDocument>({ index: alias, id: dated.cable_id }))._source!;
    assert.deepEqual([owner.id_basis, owner.version_count, owner.ingest.sha256], ['read', 1, dated.ingest.sha256]);
    assert.ok(await es.exists({ index: alias, id: documentIdOf(extract) }));
  });
});
