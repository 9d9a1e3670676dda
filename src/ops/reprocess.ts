import type { Client } from '@elastic/elasticsearch';
import { Presets, SingleBar } from 'cli-progress';
import { listDeadLetters, replayDeadLetter } from '#shared/dead-letter.js';
import type { Logger } from '#shared/logger.js';
import type { CableVersion } from '#shared/stages.js';
import type { KeptSubmission } from '../intake/intake.js';
import { openIntake, type OpenedIntake } from '../intake/open.js';
import type { Spool } from '../intake/spool.js';
import { PARSER_VERSION } from '../workers/stages/parse/index.js';
import type { OpsServices } from '../app/services.js';

/** Which documents to read again: all, those with a version read by a parser older than V, or these ids. */
export type ReprocessSelection = { all: true } | { parserOlderThan: string } | { ids: string[] };

export interface ReprocessSummary {
  documents: number;
  versions: number;
  queued: number;
  indexed: number;
  deadLettered: number;
  /** Versions whose original is not kept in this spool (FINISHED_FILES=delete, or another machine's spool). */
  missing: number;
  /** Dead letters of an older parser put back into the inbox (`--dead-letters`). */
  deadLettersReplayed: number;
  seconds: number;
  perSecond: number;
}

/** `0.10.0` after `0.9.1`: numeric parts compared in turn (a missing part is 0). */
export function isOlderVersion(version: string, than: string): boolean {
  const a = version.split('.').map((p) => Number.parseInt(p, 10) || 0);
  const b = than.split('.').map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  }
  return false;
}

interface Item {
  documentId: string;
  version: Pick<CableVersion, 'sha256' | 'source_path' | 'detected_at' | 'parser_version'>;
}

type Indexed = {
  versions?: CableVersion[];
  ingest?: Pick<CableVersion, 'sha256' | 'source_path' | 'detected_at' | 'parser_version'>;
};

/** A document's versions; one written before versions were recorded has its one file in `ingest`. */
function versionsOf(source: Indexed | undefined): Item['version'][] {
  if (source?.versions && source.versions.length > 0) return source.versions;
  return source?.ingest ? [source.ingest] : [];
}

/** How far the selection has got: documents the search matched, read, and selected, and their versions. */
interface Selection {
  matched: number;
  read: number;
  documents: number;
  versions: number;
}

/**
 * Every version of the selected documents, a scroll page at a time (an archive's worth of versions
 * is never held at once). A document is read again whole (all its versions), so that the version
 * shown and the document's id settle under the new parser together. The scroll is a snapshot:
 * documents written by this run are not selected again.
 */
async function* selectedVersions(
  es: Client,
  alias: string,
  selection: ReprocessSelection,
  seen: Selection,
): AsyncGenerator<Item[]> {
  const query =
    'ids' in selection
      ? { bool: { should: [{ ids: { values: selection.ids } }, { terms: { cable_id: selection.ids } }] } }
      : { match_all: {} };
  // A search sees what was refreshed: documents written in the last second are selected too.
  await es.indices.refresh({ index: alias });
  const fields = ['versions', 'ingest.sha256', 'ingest.source_path', 'ingest.detected_at', 'ingest.parser_version'];
  // Pages are read as the queue takes them: the scroll must outlive a slow page.
  const pages = es.helpers.scrollSearch<Indexed>({
    index: alias,
    size: 1_000,
    query,
    _source: fields,
    scroll: SCROLL_KEEP_ALIVE,
    track_total_hits: true,
  });
  for await (const page of pages) {
    const total = page.body.hits.total;
    seen.matched = typeof total === 'number' ? total : (total?.value ?? seen.matched);
    const items: Item[] = [];
    for (const hit of page.body.hits.hits) {
      seen.read++;
      const versions = versionsOf(hit._source);
      if (
        'parserOlderThan' in selection &&
        !versions.some((v) => isOlderVersion(v.parser_version, selection.parserOlderThan))
      )
        continue;
      seen.documents++;
      for (const version of versions) items.push({ documentId: hit._id!, version });
    }
    seen.versions += items.length;
    yield items;
  }
}

const SCROLL_KEEP_ALIVE = '10m';

