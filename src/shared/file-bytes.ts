import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { failure } from './errors.js';
import { fail, ok, type Result } from './result.js';

/**
 * The SHA-256 of a file's bytes: a file's identity, computed once where its bytes are first read
 * (the intake's claim, `cable-ingest parse`), and carried from there with the file.
 */
export function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * A file's bytes, read once at the edge (the watcher's claim, `cable-ingest parse`), with the
 * reasons a file can fail to be read as typed failures: vanished, permission denied, too large
 * (the bytes of a file over the limit are not read at all).
 */
export async function readFileBytes(path: string, maxBytes: number, knownSize?: number): Promise<Result<Buffer>> {
  try {
    // The size is known (the intake's lstat at claim time): no second stat; a file grown past the
    // limit since is still caught by its length. Read synchronously: for a file of a few KB the
    // promise API's four thread-pool round trips (open, fstat, read, close) cost more main-thread
    // time than the read itself, and the intake reads thousands a second.
    if (knownSize !== undefined) {
      if (knownSize > maxBytes)
        return fail(failure('too_large', `${knownSize} bytes is over the limit of ${maxBytes} (MAX_FILE_BYTES)`));
      const bytes = readFileSync(path);
      return bytes.length > maxBytes
        ? fail(failure('too_large', `${bytes.length} bytes is over the limit of ${maxBytes} (MAX_FILE_BYTES)`))
        : ok(bytes);
    }
    const fh = await open(path, 'r');
    try {
      const st = await fh.stat();
      if (!st.isFile()) return fail(failure('file_vanished', `${path} is no longer a regular file`));
      if (st.size > maxBytes)
        return fail(failure('too_large', `${st.size} bytes is over the limit of ${maxBytes} (MAX_FILE_BYTES)`));
      return ok(await fh.readFile());
    } finally {
      await fh.close();
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      return fail(failure('file_vanished', `${path} was removed before it could be read`));
    if (code === 'EACCES' || code === 'EPERM')
      return fail(failure('permission_denied', `cannot read ${path}: ${code}`));
    throw err;
  }
}
