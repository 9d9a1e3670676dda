import { UnrecoverableError, Worker, type Job, type Queue } from 'bullmq';
import { deadLetter } from '#shared/dead-letter.js';
import type { BulkIndexer } from '#shared/elasticsearch/bulk.js';
import { CableError, failure, type Failure, type ReasonCode } from '#shared/errors.js';
import {
  BatchOutcomes,
  CableBatchJob,
  type DeadLetterEntry,
  type FileOutcome,
  type SpooledFile,
  type SpoolRef,
} from '#shared/job-data.js';
import type { Logger } from '#shared/logger.js';
import type { Metrics } from '#shared/metrics.js';
import type { ReferenceData } from '#shared/reference/types.js';
import { fail, ok, type Result } from '#shared/result.js';
import type { CableDocument, IndexResult } from '#shared/stages.js';
import { decideFate, stalledTooOften } from '#shared/fate.js';
import type { OutageBackoff } from './outage.js';
import { documentFromBytes, type StageTimings } from './pipeline.js';
import { PARSER_VERSION } from './stages/parse/index.js';

export interface ProcessorDeps {
  ref: ReferenceData;
  indexer: BulkIndexer;
  deadLetters: DeadLetterer;
  maxFileBytes: number;
  log: Logger;
  /** The bytes of files kept in Redis under the keys their job names (one request for a batch's). */
  loadBlobs: (keys: string[]) => Promise<Array<Buffer | null>>;
  /** Called with the drop-to-indexed time of each indexed cable. */
  onIndexed?: (cableId: string, msSinceDetected: number) => void;
  /** Elasticsearch outage: pause the whole queue for this long (BullMQ's queue rate limit). */
  pauseQueue: (ms: number) => Promise<void>;
  outage: OutageBackoff;
  /** WORKER_MAX_STALLED: a job whose worker died more often than this is not tried again. */
  maxStalled: number;
  metrics?: Metrics;
}

/** Writes one file's dead letter: the queue entry, its metrics, the failures index, a log line. */
export type DeadLetterer = (
  file: SpooledFile,
  spool: SpoolRef,
  f: Failure,
  meta: { attempts: number; firstFailedAt: string; causeCode: ReasonCode | null },
) => Promise<DeadLetterEntry>;

export function createDeadLetterer(deps: {
  dlq: Queue;
  log: Logger;
  metrics?: Metrics | undefined;
  /** Best effort: also record the entry in the searchable failures index. */
  recordFailure?: (entry: DeadLetterEntry) => Promise<void>;
}): DeadLetterer {
  return async (file, spool, f, meta) => {
    const entry = await deadLetter(
      deps.dlq,
      { path: file.path, sha256: file.sha256, size: file.size, detectedAt: file.detectedAt },
      f,
      {
        ...meta,
        spool,
        parserVersion: PARSER_VERSION,
      },
    );
    deps.metrics?.deadLettered.inc({ code: f.code });
    deps.metrics?.failure(f.stage, f.code);
    await deps
      .recordFailure?.(entry)
      .catch((err: unknown) =>
        deps.log.warn(
          { err, sha256: file.sha256 },
          'failure not recorded in Elasticsearch (it is in the dead-letter queue)',
        ),
      );
    deps.log.warn({ code: f.code, stage: f.stage, path: file.path, sha256: file.sha256 }, 'cable dead-lettered');
    return entry;
  };
}

/** What a batch already has from earlier attempts (kept in the job's progress). */
export function priorProgress(job: Job): { outcomes: Record<string, FileOutcome>; firstFailedAt: string | null } {
  const prior = BatchOutcomes.safeParse(job.progress);
  return prior.success
    ? { outcomes: { ...prior.data.outcomes }, firstFailedAt: prior.data.firstFailedAt ?? null }
    : { outcomes: {}, firstFailedAt: null };
}

/**
 * The files of a job that ended in BullMQ's failed set (an exception the processor did not
 * classify, on its last attempt, or stalled too often) get their fate here, from the same rule:
 * each one still without an outcome is dead-lettered (`worker_stalled` or `internal_error`), and
 * only once every entry is written are the outcomes recorded in the job, where the owner of the
 * spool reads them. Until then the owner leaves the files claimed: a file in `failed/` always has
 * its dead-letter entry.
 */
