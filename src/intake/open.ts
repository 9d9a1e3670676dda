import { QueueEvents } from 'bullmq';
import type { Connections } from '#shared/connections.js';
import type { Logger } from '#shared/logger.js';
import type { Metrics } from '#shared/metrics.js';
import { createQueue, QUEUE } from '#shared/queues.js';
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
  conn: Connections,
  log: Logger,
  options: Pick<IntakeOptions, 'claimMode' | 'owner' | 'onFolder' | 'announced'> & IntakeHooks,
  metrics?: Metrics,
): Promise<OpenedIntake> {
  const { config } = conn;
  const spool = await Spool.open(config.spoolDir, config.inboxDir);
  const queue = createQueue(QUEUE.cables, conn.redis, config.queuePrefix);
  // QueueEvents blocks on the events stream: a connection of its own, which waits out outages.
  const queueEvents = new QueueEvents(QUEUE.cables, { connection: conn.blocking(), prefix: config.queuePrefix });
  // Its connection's errors are reported by connect(); the sweep covers events missed meanwhile.
  queueEvents.on('error', () => undefined);
  const intake = new Intake({
    spool,
    queue,
    redis: conn.redis,
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
    },
  };
}
