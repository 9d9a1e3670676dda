import { createHash } from 'node:crypto';
import { createReadStream, lstatSync, type Stats } from 'node:fs';
import type { Queue, QueueEvents } from 'bullmq';
import type { RedisClient } from '#shared/redis.js';
import { deadLetterId } from '#shared/dead-letter.js';
import { contentHash, readFileBytes } from '#shared/file-bytes.js';
import { BatchOutcomes, CableBatchJob, type FileOutcome, type SpooledFile } from '#shared/job-data.js';
import type { Logger } from '#shared/logger.js';
import type { Metrics } from '#shared/metrics.js';
import { batchJobId, blobKey, CABLE_JOB_OPTIONS } from '#shared/queues.js';
import { isIgnoredName } from './names.js';
import type { ClaimedFile, Spool } from './spool.js';

/**
 * The intake, shared by the watcher and `backfill`: files announced by path are claimed into the
 * spool once they hold still, read once (hash and byte guards), and queued with their bytes; the
 * owner of the spool then finishes each file from its job's outcome (kept, deleted, or failed with
 * its reason) and removes the job, and the cable text with it, from Redis.
 *
 *   backpressure  no claim while the files queued and not finished reach the high-water mark:
 *                 the inbox holds the rest, so Redis holds at most the mark's worth of text;
 *   batches       every file due at one pass is claimed in the same pass, BATCH_MAX_FILES to a
 *                 job, all jobs in one addBulk: one file per job at a trickle, full jobs in a
 *                 backlog, with no timer between;
 *   restarts      a batch's job id is derived from its spool folder, so `reconcile` tells claimed
 *                 but not queued (queue it), queued (leave it) and finished (finish it) apart.
 */
export interface IntakeOptions {
  spool: Spool;
  queue: Queue;
  /** Holds the bytes of large files (and the queue's own keys live there too). */
  redis: RedisClient;
  queuePrefix: string;
  log: Logger;
  metrics?: Metrics | undefined;
  maxFileBytes: number;
  jobInlineMaxBytes: number;
  batchMaxFiles: number;
  highWater: { files: number; bytes: number };
  stabilityMs: number;
  finishedFiles: 'keep' | 'delete';
  /** `rename` out of the inbox; `copy` for a backfill that leaves its folder as it is. */
  claimMode: 'rename' | 'copy';
  /**
   * The watcher owns the spool: at start it takes over every batch folder (a restart). A guest
   * (`backfill`, `reprocess`) takes over only folders no process has touched for a minute, so it
   * never finishes the batches a running watcher is tracking.
   */
  owner: boolean;
  /** Completed and failed events of the cables queue: a finished batch is finished at once. */
  queueEvents: QueueEvents;
  /** A path announced turned out to be a folder (the event source should watch it). */
  onFolder?: (path: string) => void;
  /**
   * The most paths held announced and not yet claimed, and how to hear of the rest again. Past
   * `max`, offers are refused (the files wait in the inbox, unremembered); once the paths held fall
   * to half of it, `refill` asks the event source to walk the inbox again. Without it every path
   * is held (a `backfill` paces its own offers).
   */
  announced?: { max: number; refill: () => void };
  onQueued?: (files: number) => void;
  /** A file this intake queued has its outcome (files of batches taken over are not reported). */
  onFinished?: (outcome: FileOutcome['outcome'], sourcePath: string) => void;
}

/** An outage that stops the intake claiming: the files wait where they are until it ends. */
export interface IntakeHold {
  code: 'redis_unavailable' | 'redis_out_of_memory' | 'spool_disk_full';
  since: string;
  message: string;
}

const HOLD_ADVICE: Record<IntakeHold['code'], string> = {
  redis_unavailable: 'Redis does not answer: the claimed files wait in the spool, the rest in the inbox',
  redis_out_of_memory:
    'Redis is at maxmemory and refuses writes: nothing more is claimed until workers finish jobs or Redis gets memory',
  spool_disk_full: "the spool's file system is full: nothing more is claimed until space frees",
};

