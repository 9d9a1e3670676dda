/**
 * The drop-to-searchable benchmark (issues #6, #12). In one run, on this machine and one Elasticsearch:
 *   raw      the same documents, already parsed, indexed with the client's bulk helper at its best
 *            batch size and concurrency (a small sweep picks them): the ceiling of Elasticsearch;
 *   loader   the same files read, parsed, enriched and bulk-indexed by one process, no watcher and
 *            no queue, at the best batch size and concurrency: the fair limit for the pipeline;
 *   pipeline the files dropped into the inbox (renamed in, as writers should) until all are
 *            searchable, through the watcher (claim into the spool), BullMQ on Redis and the workers;
 *   naive    one index request per cable;
 *   trickle  files dropped at a steady rate into the same inbox after the N-file backfill has gone
 *            through it, drop-to-searchable latency per file.
 * Prints a table, writes bench/results/latest.json and docs/benchmarks.md. Asserts nothing.
 *   npm run bench -- --n 2000            (a quick look)
 *   npm run bench -- --n 100000 --finished delete
 */
import { documentIdOf, textIdentity } from '../src/shared/cable-versions.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { createHash } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { createInterface } from 'node:readline';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createEsClient } from '../src/shared/elasticsearch/client.js';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/shared/config.js';
import { ensureCableIndex } from '../src/shared/elasticsearch/index-template.js';
import { PACKAGE_ROOT } from '../src/shared/paths.js';
import { QUEUE } from '../src/shared/queues.js';
import { loadReferenceData } from '../src/shared/reference/load.js';
import type { CableDocument } from '../src/shared/stages.js';
import { ES_DEFAULT_VERSION as ES_VERSION } from '../tools/stack/elasticsearch.js';
import { findJdks } from '../tools/stack/jdk.js';
import { stackUp } from '../tools/stack/index.js';
import { documentFromBytes } from '../src/workers/pipeline.js';
import { enrichCable } from '../src/workers/stages/enrich/index.js';
import { parseCable } from '../src/workers/stages/parse/index.js';
import { esWorkOf, esWorkOfCluster, type EsWork } from './es-work.js';
import { cpuPerCable, cpuSnapshot as snapshotOf, servicePids, type CpuSnapshot } from './cpu.js';
import { generateCable, loadVocabulary } from './generate.js';

