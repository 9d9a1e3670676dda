import type { Queue } from 'bullmq';
import { CABLE_JOB_OPTIONS } from '../shared/queues.js';
import type { DroppedFile } from '../shared/stages.js';

/**
 * DroppedFile -> job in `cables`. jobId = content hash: BullMQ ignores an add whose jobId exists,
 * so the same bytes dropped twice (or seen by both the watcher and a rescan) make one job.
 * Returns whether a new job was created. (The look-up before the add only tells the caller; the
 * add alone keeps two racing watchers to one job.)
 */
export async function enqueueFile(queue: Queue, file: DroppedFile): Promise<boolean> {
  if (await queue.getJob(file.sha256)) return false;
  // Exactly the job's fields (a caller may hold more, such as the mtime the watcher keeps).
  const data: DroppedFile = { path: file.path, sha256: file.sha256, size: file.size, detectedAt: file.detectedAt };
  await queue.add('cable', data, { ...CABLE_JOB_OPTIONS, jobId: file.sha256 });
  return true;
}
