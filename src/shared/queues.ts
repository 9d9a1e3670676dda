import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';

export const QUEUE = {
  cables: 'cables',
  deadLetter: 'cables-dead-letter',
} as const;
export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];

/** BullMQ's own retry: exponential backoff with jitter for transient failures. */
export const CABLE_JOB_OPTIONS: JobsOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 1_000, jitter: 0.5 },
  // Completed jobs are kept so that a re-dropped file with the same content (same jobId) is a no-op.
  removeOnComplete: { age: 7 * 24 * 3600, count: 250_000 },
  removeOnFail: false,
};

export function createQueue(name: QueueName, connection: ConnectionOptions, prefix: string): Queue {
  return new Queue(name, { connection, prefix });
}