// `npm run bench -- --topology`: the cost of replicas and of TLS (bench/topology.ts, which exits when done).
if (process.argv.includes('--topology')) await import('./topology.js');
// `npm run bench -- --paragraph-shapes`: nested paragraphs against an index of their own (bench/paragraph-shapes.ts).
if (process.argv.includes('--paragraph-shapes')) await import('./paragraph-shapes.js');

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '20000' },
    workers: { type: 'string', default: '2' },
    // WORKER_CONCURRENCY of each worker process (default: the configuration's).
    concurrency: { type: 'string' },
    'trickle-rate': { type: 'string', default: '20' },
    'trickle-seconds': { type: 'string', default: '15' },
    'naive-max': { type: 'string', default: '2000' },
    // What the watcher does with indexed originals: keep (under the spool's done/) or delete.
    finished: { type: 'string', default: 'keep' },
    // Write V8 CPU profiles of the watcher and worker processes into this folder.
    'cpu-prof': { type: 'string' },
    // Old-space cap of each role process (node --max-old-space-size), as the shipped launchers set it.
    'role-heap-mb': { type: 'string', default: '160' },
    // Young-generation semi-space of each role process (node --max-semi-space-size), as the shipped
    // launchers set it (Node 20's own size; Node 24's is twice that); 0 for V8's default.
    'role-semi-mb': { type: 'string', default: '16' },
    // glibc's MALLOC_MMAP_THRESHOLD_ of each role process in bytes, as the shipped launchers set it;
    // 0 leaves glibc's own (a bound that rises to the largest buffer freed).
    'role-mmap-threshold': { type: 'string', default: '131072' },
    // Further node or V8 flags for each role process, space-separated (for experiments).
    'role-node-flags': { type: 'string', default: '' },
    // Time the pipeline and trickle only (no raw, loader or naive runs): for profiling and tuning runs.
    'skip-limits': { type: 'boolean', default: false },
    // Skip the batch-size sweep and use these (for profiling runs).
    'raw-flush-mb': { type: 'string' },
    'raw-concurrency': { type: 'string' },
    out: { type: 'string', default: join(PACKAGE_ROOT, 'bench', 'results', 'latest.json') },
    doc: { type: 'string', default: join(PACKAGE_ROOT, 'docs', 'benchmarks.md') },
  },
});
const N = Number(values.n);
const WORKERS = Number(values.workers);
const CONCURRENCY = values.concurrency !== undefined ? Number(values.concurrency) : loadConfig({}).workerConcurrency;
const FINISHED = values.finished === 'delete' ? 'delete' : 'keep';
const CLI = fileURLToPath(new URL('../src/ops/cli.js', import.meta.url));
const log = (s: string): void => void process.stderr.write(`${s}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const run = `bench-${randomUUID().slice(0, 8)}`;
const base = loadConfig();
const stack = await stackUp(base);
const es = createEsClient(stack.elasticsearch.url, { requestTimeoutMs: 120_000 });
const vocab = loadVocabulary();
const ref = loadReferenceData();

// ---- the cables: generated once, written to a staging folder beside the inbox (same file system)
const work = mkdtempSync(join(tmpdir(), 'cable-bench-'));
const staging = join(work, 'staging');
const inbox = join(work, 'inbox');
mkdirSync(staging);
mkdirSync(inbox);
log(`generating ${N} cables in ${staging}`);
// Streamed: each cable is generated, written, parsed and enriched in turn, and its document goes to
// an NDJSON file (`<_id>\t<json>` a line) that the raw and naive runs read back as they send. The
// bench holds no cable in memory, so its own heap does not grow with N (251,287 cables ran out of a
// 4 GB heap when it held them all) nor charge its garbage collection to the limits it measures.
const docsPath = join(work, 'documents.ndjson');
const docsOut = openSync(docsPath, 'w');
const ids: string[] = [];
let bytes = 0;
for (let i = 0; i < N; i++) {
  const c = generateCable(i, vocab);
  writeFileSync(join(staging, `${c.id}.txt`), c.text);
  ids.push(c.id);
  bytes += Buffer.byteLength(c.text);
  const p = parseCable(c.text, { knownTags: ref.knownTags, knownStations: ref.stations });
  if (!p.ok) throw new Error(`generated cable ${c.id} does not parse: ${p.failure.message}`);
  const doc = enrichCable(p.value, ref, {
    file: { path: c.id, sha256: '0'.repeat(64), size: c.text.length, detectedAt: new Date().toISOString() },
    charset: 'utf-8',
    ingestedAt: new Date().toISOString(),
    parserVersion: 'bench',
    text: textIdentity(c.text),
  });
  writeSync(docsOut, `${documentIdOf(doc)}\t${JSON.stringify(doc)}\n`);
  if ((i + 1) % 50_000 === 0) log(`generated ${i + 1}`);
}
closeSync(docsOut);
const mb = bytes / 1e6;

/** The first `limit` generated documents as [_id, JSON], read from disk as they are wanted. */
async function* documents(limit = N): AsyncGenerator<[string, string]> {
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(docsPath), crlfDelay: Infinity })) {
    if (n++ >= limit) return;
    const tab = line.indexOf('\t');
    yield [line.slice(0, tab), line.slice(tab + 1)];
  }
}

// ---- CPU accounting (bench/cpu.ts)
const services = servicePids();
const cpuSnapshot = (extra: Record<string, number[]> = {}): CpuSnapshot => snapshotOf({ ...services, ...extra });

const esWork = (): Promise<EsWork> => esWorkOfCluster(es);

async function freshIndex(alias: string): Promise<void> {
  // Every run's index refreshes as the pipeline's would (ELASTICSEARCH_REFRESH_INTERVAL).
  await ensureCableIndex(es, alias, { refreshInterval: loadConfig().elasticsearchRefreshInterval });
}
async function dropIndex(alias: string): Promise<void> {
  const found = Object.keys(
    await es.indices.get({ index: `${alias}-*`, allow_no_indices: true, ignore_unavailable: true }),
  );
  if (found.length > 0) await es.indices.delete({ index: found });
  for (const t of [alias, `${alias}-failures`])
    await es.indices.deleteIndexTemplate({ name: t }).catch(() => undefined);
}

// ---- raw limit: a sweep on a sample picks batch size and concurrency, then all N
async function rawRun(alias: string, limit: number, flushBytes: number, concurrency: number): Promise<number> {
  await freshIndex(alias);
  const started = performance.now();
  const stats = await es.helpers.bulk<[string, string]>({
    datasource: documents(limit),
    // The JSON goes as it was written: the raw limit serialises nothing.
    onDocument: ([id, json]) => [{ index: { _index: alias, _id: id } }, json as never],
    flushBytes,
    concurrency,
    refreshOnCompletion: alias,
  });
  const seconds = (performance.now() - started) / 1000;
  if (stats.failed > 0) throw new Error(`${stats.failed} raw documents failed`);
  await dropIndex(alias);
  return limit / seconds;
}
const sampleSize = Math.min(N, 4000);
let best = {
  flushBytes: Number(values['raw-flush-mb'] ?? 5) * 1e6,
  concurrency: Number(values['raw-concurrency'] ?? 2),
  cps: 0,
};
const SKIP = values['skip-limits'] === true;
const sweep = values['raw-flush-mb'] === undefined && !SKIP;
for (const flushBytes of sweep ? [1e6, 5e6, 10e6] : []) {
  for (const concurrency of [1, 2, 4]) {
    const cps = await rawRun(`${run}-sweep`, sampleSize, flushBytes, concurrency);
    log(`raw sweep: flushBytes ${flushBytes / 1e6} MB, concurrency ${concurrency}: ${cps.toFixed(0)} cables/s`);
    if (cps > best.cps) best = { flushBytes, concurrency, cps };
  }
}
const rawCpu0 = cpuSnapshot();
const rawEs0 = await esWork();
const rawCps = SKIP ? Number.NaN : await rawRun(`${run}-raw`, N, best.flushBytes, best.concurrency);
const rawCpu = cpuPerCable(rawCpu0, cpuSnapshot(), N);
const rawEs = esWorkOf(rawEs0, await esWork(), N);
log(`raw CPU ms per cable: ${JSON.stringify(rawCpu)}`);
log(`raw: ${rawCps.toFixed(0)} cables/s (flushBytes ${best.flushBytes / 1e6} MB, concurrency ${best.concurrency})`);

// ---- loader limit: one process reads, parses, enriches and bulk-indexes the files, no watcher, no queue
async function loaderRun(alias: string, files: string[], flushBytes: number, concurrency: number): Promise<number> {
  await freshIndex(alias);
  const started = performance.now();
  async function* documents(): AsyncGenerator<CableDocument> {
    for (const path of files) {
      const bytes = await readFile(path);
      const file = {
        path,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        size: bytes.length,
        detectedAt: new Date().toISOString(),
      };
      const doc = documentFromBytes(file, bytes, ref, loadConfig({}).maxFileBytes);
      if (!doc.ok) throw new Error(`loader: ${path}: ${doc.failure.message}`);
      yield doc.value;
    }
  }
  const stats = await es.helpers.bulk<CableDocument>({
    datasource: documents(),
    onDocument: (d) => ({ index: { _index: alias, _id: documentIdOf(d) } }),
    flushBytes,
    concurrency,
    refreshOnCompletion: alias,
  });
  const seconds = (performance.now() - started) / 1000;
  if (stats.failed > 0) throw new Error(`${stats.failed} loader documents failed`);
  await dropIndex(alias);
  return files.length / seconds;
}
let bestLoader = { flushBytes: best.flushBytes, concurrency: best.concurrency, cps: 0 };
const loaderSample = ids.slice(0, Math.min(N, 4000)).map((id) => join(staging, `${id}.txt`));
for (const flushBytes of sweep ? [1e6, 5e6] : []) {
  for (const concurrency of [1, 2, 4]) {
    const cps = await loaderRun(`${run}-lsweep`, loaderSample, flushBytes, concurrency);
    log(`loader sweep: flushBytes ${flushBytes / 1e6} MB, concurrency ${concurrency}: ${cps.toFixed(0)} cables/s`);
    if (cps > bestLoader.cps) bestLoader = { flushBytes, concurrency, cps };
  }
}
const loaderCpu0 = cpuSnapshot();
const loaderEs0 = await esWork();
const loaderCps = SKIP
  ? Number.NaN
  : await loaderRun(
      `${run}-loader`,
      ids.map((id) => join(staging, `${id}.txt`)),
      bestLoader.flushBytes,
      bestLoader.concurrency,
    );
const loaderCpu = cpuPerCable(loaderCpu0, cpuSnapshot(), N);
const loaderEs = esWorkOf(loaderEs0, await esWork(), N);
log(
  `loader: ${loaderCps.toFixed(0)} cables/s (flushBytes ${bestLoader.flushBytes / 1e6} MB, concurrency ${bestLoader.concurrency}); CPU ms per cable ${JSON.stringify(loaderCpu)}`,
);

// ---- naive baseline: one request per cable (capped: it is slow by design)
const naiveMax = SKIP ? 0 : Math.min(N, Number(values['naive-max']));
await freshIndex(`${run}-naive`);
let started = performance.now();
let naiveCount = 0;
for await (const [id, json] of documents(naiveMax)) {
  await es.transport.request(
    { method: 'PUT', path: `/${run}-naive/_doc/${encodeURIComponent(id)}`, body: json },
    { headers: { 'content-type': 'application/json' } },
  );
  naiveCount++;
}
await es.indices.refresh({ index: `${run}-naive` });
const naiveCps = naiveCount / ((performance.now() - started) / 1000);
await dropIndex(`${run}-naive`);
log(`naive: ${naiveCps.toFixed(0)} cables/s over ${naiveCount}`);

// ---- the pipeline: a watcher process and WORKERS worker processes
const alias = `${run}-pipeline`;
const prefix = run;
const env: NodeJS.ProcessEnv = {
  ...process.env,
  INBOX_DIR: inbox,
  ELASTICSEARCH_INDEX: alias,
  QUEUE_PREFIX: prefix,
  REDIS_URL: stack.redis.url,
  ELASTICSEARCH_URL: stack.elasticsearch.url,
  OPS_PORT: '0',
  LOG_LEVEL: 'warn',
  WORKER_CONCURRENCY: String(CONCURRENCY),
  SPOOL_DIR: join(work, 'spool'),
  FINISHED_FILES: FINISHED,
  // undefined drops it, so 0 means glibc's own even where the bench itself runs with one set.
  MALLOC_MMAP_THRESHOLD_: Number(values['role-mmap-threshold']) > 0 ? values['role-mmap-threshold'] : undefined,
};
const children: Array<{
  role: string;
  proc: ChildProcess;
  peakKb: number;
  lastKb: number;
  samples: Array<{ searchable: number; kb: number }>;
}> = [];
// Cables searchable so far in the pipeline run: memory samples are taken against it.
let searchableNow = 0;
async function startRole(role: 'watch' | 'work'): Promise<void> {
  const prof = values['cpu-prof']
    ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`, `--cpu-prof-name=${role}-${children.length}.cpuprofile`]
    : [];
  const heap = [
    ...(Number(values['role-heap-mb']) > 0 ? [`--max-old-space-size=${values['role-heap-mb']}`] : []),
    ...(Number(values['role-semi-mb']) > 0 ? [`--max-semi-space-size=${values['role-semi-mb']}`] : []),
    ...values['role-node-flags'].split(' ').filter(Boolean),
  ];
  const proc = spawn(process.execPath, [...heap, ...prof, CLI, role], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  for (let t = 0; !err.includes('running; inbox'); t++) {
    if (t > 600 || proc.exitCode !== null) throw new Error(`${role} did not start: ${err.slice(-500)}`);
    await sleep(100);
  }
  children.push({ role, proc, peakKb: 0, lastKb: 0, samples: [] });
}
function sampleMemory(): void {
  for (const c of children) {
    try {
      const status = readFileSync(`/proc/${c.proc.pid}/status`, 'utf8');
      c.peakKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? c.peakKb);
      c.lastKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      c.samples.push({ searchable: searchableNow, kb: c.lastKb });
    } catch {
      // the process has gone
    }
  }
}
// Redis's used memory, the whole server's (the high-water mark is there to keep it bounded).
const redisInfo = new Redis(stack.redis.url, { maxRetriesPerRequest: null });
let redisPeakBytes = 0;
async function sampleRedis(): Promise<void> {
  const info = await redisInfo.info('memory').catch(() => '');
  redisPeakBytes = Math.max(redisPeakBytes, Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0));
}
const redisBaseline = Number(/used_memory:(\d+)/.exec(await redisInfo.info('memory'))?.[1] ?? 0);
for (let w = 0; w < WORKERS; w++) await startRole('work');
await startRole('watch');
const memTimer = setInterval(() => {
  sampleMemory();
  void sampleRedis();
}, 1000);

