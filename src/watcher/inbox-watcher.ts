import { basename } from 'node:path';
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
  const gate = new StabilityGate(options.stabilityMs, onFile);
  const watcher: FSWatcher = watch(dir, {
    ignoreInitial: false,
    persistent: true,
    followSymlinks: false,
    usePolling: options.polling,
    interval: 500,
    ignored: (path, stats) => (stats?.isFile() ?? false) && isIgnoredName(path),
  });
  watcher.on('add', (path) => gate.offer(path));
  watcher.on('change', (path) => gate.offer(path));
  watcher.on('unlink', (path) => onRemoved(path));
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
