import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { watchInbox } from '../../src/watcher/inbox-watcher.js';

it('reports each file renamed into the inbox once (kernel event and chokidar listing agree), folders never', async () => {
  const root = mkdtempSync(join(tmpdir(), 'inbox-watcher-'));
  const inbox = join(root, 'inbox');
  const staging = join(root, 'staging');
  mkdirSync(inbox);
  mkdirSync(staging);
  const seen: string[] = [];
  const w = watchInbox(inbox, { polling: false, stabilityMs: 100 }, (p) => seen.push(p), (err) => assert.fail(String(err)));
  await w.ready;
  const expected: string[] = [];
  for (let i = 0; i < 200; i++) {
    writeFileSync(join(staging, `c${i}.txt`), `cable ${i}`);
    renameSync(join(staging, `c${i}.txt`), join(inbox, `c${i}.txt`));
    expected.push(join(inbox, `c${i}.txt`));
  }
  mkdirSync(join(inbox, 'nested'));
  await new Promise((r) => setTimeout(r, 300));
  writeFileSync(join(staging, 'deep.txt'), 'deep');
  renameSync(join(staging, 'deep.txt'), join(inbox, 'nested', 'deep.txt'));
  expected.push(join(inbox, 'nested', 'deep.txt'));
  const deadline = Date.now() + 10_000;
  while (seen.length < expected.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  // Both chokidar's listings (at most one a second) have run by now: any second report would show.
  await new Promise((r) => setTimeout(r, 2_500));
  await w.close();
  assert.deepEqual([...seen].sort(), [...expected].sort());
});
