import { stat } from 'node:fs/promises';

/**
 * A file is read only once it holds still: no write for `stabilityMs` (its mtime already that old
 * at the first look, else the same size and mtime at two looks). One timer walks every pending
 * file (a bounded number of stats at a time), so a drop of 20,000 files costs one pass per tick,
 * not 20,000 polling timers (chokidar's awaitWriteFinish keeps one per file, and collapses under a
 * large drop).
 */
export class StabilityGate {
  private readonly pending = new Map<string, { size: number; mtimeMs: number } | null>();
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly stabilityMs: number,
    private readonly onStable: (path: string) => void,
    private readonly onGone: (path: string) => void = () => undefined,
    private readonly parallel = 64,
  ) {}

  offer(path: string): void {
    if (this.stabilityMs === 0) {
      this.onStable(path);
      return;
    }
    this.pending.set(path, null);
    this.timer ??= setInterval(() => void this.tick(), Math.max(25, Math.floor(this.stabilityMs / 2)));
  }

  get size(): number {
    return this.pending.size;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.pending.clear();
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const paths = [...this.pending.keys()];
      for (let i = 0; i < paths.length; i += this.parallel) {
        await Promise.all(paths.slice(i, i + this.parallel).map((p) => this.check(p)));
      }
      if (this.pending.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    } finally {
      this.running = false;
    }
  }

  private async check(path: string): Promise<void> {
    if (!this.pending.has(path)) return;
    const st = await stat(path).catch(() => null);
    // Gone, or not a regular file (a folder created in the inbox is chokidar's to follow).
    if (!st || !st.isFile()) {
      this.pending.delete(path);
      this.onGone(path);
      return;
    }
    const before = this.pending.get(path);
    const quiet = Date.now() - st.mtimeMs >= this.stabilityMs;
    // Quiet already at the first look (renamed in, or written a while ago): no write for
    // stabilityMs is what the second look would establish, so take it now.
    if ((before === null && quiet) || (before && before.size === st.size && before.mtimeMs === st.mtimeMs && quiet)) {
      this.pending.delete(path);
      this.onStable(path);
    } else {
      this.pending.set(path, { size: st.size, mtimeMs: st.mtimeMs });
    }
  }
}
