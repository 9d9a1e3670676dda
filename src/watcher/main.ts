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
    { claimMode: 'rename', owner: true, ...hooks, onFolder: (path) => events?.addFolder(path) },
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
