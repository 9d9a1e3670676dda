import { copyFile, mkdir, rename, unlink } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';

/** Move an indexed file from the inbox to the archive, keeping its path below the inbox. */
export async function archiveFile(path: string, inboxDir: string, archiveDir: string): Promise<void> {
  const rel = relative(inboxDir, path);
  if (rel.startsWith('..')) return;
  const target = join(archiveDir, rel);
  await mkdir(dirname(target), { recursive: true });
  try {
    await rename(path, target);
  } catch (err) {
    // Across file systems rename fails: copy, then remove.
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    await copyFile(path, target);
    await unlink(path);
  }
}