/** Which outage an error of claiming or queueing is, if it is one. */
function holdCode(err: unknown, stage: 'claim' | 'enqueue'): IntakeHold['code'] | null {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'spool_disk_full';
  if (stage === 'claim') return null;
  return /^OOM\b/.test((err as Error).message ?? '') ? 'redis_out_of_memory' : 'redis_unavailable';
}

/** A kept original to read again (`reprocess`): where it is kept, and what its job must say of it. */
export interface KeptSubmission {
  keptPath: string;
  size: number;
  /** Where it was first dropped, and when it was noticed: its version keeps both. */
  sourcePath: string;
  detectedAt: string;
  /** The document it was a version of (the worker moves the version if its id changed). */
  previousId: string;
}

interface Candidate {
  notBefore: number;
  /** Epoch ms (a number, not an ISO string: a backlog may hold a hundred thousand of these). */
  detectedAt: number;
}

/** What the owner needs to finish a file, kept here so that finishing reads no cable text back from Redis. */
interface FileMeta {
  name: string;
  sha256: string | null;
  path: string;
  detectedAt: string;
}

interface InFlight {
  batch: string;
  files: FileMeta[];
  bytes: number;
  blobKeys: string[];
  /** Queued by this intake (reported through onFinished), not taken over from another process. */
  own: boolean;
}

const metaOf = (files: SpooledFile[]): FileMeta[] =>
  files.map((f) => ({ name: f.name, sha256: f.sha256, path: f.path, detectedAt: f.detectedAt }));

interface Prepared {
  jobId: string;
  data: CableBatchJob;
  blobs: Array<[string, Buffer]>;
  bytes: number;
}

/** How often batches in flight are looked at, beside the queue's events. */
const SWEEP_MS = 5_000;
/**
 * A batch folder is taken over by another process only once it is untouched this long: the process
 * tracking it touches it at every sweep, and a backfill filling it writes into it.
 */
const ADOPT_AFTER_MS = 60_000;

