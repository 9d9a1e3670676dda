import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errors } from '@elastic/elasticsearch';
import { classifyBulkItemStatus, classifyEsError } from '../../src/shared/elasticsearch/classify.js';

describe('Elasticsearch outcome classification (pure)', () => {
  it('classifies bulk item statuses', () => {
    assert.equal(classifyBulkItemStatus(429), 'es_overloaded');
    assert.equal(classifyBulkItemStatus(503), 'es_unavailable');
    assert.equal(classifyBulkItemStatus(400), 'es_mapping_rejected');
    assert.equal(classifyBulkItemStatus(403), 'es_forbidden');
  });
  it('classifies client errors', () => {
    assert.equal(classifyEsError(new errors.ConnectionError('connect ECONNREFUSED')), 'es_unavailable');
    assert.equal(classifyEsError(new errors.TimeoutError('timeout')), 'es_unavailable');
    assert.equal(classifyEsError(new Error('boom')), 'internal_error');
    const response = (statusCode: number): errors.ResponseError =>
      new errors.ResponseError({ body: {}, statusCode, headers: {}, warnings: null, meta: {} as never });
    // A request refused as a whole says nothing of its documents: never es_mapping_rejected.
    assert.equal(classifyEsError(response(401)), 'es_unauthorized');
    assert.equal(classifyEsError(response(403)), 'es_forbidden');
    assert.equal(classifyEsError(response(413)), 'es_request_too_large');
    assert.equal(classifyEsError(response(400)), 'internal_error');
  });
});