const count = async (): Promise<number> => (await es.count({ index: alias })).count;
const rolePids = (): Record<string, number[]> => ({
  workers: children.filter((c) => c.role === 'work').map((c) => c.proc.pid!),
  watcher: children.filter((c) => c.role === 'watch').map((c) => c.proc.pid!),
});
const pipeCpu0 = cpuSnapshot(rolePids());
const pipeEs0 = await esWork();
started = performance.now();
for (const id of ids) renameSync(join(staging, `${id}.txt`), join(inbox, `${id}.txt`));
const dropSeconds = (performance.now() - started) / 1000;
// At least 15 minutes, and as long as 100 cables a second would take (the whole archive is 251,287).
const deadlineMinutes = Math.max(15, Math.ceil(N / 100 / 60));
const deadline = Date.now() + deadlineMinutes * 60_000;
/** Cables searchable as the backfill went: every second, to show the throughput over time. */
const timeline: Array<{ s: number; searchable: number }> = [];
let nextSample = 0;
for (;;) {
  const c = await count().catch(() => searchableNow);
  searchableNow = c;
  const s = (performance.now() - started) / 1000;
  if (s >= nextSample || c >= N) {
    timeline.push({ s: Math.round(s * 10) / 10, searchable: c });
    nextSample += 1;
  }
  if (c >= N) break;
  if (Date.now() > deadline) throw new Error(`pipeline: only ${c} of ${N} searchable after ${deadlineMinutes} minutes`);
  await sleep(200);
}
const pipelineSeconds = (performance.now() - started) / 1000;
const pipelineCps = N / pipelineSeconds;
const pipelineCpu = cpuPerCable(pipeCpu0, cpuSnapshot(rolePids()), N);
const pipelineEs = esWorkOf(pipeEs0, await esWork(), N);
/**
 * RSS (largest of the role's processes) when 10%, 25%, 50%, 75% and 100% of the backfill was
 * searchable: flat or growing.
 */
