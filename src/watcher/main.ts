import { mkdir } from 'node:fs/promises';
import { QueueEvents } from 'bullmq';
import type { ServiceConfig } from '../shared/config.js';
import type { Logger } from '../shared/logger.js';
import type { Metrics } from '../shared/metrics.js';
import { createQueue, QUEUE } from '../shared/queues.js';
import { createRedis } from '../shared/redis.js';
import { InboxEvents } from './inbox-events.js';
import { Intake, type IntakeOptions } from './intake.js';
import { Spool } from './spool.js';

export interface WatcherHandle {
  intake: Intake;
  spool: Spool;
  close(): Promise<void>;
}

export type WatcherHooks = Pick<IntakeOptions, 'onQueued' | 'onFinished'>;

/** The intake over a spool: the one way the watcher and `backfill` open it. */
export async function openIntake(
  config: ServiceConfig,
  log: Logger,
  options: Pick<IntakeOptions, 'claimMode'> & WatcherHooks & { onFolder?: (path: string) => void },
  metrics?: Metrics,
): Promise<{ intake: Intake; spool: Spool; close(): Promise<void> }> {
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

/**
 * The watcher: the inbox's events feed the intake, which claims files into the spool, queues them
 * with their bytes, and finishes them from their jobs' outcomes. It owns the inbox and the spool;
 * workers anywhere need only Redis and Elasticsearch.
 */
export async function startWatcher(
  config: ServiceConfig,
  log: Logger,
  hooks: WatcherHooks = {},
  metrics?: Metrics,
): Promise<WatcherHandle> {
  const wlog = log.child({ module: 'watcher' });
  await mkdir(config.inboxDir, { recursive: true });
  let events: InboxEvents | null = null;
  const opened = await openIntake(
    config,
    wlog,
    { claimMode: 'rename', ...hooks, onFolder: (path) => events?.addFolder(path) },
    metrics,
  );
  events = new InboxEvents(
    config.inboxDir,
    { polling: config.watchPolling, rescanIntervalMs: config.rescanIntervalMs },
    (path) => opened.intake.offer(path),
    (err, path) => wlog.error({ err, path }, 'watch error'),
  );
  await events.start();
  wlog.info(
    { inbox: config.inboxDir, spool: config.spoolDir, spoolId: opened.spool.id, polling: config.watchPolling },
    'watching inbox',
  );
  return {
    intake: opened.intake,
    spool: opened.spool,
    async close() {
      await events?.close();
      await opened.close();
      wlog.info('watcher stopped');
    },
  };
}
