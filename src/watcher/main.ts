import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { ServiceConfig } from '../shared/config.js';
import type { Logger } from '../shared/logger.js';
import type { Metrics } from '../shared/metrics.js';
import type { DroppedFile } from '../shared/stages.js';
import { createQueue, QUEUE } from '../shared/queues.js';
import { createRedis } from '../shared/redis.js';
import { enqueueFile } from './enqueue.js';
import { fingerprint } from './fingerprint.js';
import { isIgnoredName, watchInbox } from './inbox-watcher.js';
import { insideInbox, walkInbox } from './rescan.js';

/** Events in one burst after which the inbox is walked again (inotify may have dropped some). */
const BURST_RESCAN_EVENTS = 1_000;

export interface WatcherHandle {
  ready: Promise<void>;
  close(): Promise<void>;
}

export interface WatcherHooks {
  /** After each file's enqueue was answered: `created` is false when the job already existed. */
  onEnqueued?: (path: string, created: boolean) => void;
}

export async function startWatcher(config: ServiceConfig, log: Logger, hooks: WatcherHooks = {}, metrics?: Metrics): Promise<WatcherHandle> {
  const wlog = log.child({ module: 'watcher' });
  mkdirSync(config.inboxDir, { recursive: true });
  const connection = createRedis(config.redisUrl, 'producer');
  const queue = createQueue(QUEUE.cables, connection, config.queuePrefix);
  const pending = new Set<Promise<void>>();
  let stopping = false;

  const inboxReal = await realpath(config.inboxDir);
  let rescan: (missedOnly?: boolean) => Promise<void> = async () => undefined;
  // path -> "size:mtime" of what was last offered, so the periodic rescan skips unchanged files.
  const offered = new Map<string, string>();

  const handle = (path: string, st?: { size: number; mtimeMs: number }): void => {
    if (isIgnoredName(path)) return;
    // Known from now on: the walk after a burst looks only for files no event announced.
    if (!offered.has(path)) offered.set(path, 'in progress');
    const p = (async () => {
      if (!(await insideInbox(path, inboxReal))) {
        wlog.warn({ path }, 'ignored: a symlink leading out of the inbox');
        return;
      }
      metrics?.filesDetected.inc({ source: st ? 'rescan' : 'event' });
      // The file first: a file the watcher cannot read is the file's fault, not Redis's.
      let file: DroppedFile;
      try {
        const { mtimeMs, ...seen } = await fingerprint(path);
        offered.set(path, `${seen.size}:${mtimeMs}`);
        file = seen;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') {
          wlog.info({ path }, 'file vanished before it was enqueued');
          return;
        }
        // Unreadable here (EACCES, EPERM ...): enqueue it anyway, identified by its path, so the
        // worker's read stage gives it its typed reason and it lands in the dead-letter queue.
        const st2 = await stat(path).catch(() => null);
        if (st2) offered.set(path, `${st2.size}:${st2.mtimeMs}`);
        file = { path, sha256: createHash('sha256').update(`unreadable:${path}`).digest('hex'), size: st2?.size ?? 0, detectedAt: new Date().toISOString() };
        wlog.warn({ path, code }, 'file not readable by the watcher: enqueued by path for the worker to classify');
      }
      // A transient Redis failure must not drop the file: retry the enqueue with backoff.
      for (let attempt = 0; !stopping; attempt++) {
        try {
          const created = await enqueueFile(queue, file);
          wlog.info({ path, sha256: file.sha256, created }, created ? 'file enqueued' : 'file already queued');
          metrics?.jobsEnqueued.inc({ result: created ? 'created' : 'duplicate' });
          hooks.onEnqueued?.(path, created);
          return;
        } catch (err) {
          const delay = Math.min(30_000, 250 * 2 ** attempt);
          wlog.warn({ path, err: (err as Error).message, retryInMs: delay }, 'enqueue failed (redis_unavailable), retrying');
          metrics?.failure('enqueue', 'redis_unavailable');
          await new Promise((r) => setTimeout(r, delay));
        }
      }
    })().finally(() => pending.delete(p));
    pending.add(p);
  };

  // A burst of events can overflow the kernel's inotify queue, and the overflowed events are
  // lost without a word: after a large burst settles, walk the inbox at once instead of waiting
  // for the periodic rescan.
  let burst = 0;
  let burstTimer: NodeJS.Timeout | null = null;
  const noteEvent = (): void => {
    burst++;
    if (burstTimer) clearTimeout(burstTimer);
    burstTimer = setTimeout(() => {
      burstTimer = null;
      if (burst >= BURST_RESCAN_EVENTS) void rescan(true);
      burst = 0;
    }, 2_000);
    burstTimer.unref();
  };
  const watcher = watchInbox(
    config.inboxDir,
    { polling: config.watchPolling, stabilityMs: config.watchStabilityMs },
    (path) => {
      noteEvent();
      handle(path);
    },
    (err) => wlog.error({ err: (err as Error).message }, 'watcher error'),
    // Gone from the inbox (archived, or removed): forget it, so the map follows the inbox.
    (path) => offered.delete(path),
  );
  await watcher.ready;
  let rescanning = false;
  rescan = async (missedOnly = false): Promise<void> => {
    if (rescanning || stopping) return;
    rescanning = true;
    try {
      let offeredNow = 0;
      for await (const f of walkInbox(config.inboxDir, missedOnly ? (p) => offered.has(p) : undefined)) {
        if (stopping) break;
        if (offered.get(f.path) === `${f.size}:${f.mtimeMs}`) continue;
        // Still being written? The next walk (or the watcher's own event) will take it.
        if (Date.now() - f.mtimeMs < config.watchStabilityMs) continue;
        handle(f.path, f);
        offeredNow++;
      }
      if (offeredNow > 0) wlog.info({ files: offeredNow }, 'rescan found files the events missed');
    } finally {
      rescanning = false;
    }
  };
  const rescanTimer = config.rescanIntervalMs > 0 ? setInterval(() => void rescan(), config.rescanIntervalMs) : null;
  rescanTimer?.unref();
  wlog.info({ inbox: config.inboxDir, polling: config.watchPolling }, 'watching inbox');
  return {
    ready: watcher.ready,
    async close() {
      stopping = true;
      if (rescanTimer) clearInterval(rescanTimer);
      if (burstTimer) clearTimeout(burstTimer);
      await watcher.close();
      await Promise.allSettled([...pending]);
      await queue.close();
      connection.disconnect();
      wlog.info('watcher stopped');
    },
  };
}
