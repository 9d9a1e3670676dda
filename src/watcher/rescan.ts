import { readdir, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { isIgnoredName } from './inbox-watcher.js';

/**
 * Reconciliation: file system events can be missed (inotify limits, network mounts, a watcher
 * restart). A periodic walk offers every regular file in the inbox again; the enqueue is
 * idempotent (job id = content hash), and files already offered with the same size and mtime are
 * skipped here so the walk does not re-hash the whole inbox each time. `known` skips files without
 * even a stat (the quick walk after a burst looks only for files the events missed).
 */
export async function* walkInbox(dir: string, known?: (path: string) => boolean): AsyncGenerator<{ path: string; size: number; mtimeMs: number }> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (isIgnoredName(path)) continue;
    if (e.isDirectory()) yield* walkInbox(path, known);
    else if (e.isFile() && !known?.(path)) {
      const st = await stat(path).catch(() => null);
      if (st) yield { path, size: st.size, mtimeMs: st.mtimeMs };
    }
  }
}

/** Whether the file really lives inside the inbox (a symlink may lead anywhere). */
export async function insideInbox(path: string, inboxRealPath: string): Promise<boolean> {
  const real = await realpath(path).catch(() => null);
  return real !== null && (real === inboxRealPath || real.startsWith(inboxRealPath + sep));
}
