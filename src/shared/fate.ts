import { reasonClass, type ReasonCode } from './errors.js';

/**
 * What becomes of one file after an attempt: the one decision, made by the workers and recorded
 * in the job (its progress while files wait, its return value at the end). Whoever owns the spool
 * only reads what was recorded; it never decides.
 *   indexed      its document is in Elasticsearch;
 *   pause        an outage (Elasticsearch down or shedding load, a credential refused): every
 *                worker waits, no attempt is spent, nothing is dead-lettered;
 *   retry        a transient failure: BullMQ retries the batch with backoff (only the files
 *                still without a fate are redone);
 *   dead_letter  a permanent failure, or a transient one on the last attempt (then
 *                `retries_exhausted`, with the transient code kept as its cause).
 */
export type Fate =
  | { kind: 'indexed' }
  | { kind: 'pause'; code: ReasonCode }
  | { kind: 'retry'; code: ReasonCode }
  | { kind: 'dead_letter'; code: ReasonCode; causeCode: ReasonCode | null };

/**
 * @param code     the file's failure code from this attempt, or null when it was indexed
 * @param attempt  this attempt, counted from 1
 * @param attempts the attempts a job has (BullMQ's `attempts`)
 */
export function decideFate(code: ReasonCode | null, attempt: number, attempts: number): Fate {
  if (code === null) return { kind: 'indexed' };
  switch (reasonClass(code)) {
    case 'permanent':
      return { kind: 'dead_letter', code, causeCode: null };
    case 'outage':
      // However long it lasts: an outage is the service's fault, not the cable's.
      return { kind: 'pause', code };
    case 'transient':
      return attempt >= attempts
        ? { kind: 'dead_letter', code: 'retries_exhausted', causeCode: code }
        : { kind: 'retry', code };
  }
}

/**
 * A job whose worker died while holding it more than `maxStalled` times (BullMQ's own count of
 * stalls, `job.stalledCounter`): its files are not tried again, since one of them may be what
 * kills the worker.
 */
export function stalledTooOften(stalledCounter: number, maxStalled: number): boolean {
  return stalledCounter > maxStalled;
}
