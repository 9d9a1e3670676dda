import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PACKAGE_ROOT } from '../helpers/paths.js';

/**
 * The node flags each shipped launcher gives the roles bound V8's heap as README "Memory" says: the
 * old generation at the cap, the young generation at 2 x 16 MB. Node 24's own young generation is
 * 2 x 32 MB, and under a 160 MB cap its target size left V8 no room below the limit, so the roles
 * marked their heap back to back (a worker 324 major collections in a 20k run against 25, twice
 * the CPU per cable: docs/benchmarks.md). Each flag set is tried on this Node: a process churns
 * short-lived objects and reports how large V8 let its young generation grow.
 */
const CHURN = `
const v8 = require('node:v8');
let keep = [], young = 0;
for (let i = 0; i < 1_500_000; i++) {
  keep.push({ a: 'x' + i, b: [i, i + 1] });
  if (keep.length > 20_000) keep = [];
  if (i % 5_000 === 0) young = Math.max(young, v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size);
}
console.log(JSON.stringify({ youngMb: young / 2 ** 20, limitMb: v8.getHeapStatistics().heap_size_limit / 2 ** 20 }));
`;

function heapOf(flags: string[], via: 'argv' | 'NODE_OPTIONS'): { youngMb: number; limitMb: number } {
  const r = spawnSync(process.execPath, [...(via === 'argv' ? flags : []), '-e', CHURN], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'], ...(via === 'NODE_OPTIONS' ? { NODE_OPTIONS: flags.join(' ') } : {}) },
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { youngMb: number; limitMb: number };
}

/**
 * glibc's malloc serves a buffer from its brk heap below a bound and from a mapping of its own
 * above it. Left to itself it raises the bound to the size of the largest mapped buffer freed, up to
 * 32 MB; a worker frees bulk bodies of megabytes, so from then on its buffers of 128 KiB to
 * megabytes (job data, responses, bodies) came from the heap, which a long-lived small allocation
 * above them keeps from being returned: on Node 24 a worker's RSS grew through a run to 252-284 MB
 * against 241-255 with the bound fixed at 128 KiB (docs/benchmarks.md, "glibc's heap"). The script
 * frees a 5 MB buffer, then holds a hundred of 300 KiB, each with a small one after it, and frees
 * those: how much the brk heap grew while they lived, and how much of it stayed afterwards.
 */
const BUFFERS = `
const fs = require('node:fs');
const brkMb = () => {
  const s = fs.readFileSync('/proc/self/smaps', 'utf8');
  const i = s.indexOf('[heap]');
  return i < 0 ? 0 : Number(/\\nRss:\\s+(\\d+)/.exec(s.slice(i))[1]) / 1024;
};
// V8 frees a collected buffer's memory on a helper thread: a pause after each collection lets it.
const collect = () => new Promise((done) => { for (let i = 0; i < 3; i++) globalThis.gc(); setTimeout(done, 100); });
(async () => {
  let big = Buffer.allocUnsafe(5 * 2 ** 20); big.fill(1); big = null; await collect();
  const before = brkMb();
  let held = [];
  const pins = [];
  for (let i = 0; i < 100; i++) {
    const b = Buffer.allocUnsafe(300 * 1024); b.fill(i); held.push(b);
    const p = Buffer.allocUnsafe(8 * 1024); p.fill(i); pins.push(p);
  }
  const grewMb = brkMb() - before;
  held = null; await collect();
  console.log(JSON.stringify({ grewMb, keptMb: brkMb() - before, pins: pins.length }));
})();
`;

function buffersUnder(env: Record<string, string>): { grewMb: number; keptMb: number } {
  const r = spawnSync(process.execPath, ['--expose-gc', '-e', BUFFERS], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'], ...env },
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { grewMb: number; keptMb: number };
}

const read = (name: string): string => readFileSync(join(PACKAGE_ROOT, name), 'utf8');
const capOf = (flags: string[]): number => Number(/--max-old-space-size=(\d+)/.exec(flags.join(' '))?.[1]);

const startCommand = (JSON.parse(read('package.json')) as { scripts: { start: string } }).scripts.start
  .split(' && ')
  .find((c) => c.endsWith('cli.js run'))!
  .split(' ');

const launchers: Array<{ name: string; flags: string[]; via: 'argv' | 'NODE_OPTIONS'; env: Record<string, string> }> = [
  {
    // One NODE_OPTIONS and one environment for both roles (the x-cable-ingest anchor).
    name: 'docker-compose.yml, the watcher and the worker',
    flags: /^\s+NODE_OPTIONS:\s*(.+)$/m.exec(read('docker-compose.yml'))![1]!.trim().split(/\s+/),
    via: 'NODE_OPTIONS',
    env: Object.fromEntries(
      [...read('docker-compose.yml').matchAll(/^\s+(MALLOC_\w+):\s*'?(\d+)'?\s*$/gm)].map((m) => [m[1]!, m[2]!]),
    ),
  },
  {
    name: "the Dockerfile's CMD",
    flags: (JSON.parse(/^CMD (\[.*\])$/m.exec(read('Dockerfile'))![1]!) as string[]).filter((a) => a.startsWith('--')),
    via: 'argv',
    env: Object.fromEntries([...read('Dockerfile').matchAll(/^ENV (MALLOC_\w+)=(\d+)$/gm)].map((m) => [m[1]!, m[2]!])),
  },
  {
    name: 'npm start',
    flags: startCommand.filter((a) => a.startsWith('--')),
    via: 'argv',
    env: Object.fromEntries(
      startCommand.flatMap((a) => {
        const m = /^(MALLOC_\w+)=(\d+)$/.exec(a);
        return m ? [[m[1]!, m[2]!]] : [];
      }),
    ),
  },
];

describe("the roles' node flags, as each launcher ships them", () => {
  for (const l of launchers) {
    it(`${l.name}: a capped old generation and a young generation of at most 2 x 16 MB`, () => {
      assert.ok(capOf(l.flags) > 0, `no --max-old-space-size in ${l.flags.join(' ')}`);
      assert.ok(l.flags.includes('--max-semi-space-size=16'), `no --max-semi-space-size=16 in ${l.flags.join(' ')}`);
      const heap = heapOf(l.flags, l.via);
      assert.ok(heap.youngMb <= 32, `young generation grew to ${heap.youngMb} MB`);
      // V8's limit is the old generation's cap and the young generation's room (3 x semi-space).
      assert.ok(heap.limitMb <= capOf(l.flags) + 3 * 16 + 1, `heap limit ${heap.limitMb} MB`);
    });
  }

  for (const l of launchers) {
    it(`${l.name}: glibc keeps buffers of 128 KiB and more out of its heap, and returns them when freed`, () => {
      assert.equal(l.env['MALLOC_MMAP_THRESHOLD_'], '131072', `MALLOC_MMAP_THRESHOLD_ in ${JSON.stringify(l.env)}`);
      const heap = buffersUnder(l.env);
      assert.ok(heap.grewMb < 5, `the brk heap grew by ${heap.grewMb} MB for 30 MB of buffers`);
      assert.ok(heap.keptMb < 5, `the brk heap kept ${heap.keptMb} MB after they were freed`);
    });
  }

  it("without the bound, glibc's own puts those buffers in its heap, so the checks above would fail", () => {
    const own = buffersUnder({});
    assert.ok(own.grewMb > 20, `the brk heap grew by ${own.grewMb} MB only`);
  });

  it('the churn fills at least the young generation the launchers allow, so a larger one would show', () => {
    // On Node 20 V8's own young generation under a 160 MB cap is 2 x 16 MB already, on Node 24 it is
    // 2 x 32: there the flag is what keeps it to 32 MB, and the checks above fail without it.
    const own = heapOf(['--max-old-space-size=160'], 'argv');
    assert.ok(own.youngMb >= 32, `the churn grew the young generation to ${own.youngMb} MB only`);
  });
});