function parseJson(text: string | null | undefined): unknown {
  try {
    return text === null || text === undefined ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

function lstatSafe(path: string): Stats | undefined {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined; // ENOTDIR and the like: not a file to claim
  }
}

async function streamedSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class Intake {
  private readonly candidates = new Map<string, Candidate>();
  private readonly inFlight = new Map<string, InFlight>();
  private readonly finishing = new Set<string>();
  private filesInFlight = 0;
  private bytesInFlight = 0;
  private wakeUp: (() => void) | null = null;
  private pumping: Promise<void> | null = null;
  private sweeper: NodeJS.Timeout | null = null;
  private busy = false;
  private stopping = false;
  /** An offer was refused since the last refill: the inbox holds files this intake does not know of. */
  private refused = false;
  /** Why the intake claims nothing now (an outage of Redis or of the spool's disk), and since when. */
  private heldBy: IntakeHold | null = null;

  constructor(private readonly o: IntakeOptions) {}

  /**
   * A path in the inbox (or a backfilled folder) that may hold a file to claim. False when it was
   * refused because enough are held already (`announced.max`): a walk announcing the inbox stops
   * there, and is asked to walk again when there is room.
   */
  offer(path: string): boolean {
    if (this.stopping || isIgnoredName(path) || this.candidates.has(path)) return true;
    const bound = this.o.announced;
    if (bound && this.candidates.size >= bound.max) {
      this.refused = true;
      return false;
    }
    this.candidates.set(path, { notBefore: 0, detectedAt: Date.now() });
    this.wake();
    return true;
  }

  /**
   * A backlog is remembered by the inbox, not by this process: the watcher's heap, and the garbage
   * collector's work on it (a major collection every second while the workers set the pace), stay
   * the same whether 10,000 or a million files wait. Called after each pass.
   */
  private askForRefused(): void {
    const bound = this.o.announced;
    if (!bound || !this.refused || this.candidates.size > bound.max / 2) return;
    this.refused = false;
    bound.refill();
  }

  /** Files announced and not yet claimed, and files queued and not yet finished. */
  get pending(): { candidates: number; files: number; bytes: number; batches: number } {
    return {
      candidates: this.candidates.size,
      files: this.filesInFlight,
      bytes: this.bytesInFlight,
      batches: this.inFlight.size,
    };
  }

  /** The most files queued and not finished at once (QUEUE_HIGH_WATER_FILES): submitters wait below it. */
  get highWaterFiles(): number {
    return this.o.highWater.files;
  }

  /** Nothing announced waits, nothing is being claimed, nothing queued is unfinished. */
  get idle(): boolean {
    return this.candidates.size === 0 && !this.refused && !this.busy && this.inFlight.size === 0;
  }

  /** Reconcile the spool with the queue, then claim and finish until closed. */
  async start(): Promise<void> {
    this.o.queueEvents.on('completed', ({ jobId }) => void this.finish(jobId));
    this.o.queueEvents.on('failed', ({ jobId }) => void this.finish(jobId));
    // A failed job's outcomes arrive after it failed: the worker records them (as the job's
    // progress) once every dead-letter entry is written.
    this.o.queueEvents.on('progress', ({ jobId }) => void this.finish(jobId));
    await this.o.queueEvents.waitUntilReady();
    await this.reconcile(this.o.owner ? 0 : ADOPT_AFTER_MS);
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_MS);
    this.sweeper.unref();
    this.pumping = this.pump();
  }

  async close(): Promise<void> {
    this.stopping = true;
    if (this.sweeper) clearInterval(this.sweeper);
    this.wake();
    await this.pumping;
  }

  /**
   * Every batch folder of the spool against the queue: no job, so claimed but not queued: queue
   * it (files read again from the spool); a job still to run: track it; a finished job: finish it.
   * At start every folder; later only those no process has touched for a minute.
   */
  async reconcile(minAgeMs = ADOPT_AFTER_MS): Promise<void> {
    for (const batch of await this.o.spool.batches()) {
      if (this.stopping) return;
      if (this.inFlight.has(batchJobId(this.o.spool.id, batch))) continue;
      if (minAgeMs > 0 && (await this.o.spool.batchAgeMs(batch)) < minAgeMs) continue;
      await this.reconcileBatch(batch);
    }
  }

  /** One batch folder against the queue (see `reconcile`). */
  private async reconcileBatch(batch: string): Promise<void> {
    const { spool, queue } = this.o;
    const jobId = batchJobId(spool.id, batch);
    const job = await queue.getJob(jobId);
    if (job) {
      const data = CableBatchJob.safeParse(job.data);
      const files = data.success ? data.data.files : [];
      this.track(jobId, {
        batch,
        files: metaOf(files),
        bytes: files.reduce((n, f) => n + f.size, 0),
        blobKeys: files.flatMap((f) => (f.blobKey ? [f.blobKey] : [])),
        own: false,
      });
      const state = await job.getState();
      if (state === 'completed' || state === 'failed') await this.finish(jobId);
      return;
    }
    const files = await spool.batchFiles(batch);
    if (files.length === 0) {
      await spool.removeBatch(batch);
      return;
    }
    const now = new Date().toISOString();
    this.o.log.info({ batch, files: files.length }, 'claimed files not queued (a restart): queueing them');
    await this.enqueue([await this.load(batch, files, () => now)], false);
  }

  private wake(): void {
    const w = this.wakeUp;
    this.wakeUp = null;
    w?.();
  }

  private waitForWake(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wakeUp = null;
        resolve();
      }, ms);
      this.wakeUp = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  private async pump(): Promise<void> {
    while (!this.stopping) {
      const room = this.roomToClaim();
      if (room <= 0 || this.bytesInFlight >= this.o.highWater.bytes) {
        await this.waitForWake(1_000);
        continue;
      }
      const now = Date.now();
      const due: Array<[string, Candidate]> = [];
      let nextDue = Number.POSITIVE_INFINITY;
      for (const entry of this.candidates) {
        if (entry[1].notBefore <= now) due.push(entry);
        else nextDue = Math.min(nextDue, entry[1].notBefore);
        if (due.length >= Math.min(room, this.o.batchMaxFiles * 16)) break;
      }
      if (due.length === 0) {
        await this.waitForWake(Number.isFinite(nextDue) ? Math.max(5, nextDue - now) : 60_000);
        continue;
      }
      this.busy = true;
      try {
        await this.claimDue(due, now);
      } catch (err) {
        const code = holdCode(err, 'claim');
        if (code) this.hold(code, err);
        else this.o.log.error({ err }, 'claiming failed; the files stay where they are and are tried again');
        await sleep(1_000);
      } finally {
        this.busy = false;
      }
      this.askForRefused();
    }
  }

  /**
   * How many files a pass may claim. Below the high-water mark, all it has room for; but while the
   * inbox holds more than that (backpressure), only whole batches: a pass taking the few files a
   * finished small batch freed would queue another small batch, whose end frees as few again, so
   * batches would shrink for as long as the backlog lasts, and each job costs the watcher, Redis and
   * the workers the same whatever it carries (files per job fell from 31 to 14-18 over a 40,000
   * file drain at 500 files a second; bench/intake-scale.ts).
   */
  private roomToClaim(): number {
    const room = this.o.highWater.files - this.filesInFlight;
    if (this.candidates.size <= room && !this.refused) return room;
    const batch = Math.min(this.o.batchMaxFiles, this.o.highWater.files);
    return Math.floor(room / batch) * batch;
  }

  /** Files that hold still are claimed, BATCH_MAX_FILES to a job, and queued in one addBulk. */
  private async claimDue(due: Array<[string, Candidate]>, now: number): Promise<void> {
    const ready: Array<[string, Candidate & { size: number }]> = [];
    for (const [path, c] of due) {
      // Synchronous, as the spool's per-file steps (see spool.ts); a path already gone (the event
      // of a file this intake renamed out) costs no exception.
      const st = lstatSafe(path);
      if (!st) {
        this.candidates.delete(path);
        continue;
      }
      if (st.isDirectory()) {
        this.candidates.delete(path);
        this.o.onFolder?.(path);
        continue;
      }
      if (!st.isFile()) {
        // A symlink could lead anywhere on this machine: only regular files are taken.
        if (st.isSymbolicLink()) this.o.log.warn({ path }, 'ignored: a symlink in the inbox');
        this.candidates.delete(path);
        continue;
      }
      // Written in the last WATCH_STABILITY_MS: look again when it has held still that long.
      const quietAt = st.mtimeMs + this.o.stabilityMs;
      if (quietAt > now) {
        this.candidates.delete(path);
        this.candidates.set(path, { ...c, notBefore: quietAt });
        continue;
      }
      ready.push([path, { ...c, size: st.size }]);
    }
    const prepared: Prepared[] = [];
    // Batches claimed before a failure (a full disk, say) are still queued: claimed means tracked.
    let failure: unknown = null;
    for (let i = 0; i < ready.length && failure === null; i += this.o.batchMaxFiles) {
      const chunk = ready.slice(i, i + this.o.batchMaxFiles);
      const batch = this.o.spool.newBatch();
      let taken;
      try {
        taken = await this.o.spool.claim(
          batch,
          chunk.map(([path, c]) => ({ path, size: c.size })),
          this.o.claimMode,
        );
      } catch (err) {
        failure = err;
        await this.o.spool.removeBatch(batch).catch(() => undefined);
        break;
      }
      const { claimed, refused, left, full } = taken;
      const notTaken = new Set(left);
      for (const [p] of chunk) if (!notTaken.has(p)) this.candidates.delete(p);
      if (full) failure = full;
      for (const r of refused) {
        // Left in the inbox: the next walk offers it again, and this says so each time until fixed.
        this.o.log.warn(
          { path: r.path, code: r.code },
          'cannot claim the file (permissions of its folder): left in the inbox',
        );
        this.o.metrics?.failure('watch', 'permission_denied');
      }
      if (claimed.length === 0) {
        await this.o.spool.removeBatch(batch);
        continue;
      }
      const detected = new Map(chunk.map(([p, c]) => [p, c.detectedAt]));
      prepared.push(
        await this.load(batch, claimed, (f) => new Date(detected.get(f.sourcePath) ?? Date.now()).toISOString()),
      );
    }
    if (prepared.length > 0) await this.enqueue(prepared, true);
    if (failure !== null) throw failure;
    this.release();
  }

  /**
   * Kept originals read again (`reprocess`): each is moved out of done/ into a batch, named by the
   * path it was dropped at, and queued naming the document it was a version of. From there it is
   * any claimed file: finished by its outcome (back under done/, or into failed/ with its
   * dead-letter entry, where `dlq retry` finds it), reconciled after a crash. Returns the files
   * queued (a kept file gone meanwhile is passed over).
   */
  async submitKept(items: readonly KeptSubmission[]): Promise<number> {
    const prepared: Prepared[] = [];
    for (let i = 0; i < items.length; i += this.o.batchMaxFiles) {
      const chunk = items.slice(i, i + this.o.batchMaxFiles);
      const batch = this.o.spool.newBatch();
      const { claimed } = await this.o.spool.claim(
        batch,
        chunk.map((k) => ({ path: k.keptPath, size: k.size, sourcePath: k.sourcePath })),
        'rename',
      );
      if (claimed.length === 0) {
        await this.o.spool.removeBatch(batch);
        continue;
      }
      // A claimed name starts with the file's index in the chunk (two versions may share a path).
      const of = (f: ClaimedFile): KeptSubmission => chunk[Number.parseInt(f.name, 10)]!;
      prepared.push(
        await this.load(
          batch,
          claimed,
          (f) => of(f).detectedAt,
          (f) => of(f).previousId,
        ),
      );
    }
    if (prepared.length > 0) await this.enqueue(prepared, true);
    return prepared.reduce((n, p) => n + p.data.files.length, 0);
  }

  /** Read a claimed batch once: hash, byte guards, and the bytes into the job (or a blob key). */
  private async load(
    batch: string,
    claimed: ClaimedFile[],
    detectedAt: (f: ClaimedFile) => string,
    previousIdOf: (f: ClaimedFile) => string | undefined = () => undefined,
  ): Promise<Prepared> {
    const { spool, queuePrefix } = this.o;
    const blobs: Array<[string, Buffer]> = [];
    const files = await Promise.all(
      claimed.map(async (c): Promise<SpooledFile> => {
        const previousId = previousIdOf(c);
        const base = {
          name: c.name,
          path: c.sourcePath,
          size: c.size,
          detectedAt: detectedAt(c),
          ...(previousId !== undefined ? { previousId } : {}),
        };
        let r;
        try {
          r = await readFileBytes(c.path, this.o.maxFileBytes, c.size);
        } catch (err) {
          const message = `cannot read the claimed file: ${(err as Error).message}`;
          return { ...base, sha256: null, claimFailure: { code: 'internal_error', message } };
        }
        if (!r.ok)
          return {
            ...base,
            // Too large: its bytes are there, hashed as a stream (never held); otherwise none to hash.
            sha256: r.failure.code === 'too_large' ? await streamedSha256(c.path).catch(() => null) : null,
            claimFailure: { code: r.failure.code, message: r.failure.message },
          };
        const bytes = r.value;
        const file = { ...base, size: bytes.length, sha256: contentHash(bytes) };
        if (bytes.length <= this.o.jobInlineMaxBytes) return { ...file, content: bytes.toString('latin1') };
        const key = blobKey(queuePrefix, spool.id, batch, c.name);
        blobs.push([key, bytes]);
        return { ...file, blobKey: key };
      }),
    );
    return {
      jobId: batchJobId(spool.id, batch),
      data: { spool: spool.ref, batch, files },
      blobs,
      bytes: files.reduce((n, f) => n + f.size, 0),
    };
  }

  /** One addBulk for all; while Redis is down, retried with backoff (the files wait in the spool). */
  private async enqueue(prepared: Prepared[], own: boolean): Promise<void> {
    for (const p of prepared)
      this.track(p.jobId, {
        batch: p.data.batch,
        files: metaOf(p.data.files),
        bytes: p.bytes,
        blobKeys: p.blobs.map(([k]) => k),
        own,
      });
    for (let attempt = 0; ; attempt++) {
      try {
        const blobs = prepared.flatMap((p) => p.blobs);
        if (blobs.length > 0) await this.o.redis.mset(...blobs.flat());
        await this.o.queue.addBulk(
          prepared.map((p) => ({ name: 'cables', data: p.data, opts: { ...CABLE_JOB_OPTIONS, jobId: p.jobId } })),
        );
        const files = prepared.reduce((n, p) => n + p.data.files.length, 0);
        this.release();
        this.o.metrics?.jobsEnqueued.inc({ result: 'created' }, prepared.length);
        this.o.metrics?.filesDetected.inc({ source: 'claim' }, files);
        this.o.onQueued?.(files);
        return;
      } catch (err) {
        // Stopping: the batches stay claimed in the spool and are queued at the next start.
        if (this.stopping) return;
        this.hold(holdCode(err, 'enqueue')!, err);
        await sleep(Math.min(10_000, 250 * 2 ** attempt));
      }
    }
  }

  /** What stops the intake claiming now, if anything (readiness and `status` show it). */
  held(): IntakeHold | null {
    return this.heldBy;
  }

  /** An outage met while claiming or queueing: said once when it starts (and when it changes), counted each time. */
  private hold(code: IntakeHold['code'], err: unknown): void {
    this.o.metrics?.failure(code === 'spool_disk_full' ? 'watch' : 'enqueue', code);
    if (this.heldBy?.code === code) return;
    if (this.heldBy) this.o.metrics?.intakeHeld.set({ code: this.heldBy.code }, 0);
    this.heldBy = { code, since: new Date().toISOString(), message: (err as Error).message ?? String(err) };
    this.o.metrics?.intakeHeld.set({ code }, 1);
    this.o.log.warn({ code, err: { message: this.heldBy.message } }, `claiming paused (${code}): ${HOLD_ADVICE[code]}`);
  }

  private release(): void {
    if (!this.heldBy) return;
    const { code, since } = this.heldBy;
    this.heldBy = null;
    this.o.metrics?.intakeHeld.set({ code }, 0);
    this.o.log.info({ code, since }, `claiming resumed after ${code}`);
  }

  private track(jobId: string, f: InFlight): void {
    if (this.inFlight.has(jobId)) return;
    this.inFlight.set(jobId, f);
    this.filesInFlight += f.files.length;
    this.bytesInFlight += f.bytes;
    this.o.metrics?.intakeInFlight.set(this.filesInFlight);
  }

  private untrack(jobId: string): void {
    const f = this.inFlight.get(jobId);
    if (!f) return;
    this.inFlight.delete(jobId);
    this.filesInFlight -= f.files.length;
    this.bytesInFlight -= f.bytes;
    this.o.metrics?.intakeInFlight.set(this.filesInFlight);
    this.wake();
  }

  /** Batches in flight whose end an event did not bring (missed while reconnecting), and stray folders. */
  private async sweep(): Promise<void> {
    try {
      // A heartbeat on every batch this process tracks: another process sharing the spool takes
      // over only folders untouched for ADOPT_AFTER_MS, so none of these while this one lives.
      await this.o.spool.touchBatches([...this.inFlight.values()].map((f) => f.batch));
      const ids = [...this.inFlight.keys()];
      for (let i = 0; i < ids.length && !this.stopping; i += 50) {
        const states = await Promise.all(ids.slice(i, i + 50).map((id) => this.o.queue.getJobState(id)));
        await Promise.all(
          states.map((s, k) =>
            s === 'completed' || s === 'failed' || s === 'unknown' ? this.finish(ids[i + k]!) : undefined,
          ),
        );
      }
      await this.reconcile();
    } catch (err) {
      this.o.log.warn({ err }, 'sweep of the batches in flight failed; tried again shortly');
    }
  }

  /**
   * A failed job whose files do not all have their outcome yet: the worker that failed it records
   * them once their dead-letter entries are written (a `progress` event then finishes the batch).
   * A worker that died before it could is replaced: past ADOPT_AFTER_MS the job goes back to the
   * workers, which decide again. The files stay claimed meanwhile: nothing reaches `failed/`
   * without its entry.
   */
  private async awaitFailedOutcomes(jobId: string, failedAt: number): Promise<void> {
    if (Date.now() - failedAt < ADOPT_AFTER_MS) return;
    this.o.log.warn({ jobId }, 'a failed job has files without an outcome: handing it back to the workers');
    const job = await this.o.queue.getJob(jobId);
    await job?.retry('failed');
  }

  /**
   * A finished batch: each file to its place by its outcome, then the job (and any blob) out of
   * Redis, then the folder. In that order, so a crash at any point leaves a state `reconcile`
   * completes: files still in the folder with a finished job are finished again (idempotent);
   * files in a folder without a job are queued again (indexing is idempotent by `_id`).
   */
  private async finish(jobId: string): Promise<void> {
    const entry = this.inFlight.get(jobId);
    if (!entry || this.finishing.has(jobId)) return;
    this.finishing.add(jobId);
    try {
      const { spool, queue, log } = this.o;
      const state = await queue.getJobState(jobId);
      if (state === 'unknown') {
        // Removed by someone else (an operator, another owner): whatever is left is claimed again.
        this.untrack(jobId);
        if (!(await spool.removeBatch(entry.batch))) await this.reconcileBatch(entry.batch);
        return;
      }
      if (state !== 'completed' && state !== 'failed') return;
      // Only the outcome fields: the job's data (the cable text) is not read back.
      const [returnvalue, progress, finishedOn] = await this.o.redis.hmget(
        queue.toKey(jobId),
        'returnvalue',
        'progress',
        'finishedOn',
      );
      const kept = BatchOutcomes.safeParse(parseJson(state === 'completed' ? returnvalue : progress));
      const outcomes = kept.success ? kept.data.outcomes : {};
      if (state === 'failed' && entry.files.some((f) => !outcomes[f.name])) {
        await this.awaitFailedOutcomes(jobId, Number(finishedOn) || Date.now());
        return;
      }
      const failedAt = new Date(Number(finishedOn) || Date.now()).toISOString();
      for (const f of entry.files) {
        // Every outcome was decided and recorded by a worker (a dead-lettered file's entry first).
        const o = outcomes[f.name];
        if (!o) continue; // no fate known: left in the folder, queued again
        if (o.outcome === 'indexed')
          await spool.finishIndexed(entry.batch, f.name, f.sha256 ?? '', this.o.finishedFiles === 'keep');
        else
          await spool.finishFailed(entry.batch, f.name, {
            code: o.code,
            message: o.message,
            sha256: f.sha256,
            id: deadLetterId(f),
            sourcePath: f.path,
            jobId,
            failedAt,
          });
        this.o.metrics?.filesFinished.inc({ outcome: o.outcome });
        if (entry.own) this.o.onFinished?.(o.outcome, f.path);
      }
      if (entry.blobKeys.length > 0) await this.o.redis.del(...entry.blobKeys);
      await queue.remove(jobId).catch((err: unknown) => log.debug({ err, jobId }, 'job already removed'));
      this.untrack(jobId);
      if (!(await spool.removeBatch(entry.batch))) {
        // Only this batch: another may be a backfill's, still being filled (the age guard of reconcile).
        log.warn({ batch: entry.batch }, 'files without an outcome left in a finished batch: queueing them again');
        await this.reconcileBatch(entry.batch);
      }
    } catch (err) {
      this.o.log.warn({ err, jobId }, 'finishing a batch failed; the sweep tries again');
    } finally {
      this.finishing.delete(jobId);
    }
  }
}
