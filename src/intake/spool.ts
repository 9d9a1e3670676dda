import { randomBytes } from 'node:crypto';
import { contentHash } from '#shared/file-bytes.js';
import { copyFileSync, lstatSync, renameSync, unlinkSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rmdir, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import type { ReasonCode } from '#shared/errors.js';
import type { SpoolRef } from '#shared/job-data.js';
import type { KeptOriginal } from '#shared/dead-letter.js';

/**
 * The spool: where the owner of the folders keeps every file it has taken from the inbox.
 *
 *   claimed/<batch>/<n>~<path>   claimed, queued (or about to be); one folder per job
 *   done/<YYYY-MM-DD>/<path>     indexed originals, kept to be re-read later (FINISHED_FILES=keep)
 *   failed/<id12>-<name>         dead-lettered originals (by their dead-letter id), each with <same>.reason.json
 *   spool-id                     this spool's id, in the job ids of its batches
 *
 * A file enters by one atomic rename out of the inbox, so the inbox holds only files not yet
 * claimed. Nothing here is watched or listed per file event: `claimed/` holds at most the
 * high-water mark, `done/` and `failed/` are only written.
 *
 * The per-file steps of claiming and finishing (a rename, a stat) are synchronous calls: each is
 * one metadata syscall on the same file system, and through the promise API each would cost a
 * thread-pool round trip and several allocations on the main thread, which at thousands of files
 * a second was most of the watcher's CPU (bench --cpu-prof).
 */
export interface ClaimedFile {
  /** Name in the batch folder: its index and the path it was dropped at, encoded. */
  name: string;
  /** Where it was dropped (the document's `ingest.source_path`). */
  sourcePath: string;
  /** Where it is now. */
  path: string;
  size: number;
}

export interface FailureNote {
  code: ReasonCode;
  message: string;
  /** The content hash, null when the bytes could not be read. */
  sha256: string | null;
  /** The dead-letter entry's id (deadLetterId): what failed/ names the file by. */
  id: string;
  sourcePath: string;
  jobId: string;
  failedAt: string;
}

/** Longest encoded path kept in a claimed file's name (file names stop at 255 bytes). */
const MAX_ENCODED = 200;

function encodeSource(sourcePath: string, inboxDir: string): string {
  const rel = relative(inboxDir, sourcePath);
  const inside = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  const encoded = encodeURIComponent(inside ? rel : sourcePath);
  return encoded.length <= MAX_ENCODED ? encoded : encodeURIComponent(basename(sourcePath)).slice(-MAX_ENCODED);
}

export class Spool {
  private seq = 0;
  /** Folders of done/ made already (one mkdir per folder, not per file). */
  private readonly made = new Set<string>();

  private constructor(
    readonly root: string,
    readonly inboxDir: string,
    readonly id: string,
  ) {}

  /** Create the layout (idempotent) and read or make the spool's id. */
  static async open(root: string, inboxDir: string): Promise<Spool> {
    for (const d of ['claimed', 'done', 'failed']) await mkdir(join(root, d), { recursive: true });
    const idFile = join(root, 'spool-id');
    let id = (await readFile(idFile, 'utf8').catch(() => '')).trim();
    if (!/^[a-z0-9]{6,32}$/.test(id)) {
      const mine = randomBytes(5).toString('hex');
      // `wx`: two processes opening a new spool at once agree on the first id written.
      await writeFile(idFile, `${mine}\n`, { flag: 'wx' }).catch(() => undefined);
      id = (await readFile(idFile, 'utf8')).trim();
    }
    return new Spool(root, inboxDir, id);
  }

  get ref(): SpoolRef {
    return { id: this.id, host: hostname() };
  }

  /** A new batch name: sortable by time, unique across processes sharing the spool. */
  newBatch(): string {
    return `${Date.now().toString(36)}-${process.pid.toString(36)}-${(this.seq++).toString(36)}-${randomBytes(3).toString('hex')}`;
  }

  batchDir(batch: string): string {
    return join(this.root, 'claimed', batch);
  }

  /** Where a claimed file was dropped, read back from its name (for batches found after a restart). */
  sourcePathOf(name: string): string {
    const decoded = decodeURIComponent(name.slice(name.indexOf('~') + 1));
    return isAbsolute(decoded) ? decoded : join(this.inboxDir, decoded);
  }

  /**
   * Take files into a batch folder. `rename` (the inbox) is atomic, so a file is either still in
   * the inbox or claimed; `copy` (a backfill of a folder kept as it is) writes under a temporary
   * name and renames it into place. Files gone before their turn, and files this process may not
   * move or read (their folder's permissions), are returned apart: the latter stay where they are.
   */
  async claim(
    batch: string,
    sources: Array<{ path: string; size: number; sourcePath?: string }>,
    mode: 'rename' | 'copy',
  ): Promise<{
    claimed: ClaimedFile[];
    gone: string[];
    refused: Array<{ path: string; code: string }>;
    left: string[];
    full: Error | null;
  }> {
    const dir = this.batchDir(batch);
    // Not `recursive`: on a full file system that answers ENOENT where the real cause is ENOSPC.
    await mkdir(dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    });
    const claimed: ClaimedFile[] = [];
    const left: string[] = [];
    let full: Error | null = null;
    const gone: string[] = [];
    const refused: Array<{ path: string; code: string }> = [];
    for (const [i, { path: from, size, sourcePath = from }] of sources.entries()) {
      // A kept original read again (reprocess) is taken from done/ but named by where it was dropped.
      const name = `${i}~${encodeSource(sourcePath, this.inboxDir)}`;
      const path = join(dir, name);
      try {
        if (mode === 'rename') moveFileSync(from, path);
        else {
          const tmp = join(dir, `.${name}.tmp`);
          await copyFile(from, tmp);
          await rename(tmp, path);
        }
        // The size as seen just before (a rename keeps the inode; the read checks the length again).
        claimed.push({ name, sourcePath, path, size });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
        // A full file system: what is claimed so far goes on; the rest stay where they are (`left`).
        if ((code === 'ENOSPC' || code === 'EDQUOT') && claimed.length > 0) {
          left.push(...sources.slice(i).map((x) => x.path));
          full = err as Error;
          break;
        }
        if (code === 'ENOENT') gone.push(from);
        else if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'EBUSY')
          refused.push({ path: from, code });
        else throw err;
      }
    }
    return { claimed, gone, refused, left, full };
  }

  /** Batch folders present now (a restart reconciles them with the queue). */
  async batches(): Promise<string[]> {
    return (await readdir(join(this.root, 'claimed')).catch(() => [])).filter((n) => !n.startsWith('.')).sort();
  }

  /** The files of a batch folder, as claimed (after a restart). */
  async batchFiles(batch: string): Promise<ClaimedFile[]> {
    const dir = this.batchDir(batch);
    const out: ClaimedFile[] = [];
    for (const name of (await readdir(dir).catch(() => [])).sort()) {
      if (name.startsWith('.')) continue;
      const st = await stat(join(dir, name)).catch(() => null);
      if (st?.isFile()) out.push({ name, sourcePath: this.sourcePathOf(name), path: join(dir, name), size: st.size });
    }
    return out;
  }

  /** Mark batch folders as in use now (the heartbeat `batchAgeMs` reads). */
  async touchBatches(batches: readonly string[], now = new Date()): Promise<void> {
    await Promise.all(batches.map((b) => utimes(this.batchDir(b), now, now).catch(() => undefined)));
  }

  async batchAgeMs(batch: string, now = Date.now()): Promise<number> {
    const st = await stat(this.batchDir(batch)).catch(() => null);
    return st ? now - st.mtimeMs : Number.POSITIVE_INFINITY;
  }

  /**
   * An indexed file: kept under done/<date>/ at the path it was dropped at, or deleted.
   * Idempotent: a file already finished (a restart in the middle of a batch) is passed over.
   */
  async finishIndexed(batch: string, name: string, sha256: string, keep: boolean, now = new Date()): Promise<void> {
    const from = join(this.batchDir(batch), name);
    if (!keep) {
      try {
        return unlinkSync(from);
      } catch (err) {
        return ignoreMissing(err);
      }
    }
    const source = this.sourcePathOf(name);
    const rel = relative(this.inboxDir, source);
    const under = rel.startsWith('..') || isAbsolute(rel) ? basename(source) : rel;
    let to = join(this.root, 'done', now.toISOString().slice(0, 10), under);
    const dir = dirname(to);
    if (!this.made.has(dir)) {
      await mkdir(dir, { recursive: true });
      if (this.made.size > 10_000) this.made.clear();
      this.made.add(dir);
    }
    // The same name twice in a day (a cable corrected and dropped again): both are kept.
    if (existsSync(to)) to = `${to}~${sha256.slice(0, 12)}`;
    try {
      renameSync(from, to);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || !existsSync(from)) return ignoreMissing(err);
      // The day's folder was pruned meanwhile: make it again.
      await mkdir(dir, { recursive: true });
      await rename(from, to);
    }
  }

  /**
   * An indexed original kept under done/ (FINISHED_FILES=keep): found by the path it was dropped at
   * and checked by its SHA-256. Days are tried from the day it was noticed on (it is finished that
   * day or soon after), and the `~<sha12>` name a second copy of a day takes. Null when not kept.
   */
  async findKept(
    sourcePath: string,
    sha256: string,
    detectedAt: string,
    days?: readonly string[],
  ): Promise<{ path: string; bytes: Buffer } | null> {
    const rel = relative(this.inboxDir, sourcePath);
    const under = rel.startsWith('..') || isAbsolute(rel) ? basename(sourcePath) : rel;
    days ??= await this.keptDays();
    const from = detectedAt.slice(0, 10);
    const ordered = [...days.filter((d) => d >= from), ...days.filter((d) => d < from).reverse()];
    for (const day of ordered) {
      for (const path of [
        join(this.root, 'done', day, under),
        `${join(this.root, 'done', day, under)}~${sha256.slice(0, 12)}`,
      ]) {
        const bytes = await readFile(path).catch(() => null);
        if (bytes && contentHash(bytes) === sha256) return { path, bytes };
      }
    }
    return null;
  }

  /** The days done/ holds (its folders), in order. */
  async keptDays(): Promise<string[]> {
    return (await readdir(join(this.root, 'done')).catch(() => [] as string[]))
      .filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d))
      .sort();
  }

  failedPath(id: string, sourcePath: string): string {
    return join(this.root, 'failed', `${id.slice(0, 12)}-${basename(sourcePath)}`);
  }

  /** A dead-lettered file: into failed/, with its reason beside it. */
  async finishFailed(batch: string, name: string, note: FailureNote): Promise<void> {
    const to = this.failedPath(note.id, note.sourcePath);
    await writeFile(`${to}.reason.json`, `${JSON.stringify(note, null, 2)}\n`);
    await rename(join(this.batchDir(batch), name), to).catch(ignoreMissing);
  }

  /** Remove an emptied batch folder; false when files remain (they are claimed again later). */
  async removeBatch(batch: string): Promise<boolean> {
    try {
      await rmdir(this.batchDir(batch));
      return true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return true;
      if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
      throw err;
    }
  }

  /**
   * `dlq retry`, first half: where this spool keeps a dead-lettered original, and the inbox path it
   * goes back to (the path it was dropped at; for a file backfilled from elsewhere, the top of the
   * inbox). Null when this spool does not hold it.
   */
  async findFailed(id: string): Promise<KeptOriginal | null> {
    const prefix = `${id.slice(0, 12)}-`;
    const names = (await readdir(join(this.root, 'failed')).catch(() => [])).filter(
      (n) => n.startsWith(prefix) && !n.endsWith('.reason.json'),
    );
    for (const name of names) {
      const from = join(this.root, 'failed', name);
      const note = JSON.parse(await readFile(`${from}.reason.json`, 'utf8').catch(() => '{}')) as Partial<FailureNote>;
      // Notes of older versions name only the content hash, which was then the id.
      if ((note.id ?? note.sha256) !== undefined && (note.id ?? note.sha256) !== id) continue;
      const source = note.sourcePath ?? join(this.inboxDir, name.slice(prefix.length));
      const rel = relative(this.inboxDir, source);
      const to = rel.startsWith('..') || isAbsolute(rel) ? join(this.inboxDir, basename(source)) : source;
      return { from, to };
    }
    return null;
  }

  /** `dlq retry`, second half: the original into the inbox, its reason note removed. */
  async putBack(original: KeptOriginal): Promise<string> {
    await mkdir(dirname(original.to), { recursive: true });
    await moveFile(original.from, original.to);
    await unlink(`${original.from}.reason.json`).catch(ignoreMissing);
    return original.to;
  }

  async restoreFailed(id: string): Promise<string | null> {
    const original = await this.findFailed(id);
    return original ? this.putBack(original) : null;
  }
}

async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (err) {
    // Across file systems rename fails: copy, then remove (SPOOL_DIR should share the inbox's).
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    await copyFile(from, to);
    await unlink(from);
  }
}

function moveFileSync(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    // Across file systems: the slow path (SPOOL_DIR should share the inbox's file system).
    copyFileSync(from, to);
    unlinkSync(from);
  }
}

/** Present, whatever its type (a dangling symlink too: the name is taken). */
function existsSync(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
}

function ignoreMissing(err: unknown): void {
  if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
}
