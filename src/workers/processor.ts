import { UnrecoverableError, Worker, type Job, type Queue } from 'bullmq';
import { deadLetter } from '../shared/dead-letter.js';
import type { BulkIndexer } from '../shared/elasticsearch/bulk.js';
import { CableError, failure, isRetryable, type Failure } from '../shared/errors.js';
import { DroppedFileJob, type DeadLetterEntry } from '../shared/job-data.js';
import type { Logger } from '../shared/logger.js';
import type { ReferenceData } from '../shared/reference/types.js';
import { documentFromFile } from './pipeline.js';
import type { Metrics } from '../shared/metrics.js';
import type { OutageBackoff } from './outage.js';
import type { StageTimings } from './pipeline.js';
import { PARSER_VERSION } from './stages/parse/index.js';

export interface ProcessorDeps {
  ref: ReferenceData;
  indexer: BulkIndexer;
  deadLetters: Queue;
  maxFileBytes: number;
  log: Logger;
  /** Called with the drop-to-indexed time of each indexed cable. */
  onIndexed?: (cableId: string, msSinceDetected: number) => void;
  /** Elasticsearch outage: pause the whole queue for this long (BullMQ's queue rate limit). */
  pauseQueue: (ms: number) => Promise<void>;
  outage: OutageBackoff;
  /** Move an indexed file out of the inbox (ARCHIVE_DIR). */
  archive?: (path: string) => Promise<void>;
  /** Best effort: also record the entry in the searchable failures index. */
  recordFailure?: (entry: DeadLetterEntry) => Promise<void>;
  metrics?: Metrics;
}

export type JobOutcome =
  | { outcome: 'indexed'; cableId: string; index: string; result: string }
  | { outcome: 'dead_lettered'; code: string };

/**
 * The BullMQ processor shell. Permanent failures are dead-lettered at once and the job completes
 * with outcome `dead_lettered` (so `failed` stays meaningful: jobs still being retried or broken
 * in the shell itself). An Elasticsearch outage pauses the queue and returns the job to waiting
 * without counting an attempt. Other transient failures throw, and BullMQ retries with
 * exponential backoff and jitter; on the last attempt the cable is dead-lettered as
 * `retries_exhausted`.
 */
export function createProcessor(deps: ProcessorDeps): (job: Job) => Promise<JobOutcome> {
  return async (job: Job): Promise<JobOutcome> => {
    const data = DroppedFileJob.safeParse(job.data);
    if (!data.success) {
      // Not ours to retry: the job was written by something that does not speak our schema.
      throw new UnrecoverableError(`job ${job.id} has malformed data: ${data.error.message}`);
    }
    // Made on first use: most jobs log nothing at the default level.
    let childLog: Logger | null = null;
    const log = (): Logger => (childLog ??= deps.log.child({ jobId: job.id, sha256: data.data.sha256 }));
    const firstFailedAt = new Date(job.processedOn ?? Date.now()).toISOString();

    const toDeadLetter = async (f: Failure, causeCode: string | null = null): Promise<JobOutcome> => {
      const entry = await deadLetter(deps.deadLetters, data.data, f, {
        attempts: job.attemptsMade + 1,
        firstFailedAt,
        parserVersion: PARSER_VERSION,
        causeCode,
      });
      deps.metrics?.deadLettered.inc({ code: f.code });
      deps.metrics?.failure(f.stage, f.code);
      await deps.recordFailure?.(entry).catch((err: unknown) => log().warn({ err: (err as Error).message }, 'failure not recorded in Elasticsearch (it is in the dead-letter queue)'));
      log().warn({ code: f.code, stage: f.stage, path: data.data.path }, 'cable dead-lettered');
      return { outcome: 'dead_lettered', code: f.code };
    };

    const onTransient = async (f: Failure): Promise<JobOutcome> => {
      const attempts = job.opts.attempts ?? 1;
      if (job.attemptsMade + 1 >= attempts) {
        return toDeadLetter(failure('retries_exhausted', `${f.code}: ${f.message}`, undefined, f.stage), f.code);
      }
      log().info({ code: f.code, attempt: job.attemptsMade + 1 }, 'transient failure, will retry');
      deps.metrics?.failure(f.stage, f.code);
      throw new CableError(f);
    };

    let doc;
    const timings: StageTimings = { read: 0, parse: 0, enrich: 0 };
    try {
      doc = await documentFromFile(data.data, deps.ref, deps.maxFileBytes, undefined, timings);
      if (deps.metrics) {
        deps.metrics.stageDuration.observe({ stage: 'read' }, timings.read / 1000);
        if (timings.parse > 0) deps.metrics.stageDuration.observe({ stage: 'parse' }, timings.parse / 1000);
        if (timings.enrich > 0) deps.metrics.stageDuration.observe({ stage: 'enrich' }, timings.enrich / 1000);
      }
    } catch (err) {
      return toDeadLetter(failure('internal_error', err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err), undefined, 'parse'));
    }
    if (!doc.ok) return isRetryable(doc.failure.code) ? onTransient(doc.failure) : toDeadLetter(doc.failure);

    for (const u of doc.value.ingest.unknown_codes) deps.metrics?.unknownCodes.inc({ kind: u.slice(0, u.indexOf(':')) });
    const indexStarted = performance.now();
    const result = await deps.indexer.index(doc.value);
    deps.metrics?.stageDuration.observe({ stage: 'index' }, (performance.now() - indexStarted) / 1000);
    if (!result.ok && (result.failure.code === 'es_unavailable' || result.failure.code === 'es_overloaded')) {
      // Elasticsearch is down or shedding load: wait without spending an attempt (no DLQ flood).
      deps.metrics?.failure('index', result.failure.code);
      const ms = deps.outage.next(result.failure.code);
      log().warn({ code: result.failure.code, pauseMs: ms }, 'elasticsearch outage: pausing the queue');
      await deps.pauseQueue(ms);
      throw Worker.RateLimitError();
    }
    if (!result.ok) return isRetryable(result.failure.code) ? onTransient(result.failure) : toDeadLetter(result.failure);
    deps.outage.recovered();
    if (deps.archive) {
      await deps.archive(data.data.path).catch((err: unknown) => log().warn({ err: (err as Error).message, path: data.data.path }, 'indexed, but not archived'));
    }
    const sinceDrop = Date.now() - Date.parse(data.data.detectedAt);
    deps.metrics?.documentsIndexed.inc({ result: result.result });
    deps.metrics?.dropToIndexed.observe(sinceDrop / 1000);
    deps.onIndexed?.(result.id, sinceDrop);
    if (deps.log.isLevelEnabled('debug')) log().debug({ cable: { id: result.id }, result: result.result }, 'cable indexed');
    return { outcome: 'indexed', cableId: result.id, index: result.index, result: result.result };
  };
}
