import { mkdir } from 'node:fs/promises';
import type { Connections } from '#shared/connections.js';
import type { Logger } from '#shared/logger.js';
import type { Metrics } from '#shared/metrics.js';
import type { Intake } from '../intake/intake.js';
import { openIntake, type IntakeHooks } from '../intake/open.js';
import type { Spool } from '../intake/spool.js';
import { InboxEvents } from './inbox-events.js';

export interface WatcherHandle {
  intake: Intake;
  spool: Spool;
  close(): Promise<void>;
}

export type WatcherHooks = IntakeHooks;

/** Paths held however low the high-water mark: a walk finds a few thousand at a time. */
const ANNOUNCED_AT_LEAST = 2_000;

/**
 * The watcher: the inbox's events feed the intake, which claims files into the spool, queues them
 * with their bytes, and finishes them from their jobs' outcomes. It owns the inbox and the spool;
 * workers anywhere need only Redis and Elasticsearch.
 */
export async function startWatcher(
  conn: Connections,
  log: Logger,
  hooks: WatcherHooks = {},
  metrics?: Metrics,
): Promise<WatcherHandle> {
  const { config } = conn;
  const wlog = log.child({ module: 'watcher' });
  await mkdir(config.inboxDir, { recursive: true });
  let events: InboxEvents | null = null;
  const opened = await openIntake(
    conn,
    wlog,
    {
      claimMode: 'rename',
      owner: true,
      ...hooks,
      onFolder: (path) => events?.addFolder(path),
      // A backlog stays in the inbox: the intake holds enough paths to fill the queue to its
      // high-water mark and as many again, and has the inbox walked again as they go.
      announced: {
        max: Math.max(2 * config.highWater.files, ANNOUNCED_AT_LEAST),
        refill: () => void events?.walk(),
      },
    },
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
