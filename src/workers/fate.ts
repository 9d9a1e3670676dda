import { isRetryable, type ReasonCode } from '../shared/errors.js';

/**
 * What becomes of one file after an attempt, decided in one place for the processor and for the
 * failed-job handler:
 *   indexed      its document is in Elasticsearch;
 *   pause        Elasticsearch is down or shedding load: every worker waits, no attempt is spent;
 *   retry        another transient failure: BullMQ retries the batch with backoff (only the
 *                files still without a fate are redone);
 *   dead_letter  permanent, or transient on the last attempt (then `retries_exhausted`, with the
 *                transient code kept as its cause).
 */
export type Fate =
  | { kind: 'indexed' }
  | { kind: 'pause'; code: ReasonCode }
  | { kind: 'retry'; code: ReasonCode }
  | { kind: 'dead_letter'; code: ReasonCode; causeCode: ReasonCode | null };

const OUTAGE: ReadonlySet<ReasonCode> = new Set(['es_unavailable', 'es_overloaded']);

/**
 * @param code     the file's failure code from this attempt, or null when it was indexed
 * @param attempt  this attempt, counted from 1
 * @param attempts the attempts a job has (BullMQ's `attempts`)
 * @param final    the job ends now whatever the code (stalled too often, or broken in the shell)
 */
export function decideFate(code: ReasonCode | null, attempt: number, attempts: number, final = false): Fate {
  if (code === null) return { kind: 'indexed' };
  if (!isRetryable(code)) return { kind: 'dead_letter', code, causeCode: null };
  if (final) return { kind: 'dead_letter', code: 'retries_exhausted', causeCode: code };
  // An outage spends no attempt, however long it lasts: nothing is dead-lettered for it.
  if (OUTAGE.has(code)) return { kind: 'pause', code };
  if (attempt >= attempts) return { kind: 'dead_letter', code: 'retries_exhausted', causeCode: code };
  return { kind: 'retry', code };
}

/** The reason a job that ended in BullMQ's failed set gives its unfinished files. */
export function failedJobCode(failedReason: string): ReasonCode {
  // Stalled too often: the worker holding it died each time (a crash, an OOM kill): a bug to look at.
  return /stalled/i.test(failedReason) ? 'internal_error' : 'retries_exhausted';
}
