/**
 * Loaded into each role process by the pipeline bench, to count its garbage collections:
 *   npm run bench -- --n 20000 --skip-limits --role-node-flags=--import=./dist/bench/gc-observer.js
 * Every 2 s it appends one JSON line to $TMPDIR/gc-observer-<pid>.log: the process's CPU so far
 * (ms), heap in use, external memory, RSS and the size of each of V8's heap spaces (MB), and the
 * count and time of each kind of collection so far (major, minor, incremental marking).
 */
import { appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';

const kinds: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak',
};
const gc: Record<string, { n: number; ms: number }> = {};
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = kinds[(e as unknown as { detail: { kind: number } }).detail.kind] ?? 'other';
    const k = (gc[kind] ??= { n: 0, ms: 0 });
    k.n++;
    k.ms += e.duration;
  }
}).observe({ entryTypes: ['gc'] });

const file = join(tmpdir(), `gc-observer-${process.pid}.log`);
setInterval(() => {
  const mem = process.memoryUsage();
  const cpu = process.cpuUsage();
  const line = {
    t: Date.now(),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    heapUsedMb: getHeapStatistics().used_heap_size >> 20,
    externalMb: mem.external >> 20,
    rssMb: mem.rss >> 20,
    heapTotalMb: mem.heapTotal >> 20,
    arrayBuffersMb: mem.arrayBuffers >> 20,
    // What each of V8's spaces holds from the system (MB): which one grows when RSS does.
    spacesMb: Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, s.space_size >> 20])),
    gc,
  };
  appendFileSync(file, `${JSON.stringify(line)}\n`);
}, 2000).unref();