function rssByProgressOf(role: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const share of [0.1, 0.25, 0.5, 0.75, 1]) {
    const at = Math.max(
      0,
      ...children
        .filter((c) => c.role === role)
        .map((c) => c.samples.filter((x) => x.searchable <= share * N).at(-1)?.kb ?? 0),
    );
    out[`${Math.round(share * 100)}%`] = Math.round(at / 1024);
  }
  return out;
}
const rssByProgress = rssByProgressOf('work');
const watcherRssByProgress = rssByProgressOf('watch');
log(
  `RSS (MB) by share of the backfill searchable: workers ${JSON.stringify(rssByProgress)}, watcher ${JSON.stringify(watcherRssByProgress)}`,
);
log(`pipeline CPU ms per cable: ${JSON.stringify(pipelineCpu)}`);
log(
  `pipeline: ${pipelineCps.toFixed(0)} cables/s (${N} in ${pipelineSeconds.toFixed(1)} s; files renamed in within ${dropSeconds.toFixed(1)} s)`,
);

// ---- trickle: a steady rate, latency from drop to searchable per cable
const rate = Number(values['trickle-rate']);
const trickleN = rate * Number(values['trickle-seconds']);
const dropped = new Map<string, number>();
const seen = new Map<string, number>();
// The split below is on the wall clock, the one a worker's `ingest.ingested_at` is read from:
// performance.timeOrigin plus performance.now() is a monotonic clock that drifts from it over a
// long process (some 30 ms by the trickle of one 40k run).
const wall = { dropped: new Map<string, number>(), taken: new Map<string, number>(), seen: new Map<string, number>() };
const trickleCables = Array.from({ length: trickleN }, (_, k) => generateCable(N + k, vocab));
const written = new Map<string, number>();
for (const c of trickleCables) {
  writeFileSync(join(staging, `${c.id}.txt`), c.text);
  written.set(c.id, performance.now());
}
let polling = true;
const poller = (async () => {
  while (polling || seen.size < dropped.size) {
    const pending = [...dropped.keys()].filter((id) => !seen.has(id));
    if (pending.length > 0) {
      const r = await es.search<{ cable_id: string; ingest?: { ingested_at?: string } }>({
        index: alias,
        size: pending.length,
        _source: ['cable_id', 'ingest.ingested_at'],
        query: { terms: { cable_id: pending } },
      });
      const now = performance.now();
      for (const h of r.hits.hits) {
        const id = h._source?.cable_id;
        if (id === undefined || seen.has(id)) continue;
        seen.set(id, now);
        wall.seen.set(id, Date.now());
        // When a worker began the cable.
        const at = Date.parse(h._source?.ingest?.ingested_at ?? '');
        if (Number.isFinite(at)) wall.taken.set(id, at);
      }
    }
    if (!polling && seen.size >= dropped.size) break;
    await sleep(20);
  }
})();
// The index's refreshes over the trickle: a cable is searchable at the end of the first refresh
// begun after its write, so a refresh's own duration adds to the wait as well as the interval.
const refreshStats = async (): Promise<{ total: number; ms: number }> => {
  const r = await es.indices.stats({ index: alias, metric: 'refresh' });
  const refresh = r._all.primaries?.refresh;
  return { total: refresh?.total ?? 0, ms: refresh?.total_time_in_millis ?? 0 };
};
const refreshBefore = await refreshStats();
const t0 = performance.now();
for (let k = 0; k < trickleN; k++) {
  const due = t0 + (k * 1000) / rate;
  const wait = due - performance.now();
  if (wait > 0) await sleep(wait);
  const c = trickleCables[k]!;
  renameSync(join(staging, `${c.id}.txt`), join(inbox, `${c.id}.txt`));
  dropped.set(c.id, performance.now());
  wall.dropped.set(c.id, Date.now());
}
polling = false;
await Promise.race([poller, sleep(60_000)]);
const trickleMs = performance.now() - t0;
const refreshAfter = await refreshStats();
const trickleRefresh = {
  refreshes: refreshAfter.total - refreshBefore.total,
  per_s: Math.round(((refreshAfter.total - refreshBefore.total) / trickleMs) * 1000 * 10) / 10,
  mean_ms: Math.round((refreshAfter.ms - refreshBefore.ms) / Math.max(1, refreshAfter.total - refreshBefore.total)),
};
/** p50, p95, p99 and the largest of the finite values, in whole ms. */
function percentiles(values: number[]): { p50: number; p95: number; p99: number; max: number } {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  const at = (p: number): number =>
    Math.round(v[Math.min(v.length - 1, Math.floor((p / 100) * v.length))] ?? Number.NaN);
  return { p50: at(50), p95: at(95), p99: at(99), max: Math.round(v[v.length - 1] ?? Number.NaN) };
}
const dropToSearchable = [...dropped.entries()].map(([id, t]) => (seen.get(id) ?? Number.NaN) - t);
const trickle = percentiles(dropToSearchable);
log(
  `trickle: ${trickleN} at ${rate}/s: p50 ${trickle.p50} ms, p95 ${trickle.p95} ms, p99 ${trickle.p99} ms (${dropToSearchable.filter(Number.isFinite).length} seen)`,
);
// Where a cable's latency goes, split where a worker took it: the intake before (the watcher's
// notice, claim, read and enqueue, BullMQ's hand-over) and the rest after (parse, the bulk
// writer's flush, the write, the wait for the index's refresh). A file renamed in before
// WATCH_STABILITY_MS had passed since it was written waits in the intake until then, as a file
// still being written would: the first few of the trickle, written together just before it.
const stabilityMs = loadConfig().watchStabilityMs;
const freshAtDrop = [...dropped.entries()].filter(([id, t]) => t - (written.get(id) ?? 0) < stabilityMs).length;
const trickleSplit = {
  fresh_at_drop: freshAtDrop,
  intake: percentiles([...wall.dropped.entries()].map(([id, t]) => (wall.taken.get(id) ?? Number.NaN) - t)),
  to_searchable: percentiles([...wall.taken.entries()].map(([id, t]) => (wall.seen.get(id) ?? Number.NaN) - t)),
};
log(`trickle split: ${JSON.stringify(trickleSplit)}; refreshes: ${JSON.stringify(trickleRefresh)}`);

