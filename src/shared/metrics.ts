import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Queue } from 'bullmq';
import type { ReasonCode } from './errors.js';

/**
 * Every metric the pipeline exports, defined once (names per Prometheus conventions, as Vector's
 * instrumentation spec puts them: `<namespace>_<name>_<unit>_total`). Labels are bounded enums
 * only: stage, reason code, queue, state, result; never paths or cable ids. A registry per
 * pipeline, so that tests can run several pipelines in one process.
 */
export const JOB_STATES = [
  'waiting',
  'active',
  'delayed',
  'failed',
  'completed',
  'prioritized',
  'waiting-children',
] as const;

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'cable_ingest_' });
  const queues: Queue[] = [];
  const m = {
    registry,
    filesDetected: new Counter({
      name: 'cable_ingest_files_detected_total',
      help: 'Files the watcher offered for enqueueing, by how it saw them',
      labelNames: ['source'] as const,
      registers: [registry],
    }),
    intakeInFlight: new Gauge({
      name: 'cable_ingest_intake_files_in_flight',
      help: 'Files this watcher has queued and not yet finished (backpressure holds it under QUEUE_HIGH_WATER_FILES)',
      registers: [registry],
    }),
    filesFinished: new Counter({
      name: 'cable_ingest_files_finished_total',
      help: 'Claimed files the owner of the spool finished, by outcome (indexed: kept or deleted; dead_lettered: moved to the failed area)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    jobsEnqueued: new Counter({
      name: 'cable_ingest_jobs_enqueued_total',
      help: 'Enqueue answers: a new job, or a duplicate of an existing one (same content)',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    stageDuration: new Histogram({
      name: 'cable_ingest_stage_duration_seconds',
      help: 'Time spent in each pipeline stage per cable',
      labelNames: ['stage'] as const,
      buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers: [registry],
    }),
    dropToIndexed: new Histogram({
      name: 'cable_ingest_drop_to_indexed_seconds',
      help: 'From the watcher noticing a file to its document being indexed (search sees it at the next refresh: ELASTICSEARCH_REFRESH_INTERVAL)',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
    documentsIndexed: new Counter({
      name: 'cable_ingest_documents_indexed_total',
      help: 'Documents written to Elasticsearch, by result',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    deadLettered: new Counter({
      name: 'cable_ingest_dead_lettered_total',
      help: 'Cables written to the dead-letter queue, by reason code',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    intakeHeld: new Gauge({
      name: 'cable_ingest_intake_held',
      help: 'The watcher has stopped claiming because of this outage (1) or not (0): redis_unavailable, redis_out_of_memory, spool_disk_full',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    failures: new Counter({
      name: 'cable_ingest_failures_total',
      help: 'Classified failures, transient ones included (a retried failure is not a drop)',
      labelNames: ['stage', 'code'] as const,
      registers: [registry],
    }),
    bulkDocuments: new Histogram({
      name: 'cable_ingest_bulk_documents',
      help: 'Documents per _bulk request',
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
      registers: [registry],
    }),
    bulkBytes: new Histogram({
      name: 'cable_ingest_bulk_bytes',
      help: 'Bytes per _bulk request',
      buckets: [1e3, 1e4, 1e5, 5e5, 1e6, 5e6, 1e7],
      registers: [registry],
    }),
    bulkDuration: new Histogram({
      name: 'cable_ingest_bulk_duration_seconds',
      help: 'Duration of _bulk requests',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    elasticsearchErrors: new Counter({
      name: 'cable_ingest_elasticsearch_errors_total',
      help: 'Elasticsearch errors, by reason code',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    unknownCodes: new Counter({
      name: 'cable_ingest_unknown_codes_total',
      help: 'Codes the reference data did not know, by kind',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    queueJobs: new Gauge({
      name: 'cable_ingest_queue_jobs',
      help: 'Jobs per queue and state (read from Redis at scrape time)',
      labelNames: ['queue', 'state'] as const,
      registers: [registry],
      async collect() {
        for (const q of queues) {
          const counts = await q.getJobCounts(...JOB_STATES);
          for (const state of JOB_STATES) this.set({ queue: q.name, state }, counts[state] ?? 0);
        }
      },
    }),
    oldestWaitingAge: new Gauge({
      name: 'cable_ingest_queue_oldest_waiting_seconds',
      help: 'Age of the oldest waiting job per queue',
      labelNames: ['queue'] as const,
      registers: [registry],
      async collect() {
        for (const q of queues) {
          const [oldest] = await q.getJobs(['waiting'], -1, -1, true);
          this.set({ queue: q.name }, oldest ? Math.max(0, (Date.now() - oldest.timestamp) / 1000) : 0);
        }
      },
    }),
    /** Queues whose depths the gauges report. */
    watchQueues(...qs: Queue[]) {
      queues.push(...qs);
    },
    failure(stage: string, code: ReasonCode) {
      this.failures.inc({ stage, code });
      if (code.startsWith('es_')) this.elasticsearchErrors.inc({ code });
    },
  };
  return m;
}

export type Metrics = ReturnType<typeof createMetrics>;

/** Every metric name this project defines (docs and tests list them from here). */
export function metricNames(m: Metrics): string[] {
  return (m.registry.getMetricsAsArray() as Array<{ name: string }>)
    .map((x) => x.name)
    .filter((n) => !n.startsWith('cable_ingest_process') && !n.startsWith('cable_ingest_nodejs'));
}
