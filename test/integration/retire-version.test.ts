import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@elastic/elasticsearch';
import type { ServiceConfig } from '../../src/shared/config.js';
import { BulkIndexer } from '../../src/shared/elasticsearch/bulk.js';
import { createEsClient } from '../../src/shared/elasticsearch/client.js';
import { ensureCableIndex } from '../../src/shared/elasticsearch/index-template.js';
import { loadReferenceData } from '../../src/shared/reference/load.js';
import type { CableDocument } from '../../src/shared/stages.js';
import { documentFromBytes } from '../../src/workers/pipeline.js';
import { SEEDS_DIR } from '../helpers/paths.js';
import { startHttpFaultProxy, type HttpFaultProxy } from '../helpers/http-fault-proxy.js';
import { dropCableIndex, testConfig } from '../helpers/services.js';

/**
 * Issue #27, defect 2: a reprocessed file whose id changed is written under its new id, then its
 * version leaves the old document. When that second step fails (Elasticsearch answers 503 to it),
 * the file is not indexed: it fails as an outage and is tried again, so a version never stays on
 * two documents unrecorded. The real node; a proxy fails only the old document's update.
 */
describe('a version that cannot leave its old document', () => {
  let config: ServiceConfig;
  let es: Client;
  let proxy: HttpFaultProxy;
  let viaProxy: Client;

  before(async () => {
    config = await testConfig();
    es = new Client({ node: config.elasticsearchUrl });
    await ensureCableIndex(es, config.indexAlias);
    proxy = await startHttpFaultProxy(config.elasticsearchUrl);
    viaProxy = createEsClient(proxy.url);
  });

  after(async () => {
    await viaProxy.close();
    await proxy.close();
    await dropCableIndex(es, config.indexAlias);
    await es.close();
  });

  it('fails the file (es_unavailable) while the old document keeps the version, then moves it', async () => {
    const seed = readdirSync(SEEDS_DIR)[0]!;
    const bytes = readFileSync(join(SEEDS_DIR, seed));
    const file = {
      path: `/inbox/${seed}`,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      size: bytes.length,
      detectedAt: new Date().toISOString(),
    };
    const built = documentFromBytes(file, bytes, loadReferenceData(), 1_000_000);
    assert.ok(built.ok);
    const doc = built.value;
    const id = doc.cable_id;
    // The document as an older parser left it, under another id.
    await es.index({
      index: config.indexAlias,
      id: '99OLDID1',
      document: { ...doc, cable_id: '99OLDID1' },
      refresh: true,
    });
    const indexer = new BulkIndexer(viaProxy, config.indexAlias, { maxDocs: 10, maxBytes: 1_000_000, flushMs: 5 });

    proxy.fault = ({ method, path }) =>
      method !== 'GET' && /\/(_update|_doc)\/99OLDID1/.test(path)
        ? {
            status: 503,
            body: { error: { type: 'unavailable_shards_exception', reason: 'primary shard is not active' } },
          }
        : null;
    const failed = await indexer.index(doc, '99OLDID1');
    assert.equal(failed.ok, false, 'not indexed while its version is still on the old document');
    assert.equal(!failed.ok && failed.failure.code, 'es_unavailable');
    assert.equal(await es.exists({ index: config.indexAlias, id: '99OLDID1' }), true);

    proxy.fault = null;
    const again = await indexer.index(doc, '99OLDID1');
    assert.equal(again.ok, true);
    await es.indices.refresh({ index: config.indexAlias });
    assert.equal(await es.exists({ index: config.indexAlias, id: '99OLDID1' }), false, 'the old document gone');
    const moved = (await es.get<CableDocument>({ index: config.indexAlias, id }))._source!;
    assert.deepEqual(
      moved.versions.map((v) => v.sha256),
      [file.sha256],
    );
  });
});
