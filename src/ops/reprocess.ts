import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Client } from '@elastic/elasticsearch';
import { QueueEvents, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { Presets, SingleBar } from 'cli-progress';
import { listDeadLetters, replayDeadLetter } from '../shared/dead-letter.js';
import { BatchOutcomes, type CableBatchJob, type SpooledFile } from '../shared/job-data.js';
import type { Logger } from '../shared/logger.js';
import { blobKey, CABLE_JOB_OPTIONS } from '../shared/queues.js';
import { createRedis } from '../shared/redis.js';
import type { CableVersion } from '../shared/stages.js';
import { Spool } from '../watcher/spool.js';
import { PARSER_VERSION } from '../workers/stages/parse/index.js';
import type { OpsServices } from './services.js';

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
 * `cable-ingest reprocess`: the kept originals of the selected documents read again through the
 * queue, by whatever workers run, and indexed again. Each file's job names the document it was a
 * version of (`previousId`): when the new parser gives it another id, the worker writes the new
 * document first and only then takes the version off the old one (bulk.ts). Runs where the spool
 * is (the originals are there); waits for every file's fate and prints a summary.
 */
export async function reprocess(
  s: OpsServices,
  log: Logger,
  selection: ReprocessSelection,
  opts: { progress: boolean; deadLetters: boolean },
): Promise<ReprocessSummary> {
  const started = Date.now();
  const seen: Selection = { matched: 0, read: 0, documents: 0, versions: 0 };
  const spool = await Spool.open(s.config.spoolDir, s.config.inboxDir);
  const run = new ReprocessRun(s, log, spool, opts.progress);
  const pages = selectedVersions(s.es, s.config.indexAlias, selection, seen);
  const summary = await run.readAgain(pages, seen).finally(() => run.close());
  summary.documents = seen.documents;
  if (opts.deadLetters) {
    const than = 'parserOlderThan' in selection ? selection.parserOlderThan : PARSER_VERSION;
    summary.deadLettersReplayed = await replayOlderDeadLetters(s, spool, than);
  }
  summary.seconds = Math.round((Date.now() - started) / 100) / 10;
  summary.perSecond = summary.seconds > 0 ? Math.round(summary.indexed / summary.seconds) : summary.indexed;
  return summary;
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

/**
 * One reprocess run: its versions queued in batches, at most a high-water mark's worth under way, each
 * job's outcome counted.
 */
class ReprocessRun {
  private readonly id = `reprocess-${new Date()
    .toISOString()
    .replace(/[-:.TZ]/g, '')
    .slice(0, 14)}-${randomBytes(3).toString('hex')}`;
  private readonly eventsConnection: Redis;
  private readonly queueEvents: QueueEvents;
  private readonly bar: SingleBar | null;
  private readonly summary: ReprocessSummary = {
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

  constructor(
    private readonly s: OpsServices,
    private readonly log: Logger,
    private readonly spool: Spool,
    progress: boolean,
  ) {
    this.eventsConnection = createRedis(s.config.redisUrl, 'worker');
    this.queueEvents = new QueueEvents(s.cables.name, {
      connection: this.eventsConnection,
      prefix: s.config.queuePrefix,
    });
    const format =
      'reprocess [{bar}] {value}/{total} versions | {indexed} indexed, {failed} dead-lettered, {missing} not kept | {eta_formatted} left';
    this.bar = progress ? new SingleBar({ format, hideCursor: true }, Presets.shades_classic) : null;
  }

  async readAgain(pages: AsyncIterable<Item[]>, seen: Selection): Promise<ReprocessSummary> {
    const { config } = this.s;
    await this.queueEvents.waitUntilReady();
    const days = await this.spool.keptDays();
    this.bar?.start(0, 0, { indexed: 0, failed: 0, missing: 0 });
    // As many files under way as the intake's own high-water mark allows.
    const window = Math.max(1, Math.floor(config.highWater.files / config.batchMaxFiles));
    const underWay = new Set<Promise<void>>();
    let n = 0;
    const queue = async (batch: Item[]): Promise<void> => {
      const queued = await this.queueBatch(`${this.id}-${n++}`, batch, days);
      if (!queued) return;
      const p: Promise<void> = this.settle(queued.job, queued.files, queued.blobs).finally(() => underWay.delete(p));
      underWay.add(p);
      while (underWay.size >= window) await Promise.race(underWay);
    };
    const pending: Item[] = [];
    for await (const items of pages) {
      // The bar's total: the versions found so far, and one for each matched document not yet read.
      this.bar?.setTotal(seen.versions + Math.max(0, seen.matched - seen.read));
      pending.push(...items);
      while (pending.length >= config.batchMaxFiles) await queue(pending.splice(0, config.batchMaxFiles));
    }
    if (pending.length > 0) await queue(pending.splice(0));
    this.summary.versions = seen.versions;
    this.bar?.setTotal(seen.versions);
    await Promise.all(underWay);
    return this.summary;
  }

  async close(): Promise<void> {
    this.bar?.stop();
    await this.queueEvents.close();
    this.eventsConnection.disconnect();
  }

  /** One job of kept originals (the bytes in the job, or in a blob key when large); null when none is kept. */
  private async queueBatch(
    batch: string,
    items: readonly Item[],
    days: readonly string[],
  ): Promise<{ job: Job; files: number; blobs: string[] } | null> {
    const { config } = this.s;
    const files: SpooledFile[] = [];
    const blobs: string[] = [];
    for (const [k, item] of items.entries()) {
      const v = item.version;
      const kept = await this.spool.findKept(v.source_path, v.sha256, v.detected_at, days);
      if (!kept) {
        this.summary.missing++;
        this.bar?.increment({ missing: this.summary.missing });
        this.log.warn(
          { id: item.documentId, sha256: v.sha256, source_path: v.source_path },
          'original not kept here: not reprocessed',
        );
        continue;
      }
      const file: SpooledFile = {
        name: String(k),
        path: v.source_path,
        sha256: v.sha256,
        size: kept.bytes.length,
        detectedAt: v.detected_at,
        previousId: item.documentId,
      };
      if (kept.bytes.length <= config.jobInlineMaxBytes) file.content = kept.bytes.toString('latin1');
      else {
        file.blobKey = blobKey(config.queuePrefix, this.id, batch, file.name);
        await this.s.redis.set(file.blobKey, kept.bytes);
        blobs.push(file.blobKey);
      }
      files.push(file);
    }
    if (files.length === 0) return null;
    const data: CableBatchJob = { spool: { id: this.id, host: hostname() }, batch, files };
    const job = await this.s.cables.add('cables', data, { ...CABLE_JOB_OPTIONS, jobId: batch });
    this.summary.queued += files.length;
    return { job, files: files.length, blobs };
  }

  /** One job's outcome counted, the job and its blobs removed. */
  private async settle(job: Job, files: number, blobs: string[]): Promise<void> {
    let indexed = 0;
    try {
      const outcomes = BatchOutcomes.safeParse(await job.waitUntilFinished(this.queueEvents));
      indexed = outcomes.success
        ? Object.values(outcomes.data.outcomes).filter((o) => o.outcome === 'indexed').length
        : 0;
    } catch (err) {
      this.log.warn({ err, jobId: job.id }, 'a reprocess job failed; its files are in the dead-letter queue');
    }
    this.summary.indexed += indexed;
    this.summary.deadLettered += files - indexed;
    this.bar?.increment(files, { indexed: this.summary.indexed, failed: this.summary.deadLettered });
    await job.remove().catch(() => undefined);
    if (blobs.length > 0) await this.s.redis.del(...blobs);
  }
}