/**
 * `cable-ingest reprocess`: the kept originals of the selected documents read again, submitted
 * through the intake like any file (intake.submitKept): each leaves done/ for a batch, its job names
 * the document it was a version of (`previousId`: when the new parser gives it another id, the
 * worker writes the new document first and only then takes the version off the old one), and it
 * is finished by its outcome: back under done/, or into failed/ with its dead-letter entry, where
 * `dlq retry` and `reprocess --dead-letters` find it. Runs where the spool is (the originals are
 * there), under the intake's high-water mark; waits for every file's fate and prints a summary.
 */
export async function reprocess(
  s: OpsServices,
  log: Logger,
  selection: ReprocessSelection,
  opts: { progress: boolean; deadLetters: boolean },
): Promise<ReprocessSummary> {
  const started = Date.now();
  const seen: Selection = { matched: 0, read: 0, documents: 0, versions: 0 };
  const summary: ReprocessSummary = {
    documents: 0,
    versions: 0,
    queued: 0,
    indexed: 0,
    deadLettered: 0,
    missing: 0,
    deadLettersReplayed: 0,
    seconds: 0,
    perSecond: 0,
  };
  const format =
    'reprocess [{bar}] {value}/{total} versions | {indexed} indexed, {failed} dead-lettered, {missing} not kept | {eta_formatted} left';
  const bar = opts.progress ? new SingleBar({ format, hideCursor: true }, Presets.shades_classic) : null;
  const progress = (): Record<string, number> => ({
    indexed: summary.indexed,
    failed: summary.deadLettered,
    missing: summary.missing,
  });
  bar?.start(0, 0, progress());
  const opened = await openIntake(s, log, {
    claimMode: 'rename',
    owner: false,
    onFinished: (outcome) => {
      if (outcome === 'indexed') summary.indexed++;
      else summary.deadLettered++;
      bar?.increment(progress());
    },
  });
  try {
    const pages = selectedVersions(s.es, s.config.indexAlias, selection, seen);
    await submitSelected(opened, pages, seen, summary, log, (total) => {
      bar?.setTotal(total);
      bar?.update(progress());
    });
    while (!opened.intake.idle) await sleep(100);
  } finally {
    await opened.close();
    bar?.stop();
  }
  summary.versions = seen.versions;
  summary.documents = seen.documents;
  if (opts.deadLetters) {
    const than = 'parserOlderThan' in selection ? selection.parserOlderThan : PARSER_VERSION;
    summary.deadLettersReplayed = await replayOlderDeadLetters(s, opened.spool, than);
  }
  summary.seconds = Math.round((Date.now() - started) / 100) / 10;
  summary.perSecond = summary.seconds > 0 ? Math.round(summary.indexed / summary.seconds) : summary.indexed;
  return summary;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Each page's kept originals submitted to the intake, no faster than its high-water mark lets them in. */
async function submitSelected(
  opened: OpenedIntake,
  pages: AsyncIterable<Item[]>,
  seen: Selection,
  summary: ReprocessSummary,
  log: Logger,
  onTotal: (total: number) => void,
): Promise<void> {
  const { intake, spool } = opened;
  const days = await spool.keptDays();
  for await (const items of pages) {
    // The bar's total: the versions found so far, and one for each matched document not yet read.
    onTotal(seen.versions + Math.max(0, seen.matched - seen.read));
    const kept: KeptSubmission[] = [];
    for (const item of items) {
      const v = item.version;
      const found = await spool.findKept(v.source_path, v.sha256, v.detected_at, days);
      if (!found) {
        summary.missing++;
        log.warn(
          { id: item.documentId, sha256: v.sha256, source_path: v.source_path },
          'original not kept here: not reprocessed',
        );
        continue;
      }
      kept.push({
        keptPath: found.path,
        size: found.bytes.length,
        sourcePath: v.source_path,
        detectedAt: v.detected_at,
        previousId: item.documentId,
      });
    }
    while (intake.pending.files >= intake.highWaterFiles) await sleep(50);
    summary.queued += await intake.submitKept(kept);
  }
  onTotal(seen.versions);
}

/** Dead letters an older parser wrote at the parse or validate stage, put back into the inbox (`dlq retry`). */
async function replayOlderDeadLetters(s: OpsServices, spool: Spool, than: string): Promise<number> {
  let replayed = 0;
  for (const r of await listDeadLetters(s.dlq)) {
    const e = r.entry;
    if ((e.stage !== 'parse' && e.stage !== 'validate') || !isOlderVersion(e.parserVersion, than)) continue;
    if ((await replayDeadLetter(s.dlq, r.id, spool)) === 'replayed') replayed++;
  }
  return replayed;
}
