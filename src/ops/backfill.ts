import { SingleBar, Presets } from 'cli-progress';
import type { ServiceConfig } from '../shared/config.js';
import type { Logger } from '../shared/logger.js';
import { walkFiles } from '../watcher/inbox-events.js';
import { openIntake } from '../watcher/main.js';

export interface BackfillSummary {
  files: number;
  queued: number;
  indexed: number;
  deadLettered: number;
  seconds: number;
}

/**
 * Ingest a whole folder through the same intake as the watcher: its files are claimed into the
 * spool (copied, so the folder is left as it is; or moved with `move`, on the spool's file system),
 * queued with their bytes under the same backpressure, and finished like dropped files (kept under
 * done/, or failed/ with their reason). Waits until every file has its fate.
 */
export async function backfill(
  config: ServiceConfig,
  log: Logger,
  dir: string,
  opts: { progress: boolean; move: boolean },
): Promise<BackfillSummary> {
  const started = Date.now();
  const files: string[] = [];
  for await (const f of walkFiles(dir)) files.push(f);
  const s: BackfillSummary = { files: files.length, queued: 0, indexed: 0, deadLettered: 0, seconds: 0 };
  const bar = opts.progress
    ? new SingleBar(
        {
          format: 'backfill [{bar}] {value}/{total} files finished | {queued} queued | {eta_formatted} left',
          hideCursor: true,
        },
        Presets.shades_classic,
      )
    : null;
  bar?.start(files.length, 0, { queued: 0 });
  const intake = await openIntake(config, log, {
    claimMode: opts.move ? 'rename' : 'copy',
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
    for (const f of files) intake.intake.offer(f);
    while (!intake.intake.idle) await new Promise((r) => setTimeout(r, 200));
  } finally {
    await intake.close();
    bar?.stop();
  }
  s.seconds = Math.round((Date.now() - started) / 100) / 10;
  return s;
}
