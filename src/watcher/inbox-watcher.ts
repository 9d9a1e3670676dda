import { basename, join, resolve } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { StabilityGate } from './stability.js';

/**
 * chokidar adapter: typed callbacks in, a disposer out. `add` and `change` both mean "a file with
 * (possibly new) content": the StabilityGate holds it until it has been still for `stabilityMs`,
 * so a file still being written is not read as whole. Writers that can, should write to a hidden
 * or `.tmp` name and rename into place (atomic on one file system).
 */
export interface InboxWatcherOptions {
  polling: boolean;
  stabilityMs: number;
}

export interface InboxWatcher {
  ready: Promise<void>;
  close(): Promise<void>;
}

/** Hidden files and the temporary names editors and copy tools use while writing. */
export function isIgnoredName(path: string): boolean {
  const name = basename(path);
  return name.startsWith('.') || name.startsWith('~') || /\.(tmp|part|partial|swp|swx|crdownload|download)$/i.test(name) || name.endsWith('~');
}

export function watchInbox(
  dir: string,
  options: InboxWatcherOptions,
  onFile: (path: string) => void,
  onError: (err: unknown) => void,
  onRemoved: (path: string) => void = () => undefined,
): InboxWatcher {
  const announced = new Set<string>();
  const gate = new StabilityGate(options.stabilityMs, onFile, (path) => announced.delete(path));
  const watcher: FSWatcher = watch(dir, {
    ignoreInitial: false,
    persistent: true,
    followSymlinks: false,
    usePolling: options.polling,
    interval: 500,
    ignored: (path, stats) => (stats?.isFile() ?? false) && isIgnoredName(path),
  });
  // chokidar learns of a new file by listing its whole directory again (at most once a second),
  // so in an inbox of 100,000 files a new one waits for a listing of 100,000. The kernel's own
  // event names the file: offer it at once, and let chokidar's later `add` for it pass.
  const directories = new Set<string>([resolve(dir)]);
  if (!options.polling) {
    watcher.on('addDir', (path) => directories.add(resolve(path)));
    watcher.on('unlinkDir', (path) => directories.delete(resolve(path)));
    watcher.on('raw', (event: string, name: string | null, details: unknown) => {
      const watched = (details as { watchedPath?: string } | undefined)?.watchedPath;
      if (event !== 'rename' || !name || !watched || !directories.has(resolve(watched))) return;
      const path = join(watched, name);
      // Bounded: past the cap (files announced, never listed by chokidar) the listings alone serve.
      if (isIgnoredName(path) || announced.size > 100_000) return;
      announced.add(path);
      gate.offer(path);
    });
  }
  watcher.on('add', (path) => {
    if (announced.delete(path)) return;
    gate.offer(path);
  });
  watcher.on('change', (path) => gate.offer(path));
  watcher.on('unlink', (path) => {
    announced.delete(path);
    onRemoved(path);
  });
  watcher.on('error', onError);
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    ready,
    close: async () => {
      gate.close();
      await watcher.close();
    },
  };
}
