import { errors } from '@elastic/elasticsearch';
import type { ReasonCode } from '../errors.js';

/**
 * Pure classification of Elasticsearch outcomes (Vector's sinks/elasticsearch/retry.rs): 429 is
 * overload, 5xx and connection trouble unavailability, 401 and 403 a credential refused (or, on an
 * item, an index blocked, as when the disk fills): all four are outages, the service's fault, never
 * the document's. Any other 4xx on an item is the document's fault (dead-lettered with ES's reason).
 */
export function classifyBulkItemStatus(status: number): ReasonCode {
  if (status === 429) return 'es_overloaded';
  if (status === 401) return 'es_unauthorized';
  if (status === 403) return 'es_forbidden';
  if (status >= 500) return 'es_unavailable';
  return 'es_mapping_rejected';
}

/**
 * A request that failed as a whole says nothing of any one document: only outages and bugs here.
 * A request-level 4xx other than those below (400 on `_bulk` itself) means the request we built is
 * wrong, a bug, so `internal_error`, never a mapping verdict on every cable of the batch.
 */
export function classifyEsError(err: unknown): ReasonCode {
  if (
    err instanceof errors.ConnectionError ||
    err instanceof errors.TimeoutError ||
    err instanceof errors.NoLivingConnectionsError
  ) {
    return 'es_unavailable';
  }
  if (err instanceof errors.ResponseError) {
    const status = err.meta.statusCode ?? 0;
    if (status === 429) return 'es_overloaded';
    if (status === 401) return 'es_unauthorized';
    if (status === 403) return 'es_forbidden';
    if (status === 413) return 'es_request_too_large';
    if (status >= 500 || status === 0) return 'es_unavailable';
  }
  return 'internal_error';
}
