import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { StabilityGate } from '../../src/watcher/stability.js';

it('a file still being written is held until it has been still for the window', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stability-'));
  const stable: string[] = [];
  const gone: string[] = [];
  const gate = new StabilityGate(200, (p) => stable.push(p), (p) => gone.push(p));
  const growing = join(dir, 'growing.txt');
  const vanishing = join(dir, 'vanishing.txt');
  writeFileSync(growing, 'a');
  writeFileSync(vanishing, 'b');
  gate.offer(growing);
  gate.offer(vanishing);
  unlinkSync(vanishing);
  const writer = setInterval(() => appendFileSync(growing, 'more '), 50);
  await new Promise((r) => setTimeout(r, 600));
  assert.deepEqual(stable, [], 'held while it grows');
  clearInterval(writer);
  const deadline = Date.now() + 3_000;
  while (stable.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  assert.deepEqual(stable, [growing]);
  assert.deepEqual(gone, [vanishing]);
  assert.equal(gate.size, 0);
  gate.close();
});

it('a file already quiet when first seen (renamed in) passes at the first look', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stability-'));
  const window = 2_000;
  const stable: Array<{ path: string; at: number }> = [];
  const gate = new StabilityGate(window, (p) => stable.push({ path: p, at: Date.now() }));
  const old = join(dir, 'old.txt');
  writeFileSync(old, 'written a while ago');
  const past = new Date(Date.now() - 60_000);
  utimesSync(old, past, past);
  const fresh = join(dir, 'fresh.txt');
  writeFileSync(fresh, 'just written');
  const offered = Date.now();
  gate.offer(old);
  gate.offer(fresh);
  const deadline = Date.now() + 10_000;
  while (stable.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  assert.deepEqual(stable.map((s) => s.path), [old, fresh]);
  // The old file did not wait out the window (first tick, at half of it); the fresh one did.
  assert.ok(stable[0]!.at - offered < window, `old file passed after ${stable[0]!.at - offered} ms`);
  assert.ok(stable[1]!.at - offered >= window - 50, `fresh file passed after ${stable[1]!.at - offered} ms`);
  gate.close();
});
