import { errors } from '@elastic/elasticsearch';
import type { ReasonCode } from '../errors.js';

/**
 * Pure classification of Elasticsearch outcomes (Vector's sinks/elasticsearch/retry.rs):
 * 429 is overload (retry later), 5xx and connection trouble are unavailability (retry later),
 * any other 4xx on an item is the document's fault (dead-letter with ES's reason).
 */
export function classifyBulkItemStatus(status: number): ReasonCode {
  if (status === 429) return 'es_overloaded';
  if (status >= 500) return 'es_unavailable';
  return 'es_mapping_rejected';
}

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
    if (status >= 500 || status === 0) return 'es_unavailable';
    return 'es_mapping_rejected';
  }
  return 'internal_error';
}
