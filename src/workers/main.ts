import { MetricsTime, Worker } from 'bullmq';
import type { ServiceConfig } from '../shared/config.js';
import { BulkIndexer } from '../shared/elasticsearch/bulk.js';
import { createEsClient } from '../shared/elasticsearch/client.js';
import { ensureFailuresIndex, recordFailure } from '../shared/elasticsearch/failures-index.js';
import { ensureCableIndex } from '../shared/elasticsearch/index-template.js';
import type { Logger } from '../shared/logger.js';
import type { Metrics } from '../shared/metrics.js';
import { createQueue, QUEUE } from '../shared/queues.js';
import { createRedis } from '../shared/redis.js';
import { loadReferenceData } from '../shared/reference/load.js';
import { deadLetter } from '../shared/dead-letter.js';
import { failure } from '../shared/errors.js';
import { DroppedFileJob } from '../shared/job-data.js';
import { archiveFile } from './archive.js';
import { OutageBackoff } from './outage.js';
import { PARSER_VERSION } from './stages/parse/index.js';
import { createProcessor, type ProcessorDeps } from './processor.js';

export interface WorkerHandle {
  worker: Worker;
  outage: OutageBackoff;
  /** Stop taking jobs, finish the ones in flight, flush the bulk buffer, close connections. */
  close(): Promise<void>;
}

export async function startWorkers(
  config: ServiceConfig,
  log: Logger,
  hooks: Pick<ProcessorDeps, 'onIndexed'> = {},
  metrics?: Metrics,
): Promise<WorkerHandle> {
  const wlog = log.child({ module: 'worker' });
  const es = createEsClient(config.elasticsearchUrl);
  const index = await ensureCableIndex(es, config.indexAlias);
  await ensureFailuresIndex(es, config.indexAlias);
  const ref = loadReferenceData();
  const indexer = new BulkIndexer(es, config.indexAlias, config.bulk, (docs, bytes, ms) => {
    metrics?.bulkDocuments.observe(docs);
    metrics?.bulkBytes.observe(bytes);
    metrics?.bulkDuration.observe(ms / 1000);
  });
  const producer = createRedis(config.redisUrl, 'producer');
  const deadLetters = createQueue(QUEUE.deadLetter, producer, config.queuePrefix);
  const cables = createQueue(QUEUE.cables, producer, config.queuePrefix);
  const outage = new OutageBackoff();
  const processor = createProcessor({
    ref,
    indexer,
    deadLetters,
    maxFileBytes: config.maxFileBytes,
    log: wlog,
    outage,
    pauseQueue: (ms) => cables.rateLimit(ms),
    ...(metrics ? { metrics } : {}),
    recordFailure: (entry) => recordFailure(es, config.indexAlias, entry),
    ...(config.archiveDir ? { archive: (path: string) => archiveFile(path, config.inboxDir, config.archiveDir!) } : {}),
    ...hooks,
  });
  // BullMQ does not close connections it is given: each one is closed in close() below.
  const workerConnection = createRedis(config.redisUrl, 'worker');
  const worker = new Worker(QUEUE.cables, processor, {
    connection: workerConnection,
    prefix: config.queuePrefix,
    concurrency: config.workerConcurrency,
    // After a crash (kill -9), a job's lock lapses in 15 s and the stalled check (every 5 s)
    // hands it to another worker: the cable is processed again, idempotently.
    lockDuration: 15_000,
    stalledInterval: 5_000,
    maxStalledCount: 2,
    // Per-minute completed/failed counts kept in Redis for a week: `cable-ingest status` reads them.
    metrics: { maxDataPoints: MetricsTime.ONE_WEEK },
  });
  worker.on('failed', (job, err) => {
    wlog.warn({ jobId: job?.id, err: err.message }, 'job attempt failed');
    // A job that ends in BullMQ's failed set (stalled too often, or an unexpected throw on its
    // last attempt) must not be lost: it goes to the dead-letter queue like every other failure.
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1) || err.name === 'UnrecoverableError' || /stalled/i.test(err.message);
    const data = DroppedFileJob.safeParse(job.data);
    if (!final || !data.success) return;
    const code = /stalled/i.test(err.message) ? 'internal_error' : 'retries_exhausted';
    deadLetter(deadLetters, data.data, failure(code, err.message, undefined, 'index'), {
      attempts: job.attemptsMade,
      firstFailedAt: new Date(job.processedOn ?? Date.now()).toISOString(),
      parserVersion: PARSER_VERSION,
    }).catch((e: unknown) => wlog.error({ err: (e as Error).message, jobId: job.id }, 'could not dead-letter a failed job'));
  });
  worker.on('error', (err) => wlog.error({ err: err.message }, 'worker error'));
  wlog.info({ index, alias: config.indexAlias, concurrency: config.workerConcurrency, prefix: config.queuePrefix }, 'workers started');
  return {
    worker,
    outage,
    async close() {
      await worker.close();
      await indexer.flush();
      await deadLetters.close();
      await cables.close();
      producer.disconnect();
      workerConnection.disconnect();
      await es.close();
      wlog.info('workers stopped');
    },
  };
}
