import { Worker } from 'bullmq';
import type { ServiceConfig } from '../shared/config.js';
import { BulkIndexer } from '../shared/elasticsearch/bulk.js';
import { createEsClient } from '../shared/elasticsearch/client.js';
import { ensureCableIndex } from '../shared/elasticsearch/index-template.js';
import type { Logger } from '../shared/logger.js';
import { createQueue, QUEUE } from '../shared/queues.js';
import { createRedis } from '../shared/redis.js';
import { loadReferenceData } from '../shared/reference/load.js';
import { OutageBackoff } from './outage.js';
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
): Promise<WorkerHandle> {
  const wlog = log.child({ module: 'worker' });
  const es = createEsClient(config.elasticsearchUrl);
  const index = await ensureCableIndex(es, config.indexAlias);
  const ref = loadReferenceData();
  const indexer = new BulkIndexer(es, config.indexAlias, config.bulk);
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
    ...hooks,
  });
  // BullMQ does not close connections it is given: each one is closed in close() below.
  const workerConnection = createRedis(config.redisUrl, 'worker');
  const worker = new Worker(QUEUE.cables, processor, {
    connection: workerConnection,
    prefix: config.queuePrefix,
    concurrency: config.workerConcurrency,
  });
  worker.on('failed', (job, err) => wlog.warn({ jobId: job?.id, err: err.message }, 'job attempt failed'));
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
