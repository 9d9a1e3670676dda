import { hostname } from 'node:os';
import type { Queue } from 'bullmq';
import type { Failure } from './errors.js';
import { DeadLetterEntry, type DroppedFileJob } from './job-data.js';

/**
 * The only code that writes the dead-letter queue. Entries sit in the queue's waiting list (no
 * worker consumes it) until an operator replays or purges them. The entry's jobId is the content
 * hash, so a crash between "entry written" and "job finished" cannot make two entries.
 */
export async function deadLetter(
  dlq: Queue,
  job: DroppedFileJob,
  f: Failure,
  meta: { attempts: number; firstFailedAt: string; parserVersion: string; causeCode?: string | null },
): Promise<DeadLetterEntry> {
  const entry = DeadLetterEntry.parse({
    job,
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
  await dlq.add(f.code, entry, { jobId: job.sha256, removeOnComplete: false, removeOnFail: false });
  return entry;
}