export async function settleFailedJob(
  job: Job,
  err: Error,
  deadLetters: DeadLetterer,
  maxStalled: number,
): Promise<void> {
  const data = CableBatchJob.safeParse(job.data);
  if (!data.success) return; // nothing of ours to finish: no spool tracks a job it cannot read
  const { outcomes, firstFailedAt } = priorProgress(job);
  const at = firstFailedAt ?? new Date().toISOString();
  // A worker of another configuration may have run the stalled check and had BullMQ fail the job
  // (its own maxStalledCount): BullMQ's count of stalls still says what happened.
  const code = stalledTooOften(job.stalledCounter, maxStalled) ? 'worker_stalled' : 'internal_error';
  for (const file of data.data.files) {
    if (outcomes[file.name]) continue;
    const fate = decideFate(code, job.attemptsMade, job.opts.attempts ?? 1);
    if (fate.kind !== 'dead_letter') continue;
    const f = failure(fate.code, `the job failed: ${err.message}`, undefined, 'index');
    await deadLetters(file, data.data.spool, f, { attempts: job.attemptsMade, firstFailedAt: at, causeCode: null });
    outcomes[file.name] = { outcome: 'dead_lettered', code: f.code, message: f.message };
  }
  await job.updateProgress({ outcomes, firstFailedAt: at } satisfies BatchOutcomes);
}

/**
 * The BullMQ processor shell over a batch of files. Each file gets its own fate (decideFate): indexed,
 * dead-lettered at once with its reason, or left for a retry. Files with a fate are recorded in the
 * job's progress, so a retried batch redoes only the rest. When every file has a fate the job
 * completes with the outcomes, which the owner of the spool acts on. An Elasticsearch outage
 * pauses the queue and returns the job to waiting without spending an attempt.
 */
export function createProcessor(deps: ProcessorDeps): (job: Job) => Promise<BatchOutcomes> {
  return async (job: Job): Promise<BatchOutcomes> => {
    const parsed = CableBatchJob.safeParse(job.data);
    if (!parsed.success) {
      // Not ours to retry: the job was written by something that does not speak our schema.
      throw new UnrecoverableError(`job ${job.id} has malformed data: ${parsed.error.message}`);
    }
    const batch = parsed.data;
    const prior = priorProgress(job);
    const outcomes = prior.outcomes;
    const attempt = job.attemptsMade + 1;
    const attempts = job.opts.attempts ?? 1;
    // The first failure's time, kept across attempts in the job's progress (BullMQ's processedOn
    // is reset at every attempt).
    const firstFailedAt = prior.firstFailedAt ?? new Date().toISOString();
    // BullMQ's own count of the times a worker died holding this job.
    const stalled = stalledTooOften(job.stalledCounter, deps.maxStalled);
    let pauseFor: Failure | null = null;
    let retryFor: Failure | null = null;

    const settle = async (file: SpooledFile, result: Result<string>): Promise<void> => {
      const fate = decideFate(result.ok ? null : result.failure.code, attempt, attempts);
      if (fate.kind === 'indexed' && result.ok) {
        outcomes[file.name] = { outcome: 'indexed', cableId: result.value };
      } else if (fate.kind === 'dead_letter' && !result.ok) {
        const f = fate.causeCode
          ? failure(fate.code, `${fate.causeCode}: ${result.failure.message}`, undefined, result.failure.stage)
          : result.failure;
        await deps.deadLetters(file, batch.spool, f, { attempts: attempt, firstFailedAt, causeCode: fate.causeCode });
        outcomes[file.name] = { outcome: 'dead_lettered', code: f.code, message: f.message };
      } else if (fate.kind === 'pause' && !result.ok) {
        pauseFor = result.failure;
        deps.metrics?.failure('index', fate.code);
      } else if (!result.ok) {
        retryFor = result.failure;
        deps.metrics?.failure(result.failure.stage, result.failure.code);
      }
    };

    // Each document goes to the bulk indexer as soon as it is built, and is not kept here: the
    // indexer holds its JSON, and the batch's documents need not live until the last is written.
    const indexing: Array<{ file: SpooledFile; result: Promise<IndexResult> }> = [];
    const blobKeys = batch.files.flatMap((f) => (f.blobKey && !outcomes[f.name] && !stalled ? [f.blobKey] : []));
    const blobs = new Map<string, Buffer | null>();
    if (blobKeys.length > 0) (await deps.loadBlobs(blobKeys)).forEach((b, i) => blobs.set(blobKeys[i]!, b));
    for (const file of batch.files) {
      if (outcomes[file.name]) continue;
      if (stalled) {
        const message = `its worker died ${job.stalledCounter} times while holding the job (WORKER_MAX_STALLED is ${deps.maxStalled})`;
        await settle(file, fail(failure('worker_stalled', message)));
        continue;
      }
      const doc = documentOf(file, file.blobKey ? (blobs.get(file.blobKey) ?? null) : null, deps);
      if (doc.ok) indexing.push({ file, result: deps.indexer.index(doc.value, file.previousId ?? null) });
      else await settle(file, doc);
    }
    // The index stage's time: from the batch's last document built to its last written.
    const indexStarted = performance.now();
    const results = await Promise.all(indexing.map((x) => x.result));
    deps.metrics?.stageDuration.observe({ stage: 'index' }, (performance.now() - indexStarted) / 1000);
    for (const [i, r] of results.entries()) {
      const { file } = indexing[i]!;
      await settle(file, r.ok ? ok(r.id) : fail(r.failure));
      if (!r.ok) continue;
      deps.metrics?.documentsIndexed.inc({ result: r.result });
      // A reprocessed original keeps the time it was first noticed: no drop-to-indexed latency of its own.
      if (file.previousId !== undefined) continue;
      const sinceDrop = Date.now() - Date.parse(file.detectedAt);
      deps.metrics?.dropToIndexed.observe(sinceDrop / 1000);
      deps.onIndexed?.(r.id, sinceDrop);
    }

    if (pauseFor !== null || retryFor !== null) {
      await job.updateProgress({ outcomes, firstFailedAt } satisfies BatchOutcomes);
      if (pauseFor !== null) {
        // Elasticsearch is down or shedding load: wait without spending an attempt (no DLQ flood).
        const { code, message } = pauseFor as Failure;
        const ms = deps.outage.next(code);
        // The message is Elasticsearch's own (for a 403, the privilege the credential lacks).
        deps.log.warn({ code, reason: message, pauseMs: ms, jobId: job.id }, 'elasticsearch outage: pausing the queue');
        await deps.pauseQueue(ms);
        throw Worker.RateLimitError();
      }
      deps.log.info(
        { code: retryFor!.code, attempt, jobId: job.id },
        'transient failure, will retry the unfinished files',
      );
      throw new CableError(retryFor!);
    }
    if (results.some((r) => r.ok)) deps.outage.recovered();
    return { outcomes };
  };
}

