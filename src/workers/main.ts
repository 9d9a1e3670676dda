import { MetricsTime, Worker } from 'bullmq';
import type { Connections } from '#shared/connections.js';
import { BulkIndexer } from '#shared/elasticsearch/bulk.js';
import { ensureFailuresIndex, recordFailure } from '#shared/elasticsearch/failures-index.js';
import { ensureCableIndex } from '#shared/elasticsearch/index-template.js';
import type { Logger } from '#shared/logger.js';
import type { Metrics } from '#shared/metrics.js';
import { createQueue, QUEUE } from '#shared/queues.js';
import { loadReferenceData } from '#shared/reference/load.js';
import { OutageBackoff } from './outage.js';
import { createDeadLetterer, createProcessor, settleFailedJob, type ProcessorDeps } from './processor.js';

export interface WorkerHandle {
  worker: Worker;
  outage: OutageBackoff;
  /** Stop taking jobs, finish the ones in flight, flush the bulk buffer, close connections. */
  close(): Promise<void>;
}

export async function startWorkers(
  conn: Connections,
  log: Logger,
  hooks: Pick<ProcessorDeps, 'onIndexed'> = {},
  metrics?: Metrics,
): Promise<WorkerHandle> {
  const { config, es } = conn;
  const wlog = log.child({ module: 'worker' });
  const index = await ensureCableIndex(es, config.indexAlias, {
    replicas: config.elasticsearchReplicas,
    englishStemming: config.englishStemming,
    refreshInterval: config.elasticsearchRefreshInterval,
    warn: (message) => wlog.warn(message),
  });
  await ensureFailuresIndex(es, config.indexAlias, config.elasticsearchReplicas);
  const ref = loadReferenceData();
  const indexer = new BulkIndexer(es, config.indexAlias, config.bulk, (docs, bytes, ms) => {
    metrics?.bulkDocuments.observe(docs);
    metrics?.bulkBytes.observe(bytes);
    metrics?.bulkDuration.observe(ms / 1000);
  });
  const deadLetters = createQueue(QUEUE.deadLetter, conn.redis, config.queuePrefix);
  const cables = createQueue(QUEUE.cables, conn.redis, config.queuePrefix);
  const outage = new OutageBackoff();
  const deadLetterer = createDeadLetterer({
    dlq: deadLetters,
    log: wlog,
    metrics,
    recordFailure: (entry) => recordFailure(es, config.indexAlias, entry),
  });
  const processor = createProcessor({
    ref,
    indexer,
    deadLetters: deadLetterer,
    maxFileBytes: config.maxFileBytes,
    log: wlog,
    outage,
    loadBlobs: (keys) => conn.redis.mgetBuffer(...keys),
    pauseQueue: (ms) => cables.rateLimit(ms),
    maxStalled: config.workerLock.maxStalled,
    ...(metrics ? { metrics } : {}),
    ...hooks,
  });
  // BullMQ does not close connections it is given: the process's connections close them.
  const worker = new Worker(QUEUE.cables, processor, {
    connection: conn.blocking(),
    prefix: config.queuePrefix,
    concurrency: config.workerConcurrency,
    // After a crash (kill -9), a job's lock lapses (WORKER_LOCK_MS) and the stalled check hands it
    // to another worker: its unfinished files are processed again, idempotently. BullMQ counts the
    // stalls (job.stalledCounter); past WORKER_MAX_STALLED the processor itself dead-letters the
    // unfinished files as `worker_stalled` (fate.ts), so BullMQ's own limit is set out of reach:
    // it would fail the job without asking the processor, and the files would have no fate.
    lockDuration: config.workerLock.ms,
    stalledInterval: Math.max(500, Math.floor(config.workerLock.ms / 3)),
    maxStalledCount: Number.MAX_SAFE_INTEGER,
    // Per-minute completed/failed counts kept in Redis for a week: `cable-ingest status` reads them.
    metrics: { maxDataPoints: MetricsTime.ONE_WEEK },
  });
  worker.on('failed', (job, err) => {
    wlog.warn({ jobId: job?.id, err }, 'job attempt failed');
    // A job that ends in BullMQ's failed set (an exception the processor did not classify, on its
    // last attempt) must not lose its files: each one without a fate is dead-lettered, and the
    // outcomes are recorded in the job only after every entry is written.
    if (!job || (err.name !== 'UnrecoverableError' && job.attemptsMade < (job.opts.attempts ?? 1))) return;
    settleFailedJob(job, err, deadLetterer, config.workerLock.maxStalled).catch((e: unknown) =>
      wlog.error({ err: e, jobId: job.id }, 'could not settle a failed job: its files stay claimed until it is'),
    );
  });
  worker.on('error', (err) => wlog.error({ err }, 'worker error'));
  wlog.info(
    { index, alias: config.indexAlias, concurrency: config.workerConcurrency, prefix: config.queuePrefix },
    'workers started',
  );
  return {
    worker,
    outage,
    async close() {
      await worker.close();
      await indexer.flush();
      await deadLetters.close();
      await cables.close();
      wlog.info('workers stopped');
    },
  };
}
