import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { InboxEvents } from '../../src/watcher/inbox-events.js';

it('announces files already there, files renamed in, and files in folders created later; never hidden or temporary names', async () => {
  const root = mkdtempSync(join(tmpdir(), 'inbox-events-'));
  const inbox = join(root, 'inbox');
  const staging = join(root, 'staging');
  mkdirSync(inbox);
  mkdirSync(staging);
  writeFileSync(join(inbox, 'early.txt'), 'early');
  const seen = new Set<string>();
  // A folder is announced as a path like any other: the intake, finding it is one, hands it back.
  const onPath = (p: string): boolean => {
    if (p.endsWith('nested')) events.addFolder(p);
    else seen.add(p);
    return true;
  };
  // (onPath runs only once events have started, after this line.)
  const events: InboxEvents = new InboxEvents(inbox, { polling: false, rescanIntervalMs: 0 }, onPath, (err) =>
    assert.fail(String(err)),
  );
  await events.start();
  const expected = [join(inbox, 'early.txt')];
  for (let i = 0; i < 200; i++) {
    writeFileSync(join(staging, `c${i}.txt`), `cable ${i}`);
    renameSync(join(staging, `c${i}.txt`), join(inbox, `c${i}.txt`));
    expected.push(join(inbox, `c${i}.txt`));
  }
  writeFileSync(join(inbox, '.hidden'), 'x');
  writeFileSync(join(inbox, 'part.tmp'), 'x');
  mkdirSync(join(inbox, 'nested'));
  await new Promise((r) => setTimeout(r, 200));
  writeFileSync(join(staging, 'deep.txt'), 'deep');
  renameSync(join(staging, 'deep.txt'), join(inbox, 'nested', 'deep.txt'));
  expected.push(join(inbox, 'nested', 'deep.txt'));
  const deadline = Date.now() + 10_000;
  while (seen.size < expected.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual([...seen].sort(), expected.sort());
  await events.close();
});

it('in polling mode (no kernel events) a walk every interval finds new files', async () => {
  const inbox = mkdtempSync(join(tmpdir(), 'inbox-poll-'));
  const seen = new Set<string>();
  const events = new InboxEvents(
    inbox,
    { polling: true, rescanIntervalMs: 0, pollIntervalMs: 100 },
    (p) => Boolean(seen.add(p)),
    (err) => assert.fail(String(err)),
  );
  await events.start();
  mkdirSync(join(inbox, 'a'));
  writeFileSync(join(inbox, 'a', 'x.txt'), 'x');
  const deadline = Date.now() + 5_000;
  while (!seen.has(join(inbox, 'a', 'x.txt')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.ok(seen.has(join(inbox, 'a', 'x.txt')));
  await events.close();
});

it('a walk stops at the first path refused, and the next walk goes on from what is still there', async () => {
  const root = mkdtempSync(join(tmpdir(), 'inbox-refused-'));
  const inbox = join(root, 'inbox');
  mkdirSync(inbox);
  for (let i = 0; i < 1_000; i++) writeFileSync(join(inbox, `c${i}.txt`), 'x');
  const held = new Set<string>();
  const claimed = new Set<string>();
  let room = 100;
  const events = new InboxEvents(
    inbox,
    { polling: false, rescanIntervalMs: 0 },
    (p) => {
      // The event of a file renamed out (as the intake's lstat would find): nothing to hold.
      if (held.has(p) || claimed.has(p)) return true;
      if (room === 0) return false;
      room--;
      held.add(p);
      return true;
    },
    (err) => assert.fail(String(err)),
  );
  await events.start();
  assert.equal(held.size, 100, 'the first walk stopped where the holder was full');
  // The holder claims what it holds (renames it out) and asks again, until the inbox is empty.
  for (let round = 0; round < 20 && claimed.size < 1_000; round++) {
    for (const p of held) {
      renameSync(p, join(root, `claimed-${claimed.size}`));
      claimed.add(p);
    }
    held.clear();
    room = 100;
    await events.walk();
  }
  assert.equal(claimed.size, 1_000, 'every file announced once it had room, none twice');
  await events.close();
});
