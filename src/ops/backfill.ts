import { SingleBar, Presets } from 'cli-progress';
import type { Connections } from '#shared/connections.js';
import type { Logger } from '#shared/logger.js';
import { walkFiles } from '../intake/names.js';
import { openIntake } from '../intake/open.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface BackfillSummary {
  files: number;
  /** The most files found and not yet claimed at one time: the walk keeps at most `ahead`. */
  peakWaiting: number;
  queued: number;
  indexed: number;
  deadLettered: number;
  seconds: number;
}

/** How many files found and not yet claimed the walk of the folder keeps ahead of the intake. */
export const BACKFILL_AHEAD = 2_000;

/**
 * Ingest a whole folder through the same intake as the watcher: its files are claimed into the
 * spool (copied, so the folder is left as it is; or moved with `move`, on the spool's file system),
 * queued with their bytes under the same backpressure, and finished like dropped files (kept under
 * done/, or failed/ with their reason). Waits until every file has its fate.
 * The folder is walked as the intake takes its files, at most `ahead` files in front: memory stays
 * the same for a million files as for ten (the progress bar's total grows as the walk goes).
 */
export async function backfill(
  conn: Connections,
  log: Logger,
  dir: string,
  opts: { progress: boolean; move: boolean; ahead?: number },
): Promise<BackfillSummary> {
  const started = Date.now();
  const ahead = opts.ahead ?? BACKFILL_AHEAD;
  const s: BackfillSummary = { files: 0, peakWaiting: 0, queued: 0, indexed: 0, deadLettered: 0, seconds: 0 };
  const bar = opts.progress
    ? new SingleBar(
        {
          format: 'backfill [{bar}] {value}/{total} files finished | {queued} queued | {eta_formatted} left',
          hideCursor: true,
        },
        Presets.shades_classic,
      )
    : null;
  bar?.start(0, 0, { queued: 0 });
  const intake = await openIntake(conn, log, {
    claimMode: opts.move ? 'rename' : 'copy',
    owner: false,
    onQueued: (n) => {
      s.queued += n;
      bar?.update({ queued: s.queued });
    },
    onFinished: (outcome) => {
      if (outcome === 'indexed') s.indexed++;
      else s.deadLettered++;
      bar?.increment();
    },
  });
  try {
    for await (const f of walkFiles(dir)) {
      while (intake.intake.pending.candidates >= ahead) await sleep(50);
      intake.intake.offer(f);
      s.files++;
      s.peakWaiting = Math.max(s.peakWaiting, intake.intake.pending.candidates);
      bar?.setTotal(s.files);
    }
    while (!intake.intake.idle) await sleep(200);
  } finally {
    await intake.close();
    bar?.stop();
  }
  s.seconds = Math.round((Date.now() - started) / 100) / 10;
  return s;
}
