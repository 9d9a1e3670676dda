import { QueueEvents } from 'bullmq';
import type { ServiceConfig } from '../shared/config.js';
import type { Logger } from '../shared/logger.js';
import type { Metrics } from '../shared/metrics.js';
import { createQueue, QUEUE } from '../shared/queues.js';
import { createRedis } from '../shared/redis.js';
import { Intake, type IntakeOptions } from './intake.js';
import { Spool } from './spool.js';

export type IntakeHooks = Pick<IntakeOptions, 'onQueued' | 'onFinished'>;

export interface OpenedIntake {
  intake: Intake;
  spool: Spool;
  close(): Promise<void>;
}

/** The intake over a spool: the one way the watcher, `backfill` and `reprocess` open it. */
export async function openIntake(
  config: ServiceConfig,
  log: Logger,
  options: Pick<IntakeOptions, 'claimMode' | 'owner'> & IntakeHooks & { onFolder?: (path: string) => void },
  metrics?: Metrics,
): Promise<OpenedIntake> {
  const spool = await Spool.open(config.spoolDir, config.inboxDir);
  const connection = createRedis(config.redisUrl, 'producer');
  // QueueEvents blocks on the events stream: a connection of its own, which waits out outages.
  const eventsConnection = createRedis(config.redisUrl, 'worker');
  const queue = createQueue(QUEUE.cables, connection, config.queuePrefix);
  const queueEvents = new QueueEvents(QUEUE.cables, { connection: eventsConnection, prefix: config.queuePrefix });
  const intake = new Intake({
    spool,
    queue,
    redis: connection,
    queuePrefix: config.queuePrefix,
    log,
    metrics,
    maxFileBytes: config.maxFileBytes,
    jobInlineMaxBytes: config.jobInlineMaxBytes,
    batchMaxFiles: config.batchMaxFiles,
    highWater: config.highWater,
    stabilityMs: config.watchStabilityMs,
    finishedFiles: config.finishedFiles,
    queueEvents,
    ...options,
  });
  await intake.start();
  return {
    intake,
    spool,
    async close() {
      await intake.close();
      await queueEvents.close();
      await queue.close();
      connection.disconnect();
      eventsConnection.disconnect();
    },
  };
}
