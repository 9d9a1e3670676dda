import type { Client } from '@elastic/elasticsearch';
import type { Queue } from 'bullmq';
import { listDeadLetters } from '../shared/dead-letter.js';
import { JOB_STATES } from '../shared/metrics.js';

export interface QueueStatus {
  name: string;
  counts: Record<string, number>;
  oldestWaitingSeconds: number | null;
}

export interface PipelineStatus {
  at: string;
  queues: QueueStatus[];
  /** Cables completed in the last minute, and per minute over the last 15 (BullMQ's worker metrics). */
  throughput: { lastMinute: number; last15MinutesPerMinute: number };
  topDeadLetterReasons: Array<{ reason: string; count: number }>;
  index: { alias: string; documents: number | null; failures: number | null };
}

async function queueStatus(q: Queue): Promise<QueueStatus> {
  const counts = await q.getJobCounts(...JOB_STATES);
  const [oldest] = await q.getJobs(['waiting'], -1, -1, true);
  return { name: q.name, counts, oldestWaitingSeconds: oldest ? Math.round((Date.now() - oldest.timestamp) / 1000) : null };
}

/** Everything `cable-ingest status` shows; read-only, from Redis and (when it answers) Elasticsearch. */
export async function pipelineStatus(cables: Queue, dlq: Queue, es: Client | null, alias: string): Promise<PipelineStatus> {
  const [main, dead] = await Promise.all([queueStatus(cables), queueStatus(dlq)]);
  // The last minute from the completed jobs themselves (BullMQ's per-minute metrics fill in as
  // each minute closes); the 15-minute rate from those metrics.
  const since = Date.now() - 60_000;
  const recent = await cables.getJobs(['completed'], 0, 999, false);
  const lastMinute = recent.filter((j) => (j.finishedOn ?? 0) >= since).length;
  const m = await cables.getMetrics('completed', 0, 14);
  const perMinute = m.data ?? [];
  const reasons = new Map<string, number>();
  for (const r of await listDeadLetters(dlq)) reasons.set(r.entry.code, (reasons.get(r.entry.code) ?? 0) + 1);
  const count = async (index: string): Promise<number | null> => {
    if (!es) return null;
    try {
      return (await es.count({ index }, { requestTimeout: 3_000 })).count;
    } catch {
      return null;
    }
  };
  return {
    at: new Date().toISOString(),
    queues: [main, dead],
    throughput: {
      lastMinute,
      last15MinutesPerMinute: perMinute.length > 0 ? Math.round((perMinute.reduce((a, b) => a + b, 0) / 15) * 10) / 10 : 0,
    },
    topDeadLetterReasons: [...reasons.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([reason, c]) => ({ reason, count: c })),
    index: { alias, documents: await count(alias), failures: await count(`${alias}-failures`) },
  };
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
  lines.push(`  throughput           ${s.throughput.lastMinute} cables in the last minute, ${s.throughput.last15MinutesPerMinute}/min over 15 min`);
  lines.push(`  dead-letter reasons  ${s.topDeadLetterReasons.length === 0 ? 'none' : s.topDeadLetterReasons.map((r) => `${r.reason} ${r.count}`).join(', ')}`);
  lines.push(`  index ${s.index.alias.padEnd(14)} ${s.index.documents ?? 'unreachable'} documents, ${s.index.failures ?? 'unreachable'} failures recorded`);
  return lines.join('\n');
}
