import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';

export const QUEUE = {
  cables: 'cables',
  deadLetter: 'cables-dead-letter',
} as const;
export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];

/**
 * BullMQ's own retry: exponential backoff with jitter for transient failures. Finished jobs are
 * kept until the owner of the spool has finished their files: it removes the job then, and with it
 * the cable text the job carried. Identity does not depend on kept jobs: a document's `_id` is its
 * cable id (or, without one, the content hash), so the same bytes twice make one document.
 */
export const CABLE_JOB_OPTIONS: JobsOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 1_000, jitter: 0.5 },
  removeOnComplete: false,
  removeOnFail: false,
};

/** A batch's job id, derived from its spool and its folder there, so a restart can tell queued from not. */
export function batchJobId(spoolId: string, batch: string): string {
  return `${spoolId}-${batch}`;
}

/** The Redis key holding a large file's bytes while its job is under way (see SpooledFile). */
export function blobKey(prefix: string, spoolId: string, batch: string, name: string): string {
  return `${prefix}:${QUEUE.cables}:blob:${spoolId}:${batch}:${name}`;
}

export function createQueue(name: QueueName, connection: ConnectionOptions, prefix: string): Queue {
  const queue = new Queue(name, { connection, prefix });
  // The connection's own errors are reported where it is made (connections.ts); a queue's calls
  // that fail reject to their callers.
  queue.on('error', () => undefined);
  return queue;
}
