import type { Queue } from 'bullmq';
import { CABLE_JOB_OPTIONS } from '../shared/queues.js';
import type { DroppedFile } from '../shared/stages.js';

/**
 * DroppedFile -> job in `cables`. jobId = content hash: BullMQ ignores an add whose jobId exists,
 * so the same bytes dropped twice (or seen by both the watcher and a rescan) make one job.
 * Returns whether a new job was created.
 */
export async function enqueueFile(queue: Queue, file: DroppedFile): Promise<boolean> {
  const job = await queue.add('cable', file, { ...CABLE_JOB_OPTIONS, jobId: file.sha256 });
  // On a duplicate jobId BullMQ returns the existing job, whose data has its own detectedAt.
  return job.data?.detectedAt === file.detectedAt;
}