/** One file through read, parse, validate and enrich: its bytes from the job, or its blob (read with the batch's). */
function documentOf(file: SpooledFile, blob: Buffer | null, deps: ProcessorDeps): Result<CableDocument> {
  if (file.claimFailure) return fail(failure(file.claimFailure.code, file.claimFailure.message));
  const sha256 = file.sha256;
  // Only a file the intake could not read comes without a hash, and it comes with its claim failure.
  if (sha256 === null) return fail(failure('internal_error', `${file.path} has no content hash and no claim failure`));
  const bytes = file.content !== undefined ? Buffer.from(file.content, 'latin1') : blob;
  if (!bytes)
    return fail(
      failure(
        'file_vanished',
        `the bytes of ${file.path} are no longer in Redis (${file.blobKey ?? 'no content in the job'})`,
      ),
    );
  const timings: StageTimings = { read: 0, parse: 0, enrich: 0 };
  try {
    const dropped = { path: file.path, sha256, size: file.size, detectedAt: file.detectedAt };
    const doc = documentFromBytes(dropped, bytes, deps.ref, deps.maxFileBytes, undefined, timings);
    if (deps.metrics) {
      deps.metrics.stageDuration.observe({ stage: 'read' }, timings.read / 1000);
      if (timings.parse > 0) deps.metrics.stageDuration.observe({ stage: 'parse' }, timings.parse / 1000);
      if (timings.enrich > 0) deps.metrics.stageDuration.observe({ stage: 'enrich' }, timings.enrich / 1000);
    }
    for (const u of doc.ok ? doc.value.ingest.unknown_codes : [])
      deps.metrics?.unknownCodes.inc({ kind: u.slice(0, u.indexOf(':')) });
    return doc;
  } catch (err) {
    return fail(
      failure(
        'internal_error',
        err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err),
        undefined,
        'parse',
      ),
    );
  }
}
