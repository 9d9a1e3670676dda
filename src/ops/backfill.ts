import type { Queue } from 'bullmq';
import { SingleBar, Presets } from 'cli-progress';
import { fingerprint } from '../watcher/fingerprint.js';
import { enqueueFile } from '../watcher/enqueue.js';
import { walkInbox } from '../watcher/rescan.js';

export interface BackfillSummary {
  files: number;
  enqueued: number;
  alreadyQueued: number;
  unreadable: number;
  seconds: number;
}

/**
 * Enqueue a whole folder (hidden and temporary files skipped, nested folders walked), with the
 * same identity as the watcher: job id = content hash, so a backfill over files already ingested
 * enqueues nothing twice. The workers read each file at its path: it must be reachable from them.
 */
export async function backfill(queue: Queue, dir: string, progress: boolean): Promise<BackfillSummary> {
  const started = Date.now();
  const files: string[] = [];
  for await (const f of walkInbox(dir)) files.push(f.path);
  const bar = progress ? new SingleBar({ format: 'backfill [{bar}] {value}/{total} files | {eta_formatted} left', hideCursor: true }, Presets.shades_classic) : null;
  bar?.start(files.length, 0);
  const s: BackfillSummary = { files: files.length, enqueued: 0, alreadyQueued: 0, unreadable: 0, seconds: 0 };
  const concurrency = 16;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < files.length) {
        const path = files[next++]!;
        try {
          if (await enqueueFile(queue, await fingerprint(path))) s.enqueued++;
          else s.alreadyQueued++;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === undefined) throw err; // Redis trouble: stop, say so
          s.unreadable++;
        }
        bar?.increment();
      }
    }),
  );
  bar?.stop();
  s.seconds = Math.round((Date.now() - started) / 100) / 10;
  return s;
}