clearInterval(memTimer);
sampleMemory();
await sampleRedis();
redisInfo.disconnect();
// What the watcher left behind: with `keep`, the originals under done/; the claimed area empty.
const leftClaimed = readdirSync(join(work, 'spool', 'claimed')).length;
log(`spool after the run: ${leftClaimed} batch folder(s) still claimed`);
for (const c of children) c.proc.kill('SIGTERM');
await Promise.all(
  children.map((c) => new Promise((r) => (c.proc.exitCode !== null ? r(null) : c.proc.once('exit', r)))),
);

// ---- clean up the run's indices, queues and files
await dropIndex(alias);
const redis = new Redis(stack.redis.url, { maxRetriesPerRequest: null });
for (const q of [QUEUE.cables, QUEUE.deadLetter]) {
  const queue = new Queue(q, { connection: redis, prefix });
  await queue.obliterate({ force: true });
  await queue.close();
}
redis.disconnect();
await es.close();
rmSync(work, { recursive: true, force: true });

// ---- results
const worker = children.filter((c) => c.role === 'work');
const watcher = children.find((c) => c.role === 'watch')!;
const mbOf = (kb: number): number => Math.round(kb / 1024);
const jdk = findJdks()[0];
const results = {
  n: N,
  mb: Math.round(mb * 10) / 10,
  raw_cps: Math.round(rawCps),
  raw_mbps: Math.round((rawCps * mb * 10) / N) / 10,
  raw_best: { flush_bytes: best.flushBytes, concurrency: best.concurrency },
  pipeline_cps: Math.round(pipelineCps),
  pipeline_mbps: Math.round((pipelineCps * mb * 10) / N) / 10,
  naive_cps: Math.round(naiveCps),
  naive_mbps: Math.round((naiveCps * mb * 10) / N) / 10,
  loader_cps: Math.round(loaderCps),
  loader_best: { flush_bytes: bestLoader.flushBytes, concurrency: bestLoader.concurrency },
  efficiency: Math.round((pipelineCps / loaderCps) * 100) / 100,
  efficiency_vs_raw: Math.round((pipelineCps / rawCps) * 100) / 100,
  refresh_interval: loadConfig().elasticsearchRefreshInterval,
  trickle_rate_per_s: rate,
  trickle_n: trickleN,
  trickle_p50_ms: trickle.p50,
  trickle_p95_ms: trickle.p95,
  trickle_p99_ms: trickle.p99,
  trickle_split: trickleSplit,
  trickle_refresh: trickleRefresh,
  worker_processes: WORKERS,
  role_heap_mb: Number(values['role-heap-mb']),
  role_semi_mb: Number(values['role-semi-mb']),
  role_mmap_threshold: Number(values['role-mmap-threshold']),
  worker_concurrency: CONCURRENCY,
  finished_files: FINISHED,
  redis_peak_used_memory_mb: Math.round(redisPeakBytes / 2 ** 20),
  redis_baseline_used_memory_mb: Math.round(redisBaseline / 2 ** 20),
  spool_claimed_left: leftClaimed,
  worker_peak_rss_mb: Math.max(...worker.map((w) => mbOf(w.peakKb))),
  worker_end_rss_mb: Math.max(...worker.map((w) => mbOf(w.lastKb))),
  worker_rss_mb_by_progress: rssByProgress,
  watcher_peak_rss_mb: mbOf(watcher.peakKb),
  watcher_rss_mb_by_progress: watcherRssByProgress,
  cpu_ms_per_cable: { raw: rawCpu, loader: loaderCpu, pipeline: pipelineCpu },
  es_work: { raw: rawEs, loader: loaderEs, pipeline: pipelineEs },
  pipeline_seconds: Math.round(pipelineSeconds * 10) / 10,
  searchable_timeline: timeline,
  machine: {
    cpus: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memory_gb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    elasticsearch: ES_VERSION,
    jdk: jdk ? `Java ${jdk.major}` : 'unknown',
  },
  at: new Date().toISOString(),
};
mkdirSync(join(PACKAGE_ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(values.out!, `${JSON.stringify(results, null, 2)}\n`);
const table = [
  `| run | cables/s | MB/s |`,
  `| --- | ---: | ---: |`,
  `| raw limit (bulk helper, ${best.flushBytes / 1e6} MB batches, concurrency ${best.concurrency}) | ${results.raw_cps} | ${results.raw_mbps} |`,
  `| loader limit (one process: read, parse, enrich, bulk helper at ${bestLoader.flushBytes / 1e6} MB, concurrency ${bestLoader.concurrency}; no watcher, no queue) | ${results.loader_cps} | ${Math.round((loaderCps * mb * 10) / N) / 10} |`,
  `| pipeline (inbox -> watcher claims into the spool -> BullMQ -> ${WORKERS} worker process(es) x ${CONCURRENCY} -> _bulk; originals ${FINISHED === 'keep' ? 'kept' : 'deleted'}) | ${results.pipeline_cps} | ${results.pipeline_mbps} |`,
  `| naive (one index request per cable, ${naiveCount} cables) | ${results.naive_cps} | ${results.naive_mbps} |`,
].join('\n');
/** The command line as given, less where the results were written. */
function benchArgs(): string {
  const out: string[] = [];
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--out' || args[i] === '--doc') i++;
    else if (!/^--(?:out|doc)=/.test(args[i]!)) out.push(args[i]!);
  }
  return out.join(' ');
}
const procs = ['elasticsearch', 'redis', 'watcher', 'workers', 'bench'];
const cpuTotal = (r: Record<string, number>): number =>
  Math.round(procs.reduce((a, k) => a + (r[k] ?? 0), 0) * 100) / 100;
const cpuTable = [
  `| CPU ms per cable | ${procs.join(' | ')} | total |`,
  `| --- | ${procs.map(() => '---:').join(' | ')} | ---: |`,
  `| raw limit | ${procs.map((k) => rawCpu[k] ?? '-').join(' | ')} | ${cpuTotal(rawCpu)} |`,
  `| loader limit | ${procs.map((k) => loaderCpu[k] ?? '-').join(' | ')} | ${cpuTotal(loaderCpu)} |`,
  `| pipeline | ${procs.map((k) => pipelineCpu[k] ?? '-').join(' | ')} | ${cpuTotal(pipelineCpu)} |`,
].join('\n');
/** Throughput in each tenth of the backfill's time, from the searchable counts sampled every second. */
function throughputByTenth(): string {
  const rows: string[] = [];
  let prev = { s: 0, searchable: 0 };
  for (let k = 1; k <= 10; k++) {
    const until = (pipelineSeconds * k) / 10;
    const at = timeline.filter((x) => x.s <= until + 0.1).at(-1) ?? prev;
    const dt = at.s - prev.s;
    rows.push(
      `| ${prev.s.toFixed(0)}-${at.s.toFixed(0)} s | ${at.searchable} (${((100 * at.searchable) / N).toFixed(0)}%) | ${dt > 0 ? Math.round((at.searchable - prev.searchable) / dt) : '-'} |`,
    );
    prev = at;
  }
  return ['| time since the drop | searchable at its end | cables/s in it |', '| --- | ---: | ---: |', ...rows].join(
    '\n',
  );
}
const resultsLink = relative(join(PACKAGE_ROOT, 'docs'), values.out!);
const esRow = (name: string, w: Record<string, number>): string =>
  `| ${name} | ${w['index_ms_per_cable']} | ${w['bulk_requests']} | ${w['bulk_mean_kb']} | ${w['gets']} | ${w['searches']} | ${w['refreshes']} |`;
const esTable = [
  '| run | indexing ms per cable | bulk requests (shard-level) | mean bulk KB | real-time gets | searches | refreshes |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  esRow('raw limit', rawEs),
  esRow('loader limit', loaderEs),
  esRow('pipeline', pipelineEs),
].join('\n');
const md = `# Benchmarks

Measured by \`npm run bench -- ${benchArgs() || `--n ${N}`}\` (bench/run.ts) on ${results.machine.cpus} cores (${results.machine.cpu}), ${results.machine.memory_gb} GB, ${results.machine.node}, Elasticsearch ${ES_VERSION} on ${results.machine.jdk} (single local node, 1 GB heap), Redis and Elasticsearch on the same machine, at ${results.at}.

${N} generated cables (bench/generate.ts: real structure and reference tables; ${results.mb} MB, median about 7 KB, p90 about 16 KB).

${table}

- Pipeline efficiency (pipeline / loader limit, same run): **${results.efficiency}** (pipeline / raw limit: ${results.efficiency_vs_raw}).
- Redis peak used memory (the whole server, sampled each second through the backfill and the trickle): **${results.redis_peak_used_memory_mb} MB** (${results.redis_baseline_used_memory_mb} MB before the run).
- Drop-to-searchable at a steady ${rate} files/s (${trickleN} files): p50 ${results.trickle_p50_ms} ms, p95 ${results.trickle_p95_ms} ms, p99 ${results.trickle_p99_ms} ms (includes the stability check: a file passes at its first look once ${loadConfig().watchStabilityMs} ms have gone since it was last written, and waits for that otherwise; and the refresh interval, ${loadConfig().elasticsearchRefreshInterval}).
  - Split at the moment a worker took each cable (its \`ingest.ingested_at\`): drop to taken p50 ${trickleSplit.intake.p50} / p95 ${trickleSplit.intake.p95} / p99 ${trickleSplit.intake.p99} / max ${trickleSplit.intake.max} ms; taken to searchable p50 ${trickleSplit.to_searchable.p50} / p95 ${trickleSplit.to_searchable.p95} / p99 ${trickleSplit.to_searchable.p99} / max ${trickleSplit.to_searchable.max} ms. ${freshAtDrop} of the ${trickleN} files were renamed in less than ${stabilityMs} ms after they were written (the first of the trickle: they are written together just before it) and waited for the stability check. The index refreshed ${trickleRefresh.refreshes} times (${trickleRefresh.per_s} a second), ${trickleRefresh.mean_ms} ms each on average.
- Peak memory: worker ${results.worker_peak_rss_mb} MB (at the end ${results.worker_end_rss_mb} MB), watcher ${results.watcher_peak_rss_mb} MB.
- RSS as the backfill went (share searchable: MB): workers ${Object.entries(rssByProgress)
  .map(([k, v]) => `${k}: ${v}`)
  .join(', ')}; watcher ${Object.entries(watcherRssByProgress)
  .map(([k, v]) => `${k}: ${v}`)
  .join(', ')}.

Where the two cores went (CPU time per cable of each process during the run, from /proc):

${cpuTable}

What Elasticsearch did in each run (\`_nodes/stats\`, the difference across the run; the count of
the pipeline's searches includes the bench's own, which polls the count):

${esTable}

All runs are CPU-bound on the same two cores, so their throughputs stand roughly in the inverse
ratio of their CPU per cable: the pipeline spends ${cpuTotal(pipelineCpu)} ms per cable where the loader limit spends ${cpuTotal(loaderCpu)}
(the raw limit ${cpuTotal(rawCpu)}). The loader does the pipeline's own work (read, parse, validate, enrich,
serialise, bulk) with no watcher, no claim, no queue: what is left between the two is the price of
the intake and of Redis.
Raw results: [${relative(PACKAGE_ROOT, values.out!)}](${resultsLink}).

The backfill as it went (searchable counted every second; ${N} cables in ${results.pipeline_seconds} s):

${throughputByTenth()}

What a production topology costs (one replica against none on a three-node cluster, HTTPS against
HTTP on a secured node): \`npm run bench -- --topology\`, in [benchmarks-topology.md](benchmarks-topology.md).
`;
writeFileSync(values.doc!, md);
process.stdout.write(
  `${table}\nefficiency ${results.efficiency}; trickle p50/p95/p99 ${results.trickle_p50_ms}/${results.trickle_p95_ms}/${results.trickle_p99_ms} ms; worker peak ${results.worker_peak_rss_mb} MB\nwrote ${values.out} and ${values.doc}\n`,
);
