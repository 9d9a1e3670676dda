import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type { Job, Queue } from 'bullmq';
import type { Failure } from './errors.js';
import { DeadLetterEntry, type DroppedFileJob, type SpoolRef } from './job-data.js';

/**
 * The only code that writes or reads the dead-letter queue. Entries sit in the queue's waiting
 * list (no worker consumes it) until an operator replays or purges them. An entry's id is the
 * content hash, so a crash between "entry written" and "job finished" cannot make two entries.
 */
/**
 * A dead letter's id: the file's content hash (the same bytes dead-lettered twice make one entry),
 * or, for a file whose bytes could not be read, `unread-` and a digest of where and when it was
 * dropped (said as such: it is not a content hash). The spool's failed area names files by it.
 */
export function deadLetterId(job: Pick<DroppedFileJob, 'sha256' | 'path' | 'detectedAt'>): string {
  if (job.sha256 !== null) return job.sha256;
  return `unread-${createHash('sha256').update(`${job.path}\0${job.detectedAt}`).digest('hex').slice(0, 40)}`;
}

export async function deadLetter(
  dlq: Queue,
  job: DroppedFileJob,
  f: Failure,
  meta: {
    attempts: number;
    firstFailedAt: string;
    parserVersion: string;
    causeCode?: string | null;
    spool?: SpoolRef | null;
  },
): Promise<DeadLetterEntry> {
  const entry = DeadLetterEntry.parse({
    job,
    spool: meta.spool ?? null,
    stage: f.stage,
    code: f.code,
    message: f.message,
    issues: f.issues ?? [],
    attempts: meta.attempts,
    firstFailedAt: meta.firstFailedAt,
    deadLetteredAt: new Date().toISOString(),
    host: hostname(),
    parserVersion: meta.parserVersion,
    causeCode: meta.causeCode ?? null,
  });
  await dlq.add(f.code, entry, { jobId: deadLetterId(job), removeOnComplete: false, removeOnFail: false });
  return entry;
}

export interface DeadLetterRecord {
  id: string;
  entry: DeadLetterEntry;
}

function toRecord(job: Job): DeadLetterRecord | null {
  const parsed = DeadLetterEntry.safeParse(job.data);
  return parsed.success && job.id ? { id: job.id, entry: parsed.data } : null;
}

export async function listDeadLetters(dlq: Queue, filter: { reason?: string } = {}): Promise<DeadLetterRecord[]> {
  const jobs = await dlq.getJobs(['waiting', 'delayed', 'prioritized'], 0, -1, true);
  return jobs
    .map(toRecord)
    .filter((r): r is DeadLetterRecord => r !== null && (filter.reason === undefined || r.entry.code === filter.reason))
    .sort((a, b) => a.entry.deadLetteredAt.localeCompare(b.entry.deadLetteredAt));
}

export async function getDeadLetter(dlq: Queue, id: string): Promise<DeadLetterRecord | null> {
  const job = await dlq.getJob(id);
  return job ? toRecord(job) : null;
}

export type ReplayOutcome = 'replayed' | 'not_found' | 'not_here';

/** A dead-lettered original where its spool keeps it, and the inbox path it goes back to. */
export interface KeptOriginal {
  from: string;
  to: string;
}

/** The spool's failed area as replay sees it (the watcher's Spool implements it). */
export interface FailedOriginals {
  /** By the entry's id (deadLetterId). */
  findFailed(id: string): Promise<KeptOriginal | null>;
  putBack(original: KeptOriginal): Promise<string>;
}

/**
 * Contract: the original goes back into the inbox from the spool's failed area (at the path it was
 * dropped at), and the entry is removed; the watcher claims it again like any new file. Only the
 * spool's own machine can do it: an entry whose file is not in this spool is `not_here` (run the
 * command where the entry's `spool.host` says). Replaying an id twice is harmless: the second call
 * finds no entry (`not_found`).
 */
export async function replayDeadLetter(dlq: Queue, id: string, originals: FailedOriginals): Promise<ReplayOutcome> {
  const record = await getDeadLetter(dlq, id);
  if (!record) return 'not_found';
  const original = await originals.findFailed(record.id);
  if (!original) return 'not_here';
  const job = await dlq.getJob(id);
  // The entry goes before the file: once the file is back in the inbox a fast pipeline can
  // dead-letter it again under the same id (the content hash), and an entry still there would
  // swallow the new one, which this removal would then delete.
  await job?.remove();
  try {
    await originals.putBack(original);
  } catch (err) {
    if (job) await dlq.add(job.name, job.data, { jobId: id, removeOnComplete: false, removeOnFail: false });
    throw err;
  }
  return 'replayed';
}

export async function purgeDeadLetter(dlq: Queue, id: string): Promise<boolean> {
  const job = await dlq.getJob(id);
  if (!job) return false;
  await job.remove();
  return true;
}
