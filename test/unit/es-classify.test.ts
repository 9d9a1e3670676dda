import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errors } from '@elastic/elasticsearch';
import { classifyBulkItemStatus, classifyEsError } from '../../src/shared/elasticsearch/classify.js';

describe('Elasticsearch outcome classification (pure)', () => {
  it('classifies bulk item statuses', () => {
    assert.equal(classifyBulkItemStatus(429), 'es_overloaded');
    assert.equal(classifyBulkItemStatus(503), 'es_unavailable');
    assert.equal(classifyBulkItemStatus(400), 'es_mapping_rejected');
  });
  it('classifies client errors', () => {
    assert.equal(classifyEsError(new errors.ConnectionError('connect ECONNREFUSED')), 'es_unavailable');
    assert.equal(classifyEsError(new errors.TimeoutError('timeout')), 'es_unavailable');
    assert.equal(classifyEsError(new Error('boom')), 'internal_error');
  });
});
