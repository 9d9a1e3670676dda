/**
 * Where a process's CPU went, from V8 CPU profiles (`npm run bench -- --cpu-prof DIR` writes one
 * per watcher and worker process): self time summed by where the code lives (our modules by file,
 * each library as one, Node's internals, garbage collection) and by function, as shares of the
 * busy time (idle left out).
 *   node dist/bench/profile-summary.js DIR [--top 25]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The place a frame's code lives: one of our files, a library, Node itself, or V8's own work. */
export function placeOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : `(native) ${functionName || 'anonymous'}`;
  const lib = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (lib) return lib[1]!;
  const ours = /\/dist\/((?:src|bench|tools)\/.*)\.js$/.exec(url);
  if (ours) return ours[1]!;
  if (url.startsWith('node:')) return url.replace(/^node:internal\/(.*?)(\/.*)?$/, 'node:$1');
  return url;
}

export interface Summary {
  busyMs: number;
  byPlace: Array<[string, number]>;
  byFunction: Array<[string, number]>;
}

export function summarise(profiles: Profile[]): Summary {
  const place = new Map<string, number>();
  const fn = new Map<string, number>();
  let busy = 0;
  for (const p of profiles) {
    const nodes = new Map(p.nodes.map((n) => [n.id, n]));
    p.samples.forEach((id, i) => {
      const n = nodes.get(id)!;
      const { url, functionName, lineNumber } = n.callFrame;
      if (functionName === '(idle)') return;
      const us = p.timeDeltas[i] ?? 0;
      busy += us;
      const where = placeOf(url, functionName);
      place.set(where, (place.get(where) ?? 0) + us);
      const f = `${functionName || '(anonymous)'} ${where}${url ? `:${lineNumber + 1}` : ''}`;
      fn.set(f, (fn.get(f) ?? 0) + us);
    });
  }
  const sorted = (m: Map<string, number>): Array<[string, number]> => [...m.entries()].sort((a, b) => b[1] - a[1]);
  return { busyMs: busy / 1000, byPlace: sorted(place), byFunction: sorted(fn) };
}

export function formatSummary(title: string, s: Summary, top: number): string {
  const share = (us: number): string => `${((100 * us) / (s.busyMs * 1000)).toFixed(1)}%`;
  return [
    `${title}: ${(s.busyMs / 1000).toFixed(1)} s busy`,
    '  by place:',
    ...s.byPlace.slice(0, top).map(([k, v]) => `    ${share(v).padStart(6)}  ${k}`),
    '  by function (self time):',
    ...s.byFunction.slice(0, top).map(([k, v]) => `    ${share(v).padStart(6)}  ${k}`),
  ].join('\n');
}

if (process.argv[1]?.endsWith('profile-summary.js')) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '25' } },
  });
  const dir = positionals[0];
  if (!dir) throw new Error('usage: profile-summary.js DIR [--top N]');
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  for (const role of ['watch', 'work']) {
    const mine = files.filter((f) => f.startsWith(`${role}-`));
    if (mine.length === 0) continue;
    const profiles = mine.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Profile);
    const title = `${role === 'watch' ? 'watcher' : 'workers'} (${mine.length} profile(s))`;
    process.stdout.write(`${formatSummary(title, summarise(profiles), Number(values.top))}\n\n`);
  }
}
