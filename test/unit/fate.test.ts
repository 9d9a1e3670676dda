import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errors } from '@elastic/elasticsearch';
import { classifyBulkItemStatus, classifyEsError } from '../../src/shared/elasticsearch/classify.js';
import type { ReasonCode } from '../../src/shared/errors.js';
import { REASON_CODES, REASONS } from '../../src/shared/errors.js';
import { decideFate, stalledTooOften } from '../../src/shared/fate.js';

/** A `_bulk` answer as Elasticsearch writes it: one item per document, each with its own status. */
const BULK_RESPONSE = {
  took: 30,
  errors: true,
  items: [
    { index: { _index: 'cables-v1', _id: '07MOSCOW584', _version: 1, result: 'created', status: 201 } },
    { index: { _index: 'cables-v1', _id: '07MOSCOW585', _version: 2, result: 'updated', status: 200 } },
    {
      index: {
        _index: 'cables-v1',
        _id: '07MOSCOW586',
        status: 429,
        error: { type: 'es_rejected_execution_exception', reason: 'rejected execution of coordinating operation' },
      },
    },
    {
      index: {
        _index: 'cables-v1',
        _id: '07MOSCOW587',
        status: 503,
        error: { type: 'unavailable_shards_exception', reason: 'primary shard is not active' },
      },
    },
    {
      index: {
        _index: 'cables-v1',
        _id: '07MOSCOW588',
        status: 400,
        error: { type: 'document_parsing_exception', reason: 'failed to parse field [sent_at] of type [date]' },
      },
    },
  ],
};

const codeOf = (item: (typeof BULK_RESPONSE.items)[number]): ReasonCode | null =>
  item.index.status < 300 ? null : classifyBulkItemStatus(item.index.status);

describe('decideFate: one rule for every file, from its failure code and attempt', () => {
  it('on a literal bulk response, first attempt of ten: indexed, pause, pause, dead-letter', () => {
    const fates = BULK_RESPONSE.items.map((i) => decideFate(codeOf(i), 1, 10));
    assert.deepEqual(fates, [
      { kind: 'indexed' },
      { kind: 'indexed' },
      { kind: 'pause', code: 'es_overloaded' },
      { kind: 'pause', code: 'es_unavailable' },
      { kind: 'dead_letter', code: 'es_mapping_rejected', causeCode: null },
    ]);
  });
  it('an outage spends no attempt: still a pause on the last attempt', () => {
    assert.deepEqual(decideFate(codeOf(BULK_RESPONSE.items[3]!), 10, 10), { kind: 'pause', code: 'es_unavailable' });
  });
  it('other transient failures retry until the last attempt, then dead-letter as retries_exhausted with their cause', () => {
    assert.deepEqual(decideFate('es_version_conflict', 3, 10), { kind: 'retry', code: 'es_version_conflict' });
    assert.deepEqual(decideFate('es_version_conflict', 10, 10), {
      kind: 'dead_letter',
      code: 'retries_exhausted',
      causeCode: 'es_version_conflict',
    });
  });
  it('permanent failures dead-letter at once, whatever the attempt', () => {
    for (const code of ['not_text', 'too_large', 'no_cable_header', 'validation_failed', 'internal_error'] as const) {
      assert.deepEqual(decideFate(code, 1, 10), { kind: 'dead_letter', code, causeCode: null });
    }
  });
  it('a refused credential is an outage: a request-level 401 or 403 pauses on every attempt, never dead-letters', () => {
    for (const status of [401, 403]) {
      const err = new errors.ResponseError({
        body: { error: { type: 'security_exception', reason: 'unable to authenticate user [cable_writer]' } },
        statusCode: status,
        headers: {},
        warnings: null,
        meta: {} as never,
      });
      const code = classifyEsError(err);
      for (const attempt of [1, 10]) assert.deepEqual(decideFate(code, attempt, 10), { kind: 'pause', code });
    }
  });
  it('each class decides alone: every outage code pauses and every permanent code dead-letters, on any attempt', () => {
    for (const code of REASON_CODES) {
      const fate = decideFate(code, 10, 10).kind;
      const expected = { outage: 'pause', permanent: 'dead_letter', transient: 'dead_letter' }[REASONS[code].class];
      assert.equal(fate, expected, code);
    }
  });
  it('a job is not tried again once BullMQ counts more stalls than WORKER_MAX_STALLED', () => {
    assert.equal(stalledTooOften(0, 1), false);
    assert.equal(stalledTooOften(1, 1), false);
    assert.equal(stalledTooOften(2, 1), true);
    assert.deepEqual(decideFate('worker_stalled', 1, 10), {
      kind: 'dead_letter',
      code: 'worker_stalled',
      causeCode: null,
    });
  });
});
