/** CPU accounting for the benchmarks: where the cores go, per process (/proc/<pid>/stat utime+stime). */
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS = 100;

export function cpuSecondsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

export function pidsOf(match: (cmdline: string) => boolean): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (match(readFileSync(`/proc/${d}/cmdline`, 'utf8'))) out.push(Number(d));
    } catch {
      // gone
    }
  }
  return out;
}

/** The local services' processes (every Elasticsearch node and Redis server on the machine). */
export function servicePids(): { elasticsearch: number[]; redis: number[] } {
  return {
    elasticsearch: pidsOf((c) => c.includes('org.elasticsearch.bootstrap.Elasticsearch')),
    redis: pidsOf((c) => c.startsWith('redis-server') || c.includes('/redis-server')),
  };
}

export type CpuSnapshot = Record<string, number>;

/** CPU seconds so far of this process (`bench`) and of each named group of processes. */
export function cpuSnapshot(groups: Record<string, number[]>): CpuSnapshot {
  const own = process.cpuUsage();
  const snap: CpuSnapshot = { bench: own.user / 1e6 + own.system / 1e6 };
  for (const [name, pids] of Object.entries(groups)) snap[name] = pids.reduce((sum, pid) => sum + cpuSecondsOf(pid), 0);
  return snap;
}

/** CPU milliseconds per cable, per process group, between two snapshots. */
export function cpuPerCable(a: CpuSnapshot, b: CpuSnapshot, cables: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(b)) out[k] = Math.round(((b[k]! - (a[k] ?? 0)) * 1000 * 100) / cables) / 100;
  return out;
}
