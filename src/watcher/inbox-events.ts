import { watch, type FSWatcher } from 'node:fs';
import { opendir } from 'node:fs/promises';
import { join } from 'node:path';
import { isIgnoredName } from '../intake/names.js';

/**
 * Where the watcher hears of files: the kernel's own events (one `fs.watch`, inotify, per folder of
 * the inbox), each naming the file, and walks of the inbox (`readdir` only, no stat per entry) at
 * start, after a burst that may have overflowed the kernel's queue, every RESCAN_INTERVAL_MS, and
 * in polling mode every second (network mounts, where no events come).
 *
 * Not chokidar: it lists a folder again, with an lstat per entry, whenever the folder changes.
 * While backpressure holds a backlog in the inbox every claim changes it; bench/watch-source.ts
 * measured 13.9 CPU-seconds in 10 s with 50,000 files waiting, against 0.2 for this.
 *
 * Paths are only announced: whether one is a file, still being written, or a folder is for the
 * intake to find out when it comes to claim it (a folder comes back through `addFolder`). The
 * intake may refuse a path (it holds enough already): a walk stops there, and the intake asks for
 * another walk (`walk`) once it has room.
 */
export interface InboxEventsOptions {
  polling: boolean;
  /** Walk the whole inbox this often (0: never, beyond the start and bursts). */
  rescanIntervalMs: number;
  pollIntervalMs?: number;
}

/** Events in one burst after which the inbox is walked again (the kernel may have dropped some). */
const BURST_EVENTS = 1_000;

export class InboxEvents {
  private readonly folders = new Map<string, FSWatcher>();
  private readonly timers: NodeJS.Timeout[] = [];
  private burst = 0;
  private burstTimer: NodeJS.Timeout | null = null;
  private walking: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly root: string,
    private readonly options: InboxEventsOptions,
    /** False: refused, the intake holds enough; a walk stops. */
    private readonly onPath: (path: string) => boolean,
    private readonly onError: (err: Error, path: string) => void,
  ) {}

  /** Watch the inbox and walk it once (files already there are announced too). */
  async start(): Promise<void> {
    this.watchFolder(this.root);
    await this.walk();
    const every = (ms: number): void => {
      const t = setInterval(() => void this.walk(), ms);
      t.unref();
      this.timers.push(t);
    };
    if (this.options.polling) every(this.options.pollIntervalMs ?? 1_000);
    if (this.options.rescanIntervalMs > 0) every(this.options.rescanIntervalMs);
  }

  /** A folder announced as a path and found to be one: watch it, and announce what it holds. */
  addFolder(dir: string): void {
    this.watchFolder(dir);
    void this.walkFolder(dir);
  }

  private watchFolder(dir: string): void {
    if (this.closed || this.options.polling || this.folders.has(dir)) return;
    try {
      const w = watch(dir, { persistent: true }, (_event, name) => {
        if (name === null) return;
        const path = join(dir, name.toString());
        this.noteEvent();
        if (!isIgnoredName(path)) this.onPath(path);
      });
      // The folder went away (removed, or renamed out): stop watching it.
      w.on('error', (err) => {
        w.close();
        this.folders.delete(dir);
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT' && (err as NodeJS.ErrnoException).code !== 'EPERM')
          this.onError(err, dir);
      });
      this.folders.set(dir, w);
    } catch (err) {
      // Out of inotify watches (ENOSPC) or the folder is gone: the walks still find its files.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.onError(err as Error, dir);
    }
  }

  /**
   * Announce the files of the inbox until the intake refuses one (one walk at a time; a walk asked
   * for during one joins it).
   */
  walk(): Promise<void> {
    this.walking ??= this.walkFolder(this.root)
      .then(() => undefined)
      .finally(() => (this.walking = null));
    return this.walking;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    if (this.burstTimer) clearTimeout(this.burstTimer);
    for (const w of this.folders.values()) w.close();
    this.folders.clear();
    await this.walking;
  }

  /**
   * Entries are read as a stream (`opendir`), not listed whole: an inbox holding a million files is
   * walked in constant memory. Returns false once the intake refused a path.
   */
  private async walkFolder(dir: string): Promise<boolean> {
    if (this.closed) return false;
    let entries;
    try {
      entries = await opendir(dir, { bufferSize: 256 });
    } catch {
      return true; // gone, or not ours to read: nothing to announce
    }
    try {
      for await (const e of entries) {
        if (this.closed) return false;
        const path = join(dir, e.name);
        if (isIgnoredName(path)) continue;
        if (e.isDirectory()) {
          this.watchFolder(path);
          if (!(await this.walkFolder(path))) return false;
        } else if (e.isFile() && !this.onPath(path)) return false;
      }
    } catch {
      // the folder went away during the walk: what was announced stands
    }
    return true;
  }

  private noteEvent(): void {
    this.burst++;
    if (this.burstTimer) clearTimeout(this.burstTimer);
    this.burstTimer = setTimeout(() => {
      this.burstTimer = null;
      if (this.burst >= BURST_EVENTS) void this.walk();
      this.burst = 0;
    }, 2_000);
    this.burstTimer.unref();
  }
}
