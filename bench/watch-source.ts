/**
 * Why the watcher's event source is `fs.watch` and not chokidar (issue #12): the inbox holds a
 * backlog while backpressure stops claiming, and every claim renames a file out of it. This
 * measures one event source over such an inbox: N files waiting, 50 claimed out every 100 ms for
 * 10 s (500/s), CPU seconds and RSS of this process.
 *   npm run bench:watch-source -- --n 50000
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, watch as fsWatch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { watch } from 'chokidar';

const { values } = parseArgs({ options: { n: { type: 'string', default: '50000' } } });
const N = Number(values.n);

async function measure(source: 'chokidar' | 'fs.watch'): Promise<Record<string, number | string>> {
  const root = mkdtempSync(join(tmpdir(), 'watch-source-'));
  const inbox = join(root, 'inbox');
  const spool = join(root, 'spool');
  mkdirSync(inbox);
  mkdirSync(spool);
  for (let i = 0; i < N; i++) writeFileSync(join(inbox, `f${i}.txt`), 'x'.repeat(100));
  let events = 0;
  const started = performance.now();
  let close: () => Promise<void>;
  if (source === 'chokidar') {
    const w = watch(inbox, { ignoreInitial: false });
    w.on('all', () => events++);
    await new Promise<void>((r) => w.once('ready', () => r()));
    close = () => w.close();
  } else {
    const w = fsWatch(inbox, () => events++);
    close = async () => w.close();
  }
  const readyMs = performance.now() - started;
  const cpu0 = process.cpuUsage();
  for (let k = 0; k < 100; k++) {
    for (let j = 0; j < 50; j++) renameSync(join(inbox, `f${k * 50 + j}.txt`), join(spool, `f${k * 50 + j}.txt`));
    await new Promise((r) => setTimeout(r, 100));
  }
  const cpu = process.cpuUsage(cpu0);
  const rssMb = Math.round(process.memoryUsage().rss / 2 ** 20);
  await close();
  rmSync(root, { recursive: true, force: true });
  return {
    source,
    files_waiting: N,
    ready_ms: Math.round(readyMs),
    cpu_s_over_10s: Math.round((cpu.user + cpu.system) / 1e4) / 100,
    rss_mb: rssMb,
    events,
  };
}

// fs.watch first: chokidar's state would otherwise inflate the RSS read for it.
for (const s of ['fs.watch', 'chokidar'] as const) process.stdout.write(`${JSON.stringify(await measure(s))}\n`);
