import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { DroppedFile } from '../shared/stages.js';

/**
 * A file is identified by the SHA-256 of its whole content: cable headers are near-identical,
 * so inode, name or first lines would merge different cables or split one.
 */
export async function fingerprint(path: string, now: Date = new Date()): Promise<DroppedFile> {
  const st = await stat(path);
  const hash = createHash('sha256');
  await new Promise<void>((resolve, reject) => {
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve())
      .on('error', reject);
  });
  return { path, sha256: hash.digest('hex'), size: st.size, detectedAt: now.toISOString() };
}
