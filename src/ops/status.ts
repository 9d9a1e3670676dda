import type { Client } from '@elastic/elasticsearch';
import type { Queue } from 'bullmq';
import { listDeadLetters } from '#shared/dead-letter.js';
import { JOB_STATES } from '#shared/metrics.js';
import { englishAnalysisOf } from '#shared/elasticsearch/index-template.js';

export interface QueueStatus {
  name: string;
  counts: Record<string, number>;
  oldestWaitingSeconds: number | null;
}

export interface PipelineStatus {
  at: string;
  queues: QueueStatus[];
  /** Cables indexed in the last minute, and per minute over the last 15 (documents by `ingest.ingested_at`). */
  throughput: { lastMinute: number; last15MinutesPerMinute: number };
  topDeadLetterReasons: Array<{ reason: string; count: number }>;
  /** `englishAnalysis`: how the `.english` subfields of the alias's index are analysed (its `_meta`). */
  index: { alias: string; documents: number | null; failures: number | null; englishAnalysis: string | null };
  /** The cluster's health as its nodes answer it (null: none answered within 3 s). */
  elasticsearch: { status: string; nodes: number; unassignedShards: number } | null;
}

async function queueStatus(q: Queue): Promise<QueueStatus> {
  const counts = await q.getJobCounts(...JOB_STATES);
  const [oldest] = await q.getJobs(['waiting'], -1, -1, true);
  return {
    name: q.name,
    counts,
    oldestWaitingSeconds: oldest ? Math.round((Date.now() - oldest.timestamp) / 1000) : null,
  };
}

/** Everything `cable-ingest status` shows; read-only, from Redis and (when it answers) Elasticsearch. */
export async function pipelineStatus(
  cables: Queue,
  dlq: Queue,
  es: Client | null,
  alias: string,
): Promise<PipelineStatus> {
  // Every Elasticsearch read at once, each given one try of 3 s: while a cluster elects a master
  // after losing a node, status answers within seconds and says what did not answer, instead of
  // waiting on each read in turn (and on the client's retries of each).
  const [main, dead, lastMinute, last15, documents, failures, englishAnalysis, elasticsearch, deadLetters] =
    await Promise.all([
      queueStatus(cables),
      queueStatus(dlq),
      // Counted in files, not jobs (a job carries a batch, and is removed once its files are
      // finished): the documents whose ingest time falls in the window.
      es ? indexedSince(es, alias, '1m') : 0,
      es ? indexedSince(es, alias, '15m') : 0,
      es ? documentCount(es, alias) : null,
      es ? documentCount(es, `${alias}-failures`) : null,
      es ? englishAnalysisOf(es, alias, STATUS_READ).catch(() => null) : null,
      es ? clusterHealth(es) : null,
      listDeadLetters(dlq),
    ]);
  const reasons = new Map<string, number>();
  for (const r of deadLetters) reasons.set(r.entry.code, (reasons.get(r.entry.code) ?? 0) + 1);
  return {
    at: new Date().toISOString(),
    queues: [main, dead],
    throughput: {
      lastMinute,
      last15MinutesPerMinute: Math.round((last15 / 15) * 10) / 10,
    },
    topDeadLetterReasons: [...reasons.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([reason, c]) => ({ reason, count: c })),
    index: { alias, documents, failures, englishAnalysis },
    elasticsearch,
  };
}

/** One try, bounded: status is read by people and probes, who need an answer more than a retry. */
const STATUS_READ = { requestTimeout: 3_000, maxRetries: 0 } as const;

async function indexedSince(es: Client, alias: string, window: string): Promise<number> {
  const r = await es
    .count({ index: alias, query: { range: { 'ingest.ingested_at': { gte: `now-${window}` } } } }, STATUS_READ)
    .catch(() => null);
  return r?.count ?? 0;
}

async function documentCount(es: Client, index: string): Promise<number | null> {
  try {
    return (await es.count({ index }, STATUS_READ)).count;
  } catch {
    return null;
  }
}

async function clusterHealth(es: Client): Promise<PipelineStatus['elasticsearch']> {
  try {
    const h = await es.cluster.health({ timeout: '2s' }, STATUS_READ);
    return { status: h.status, nodes: h.number_of_nodes, unassignedShards: h.unassigned_shards };
  } catch {
    return null;
  }
}

export function formatStatus(s: PipelineStatus): string {
  const lines: string[] = [`cable-ingest status at ${s.at}`];
  for (const q of s.queues) {
    const c = q.counts;
    lines.push(
      `  ${q.name.padEnd(20)} waiting ${c['waiting'] ?? 0}  active ${c['active'] ?? 0}  delayed ${c['delayed'] ?? 0}  failed ${c['failed'] ?? 0}  completed ${c['completed'] ?? 0}` +
        (q.oldestWaitingSeconds !== null ? `  oldest waiting ${q.oldestWaitingSeconds} s` : ''),
    );
  }
  lines.push(
    `  throughput           ${s.throughput.lastMinute} cables in the last minute, ${s.throughput.last15MinutesPerMinute}/min over 15 min`,
  );
  lines.push(
    `  dead-letter reasons  ${s.topDeadLetterReasons.length === 0 ? 'none' : s.topDeadLetterReasons.map((r) => `${r.reason} ${r.count}`).join(', ')}`,
  );
  lines.push(
    `  index ${s.index.alias.padEnd(14)} ${s.index.documents ?? 'unreachable'} documents, ${s.index.failures ?? 'unreachable'} failures recorded; English analysis: ${s.index.englishAnalysis ?? 'not recorded'}`,
  );
  const h = s.elasticsearch;
  lines.push(
    `  elasticsearch        ${h ? `${h.status}, ${h.nodes} node${h.nodes === 1 ? '' : 's'}, ${h.unassignedShards} unassigned shards` : 'not answering'}`,
  );
  return lines.join('\n');
}
