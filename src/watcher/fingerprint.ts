import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { DroppedFile } from '../shared/stages.js';

/** Files up to this size are hashed from one read; larger ones are streamed. */
const WHOLE_READ_BYTES = 16 * 1024 * 1024;

/**
 * A file is identified by the SHA-256 of its whole content: cable headers are near-identical,
 * so inode, name or first lines would merge different cables or split one.
 * Also returns the mtime seen, so the rescan can skip the file while it is unchanged.
 */
export async function fingerprint(path: string, now: Date = new Date()): Promise<DroppedFile & { mtimeMs: number }> {
  const fh = await open(path, 'r');
  try {
    const st = await fh.stat();
    const hash = createHash('sha256');
    if (st.size <= WHOLE_READ_BYTES) {
      hash.update(await fh.readFile());
    } else {
      await new Promise<void>((resolve, reject) => {
        createReadStream('', { fd: fh.fd, autoClose: false })
          .on('data', (chunk) => hash.update(chunk))
          .on('end', () => resolve())
          .on('error', reject);
      });
    }
    return { path, sha256: hash.digest('hex'), size: st.size, detectedAt: now.toISOString(), mtimeMs: st.mtimeMs };
  } finally {
    await fh.close();
  }
}
