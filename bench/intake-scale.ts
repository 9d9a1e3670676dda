/**
 * The watcher's cost per file against the size of the backlog in its inbox (issue #30: 0.28 ms of
 * CPU per cable at 40,000, 0.62 at the 251,287 of the archive). The real watcher process on the real
 * Redis and BullMQ, with N files renamed into its inbox at once; the jobs are taken by a BullMQ
 * worker in this process that reports every file indexed without parsing or indexing it, so the
 * watcher is the only busy process and its CPU is read from /proc in each tenth of the drain.
 *   npm run bench:intake-scale -- --n 20000,100000 [--consume-rate 400]
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/shared/config.js';
import { CableBatchJob, type BatchOutcomes } from '../src/shared/job-data.js';
import { QUEUE } from '../src/shared/queues.js';
import { stackUp } from '../tools/stack/index.js';
import { cpuSecondsOf } from './cpu.js';
import { generateCable, loadVocabulary } from './generate.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '20000,100000' },
    finished: { type: 'string', default: 'keep' },
    // Files per second the stand-in workers take (0: as fast as they can); the real pipeline drains
    // a backlog at 400-500 a second, so the watcher's backlog lives that long.
    'consume-rate': { type: 'string', default: '0' },
    // The watcher's node flags (the shipped launchers cap its old space at 160 MB).
    'node-flags': { type: 'string', default: '--max-old-space-size=160' },
    // Write a V8 CPU profile of the watcher into this folder (bench/profile-summary.ts reads it).
    'cpu-prof': { type: 'string' },
  },
});
const CLI = fileURLToPath(new URL('../src/ops/cli.js', import.meta.url));
const log = (s: string): void => void process.stderr.write(`${s}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const stack = await stackUp(loadConfig());
const vocab = loadVocabulary();

async function measure(n: number): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'intake-scale-'));
  const staging = join(work, 'staging');
  const inbox = join(work, 'inbox');
  mkdirSync(staging);
  mkdirSync(inbox);
  // Real cables (their sizes and names), generated once and renamed in as writers should.
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = generateCable(i, vocab);
    writeFileSync(join(staging, `${c.id}.txt`), c.text);
    names.push(`${c.id}.txt`);
  }
  const prefix = `intake-${n}-${Date.now()}`;
  const redis = new Redis(stack.redis.url, { maxRetriesPerRequest: null });
  let filesDone = 0;
  let jobsDone = 0;
  const rate = Number(values['consume-rate']);
  let nextFree = 0;
  const worker = new Worker(
    QUEUE.cables,
    async (job): Promise<BatchOutcomes> => {
      const data = CableBatchJob.parse(job.data);
      if (rate > 0) {
        nextFree = Math.max(performance.now(), nextFree) + (data.files.length * 1000) / rate;
        await sleep(nextFree - performance.now());
      }
      filesDone += data.files.length;
      jobsDone++;
      return {
        outcomes: Object.fromEntries(data.files.map((f) => [f.name, { outcome: 'indexed', cableId: f.name }])),
      };
    },
    { connection: redis, prefix, concurrency: 16 },
  );
  const prof = values['cpu-prof']
    ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`, `--cpu-prof-name=watch-${n}.cpuprofile`]
    : [];
  const proc = spawn(process.execPath, [...values['node-flags'].split(' ').filter(Boolean), ...prof, CLI, 'watch'], {
    env: {
      ...process.env,
      INBOX_DIR: inbox,
      SPOOL_DIR: join(work, 'spool'),
      QUEUE_PREFIX: prefix,
      REDIS_URL: stack.redis.url,
      ELASTICSEARCH_URL: stack.elasticsearch.url,
      OPS_PORT: '0',
      LOG_LEVEL: 'warn',
      FINISHED_FILES: values.finished === 'delete' ? 'delete' : 'keep',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  while (!err.includes('running; inbox')) {
    if (proc.exitCode !== null) throw new Error(`the watcher did not start: ${err.slice(-500)}`);
    await sleep(100);
  }
  const pid = proc.pid!;
  // The watcher's own account of its memory (prom-client's default metrics on its ops port).
  const ops = /ops (http:\/\/[^ ]+)/.exec(err)?.[1];
  const heapOf = async (): Promise<{ heap: number; external: number }> => {
    const text = ops ? await (await fetch(`${ops}/metrics`)).text() : '';
    const mb = (name: string): number =>
      Math.round(Number(new RegExp(`^cable_ingest_${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0) / 2 ** 20);
    return { heap: mb('nodejs_heap_size_used_bytes'), external: mb('nodejs_external_memory_bytes') };
  };
  const rss = (): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  const cpu0 = cpuSecondsOf(pid);
  const t0 = performance.now();
  for (const name of names) renameSync(join(staging, name), join(inbox, name));
  const renamed = performance.now() - t0;
  // Finished: every file through the queue, and the spool's claimed area empty again.
  const claimed = join(work, 'spool', 'claimed');
  const tenths: Array<{ cpu: number; at: number; rss: number; jobs: number; heap: number; external: number }> = [];
  let peakRss = 0;
  while (filesDone < n || readdirSync(claimed).length > 0) {
    if (performance.now() - t0 > 30 * 60_000) throw new Error(`not drained in 30 min (${filesDone} of ${n})`);
    await sleep(200);
    const r = rss();
    peakRss = Math.max(peakRss, r);
    while (tenths.length < 10 && filesDone >= ((tenths.length + 1) * n) / 10)
      tenths.push({ cpu: cpuSecondsOf(pid), at: performance.now(), rss: r, jobs: jobsDone, ...(await heapOf()) });
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuSecondsOf(pid) - cpu0;
  const perTenth = tenths.map((t, i) => {
    const before = i === 0 ? cpu0 : tenths[i - 1]!.cpu;
    return ((t.cpu - before) * 1000) / (n / 10);
  });
  // Files per job in each tenth: the batches the watcher made as the backlog drained.
  const perJob = tenths.map((t, i) => n / 10 / Math.max(1, t.jobs - (i === 0 ? 0 : tenths[i - 1]!.jobs)));
  log(
    `n ${n}: drained in ${seconds.toFixed(1)} s (${Math.round(n / seconds)} files/s; renamed in within ${(renamed / 1000).toFixed(1)} s); ` +
      `watcher CPU ${((cpu * 1000) / n).toFixed(3)} ms per file, by tenth ${perTenth.map((x) => x.toFixed(2)).join(' ')}; ` +
      `files per job by tenth ${perJob.map((x) => x.toFixed(1)).join(' ')}; ` +
      `RSS by tenth ${tenths.map((t) => Math.round(t.rss / 1024)).join(' ')} MB, peak ${Math.round(peakRss / 1024)} MB; ` +
      `heap used ${tenths.map((t) => t.heap).join(' ')} MB, external ${tenths.map((t) => t.external).join(' ')} MB`,
  );
  proc.kill('SIGTERM');
  await new Promise((r) => (proc.exitCode !== null ? r(null) : proc.once('exit', r)));
  await worker.close();
  const queue = new Queue(QUEUE.cables, { connection: redis, prefix });
  await queue.obliterate({ force: true });
  await queue.close();
  redis.disconnect();
  rmSync(work, { recursive: true, force: true });
}

for (const n of values.n.split(',').map(Number)) await measure(n);
