import { opendir } from 'node:fs/promises';
import { basename, join } from 'node:path';

/** Hidden files and the temporary names editors and copy tools use while writing. */
export function isIgnoredName(path: string): boolean {
  const name = basename(path);
  return (
    name.startsWith('.') ||
    name.startsWith('~') ||
    /\.(tmp|part|partial|swp|swx|crdownload|download)$/i.test(name) ||
    name.endsWith('~')
  );
}

/**
 * Every file below a folder, hidden and temporary names left out (for `backfill`). Read as a stream
 * of entries (`opendir`): a folder of a million files is never listed into memory at once.
 */
export async function* walkFiles(dir: string): AsyncGenerator<string> {
  const folder = await opendir(dir).catch(() => null);
  if (!folder) return;
  for await (const e of folder) {
    const path = join(dir, e.name);
    if (isIgnoredName(path)) continue;
    if (e.isDirectory()) yield* walkFiles(path);
    else if (e.isFile()) yield path;
  }
}
