import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Spool } from '../../src/intake/spool.js';
import { deadLetterId } from '../../src/shared/dead-letter.js';

const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);

async function fresh(): Promise<{ inbox: string; spool: Spool; root: string }> {
  const root = mkdtempSync(join(tmpdir(), 'spool-'));
  const inbox = join(root, 'inbox');
  mkdirSync(inbox);
  return { inbox, root, spool: await Spool.open(join(root, 'inbox.spool'), inbox) };
}

describe('the spool (real files)', () => {
  it('keeps one id across openings, and lays out claimed, done and failed', async () => {
    const { root, inbox, spool } = await fresh();
    const again = await Spool.open(join(root, 'inbox.spool'), inbox);
    assert.equal(again.id, spool.id);
    assert.deepEqual(readdirSync(spool.root).sort(), ['claimed', 'done', 'failed', 'spool-id']);
  });

  it('claims by rename, remembering the path each file was dropped at, nested ones too', async () => {
    const { inbox, spool } = await fresh();
    mkdirSync(join(inbox, '2007', 'feb'), { recursive: true });
    writeFileSync(join(inbox, '2007', 'feb', 'a b.txt'), 'one');
    writeFileSync(join(inbox, 'top.txt'), 'two');
    const batch = spool.newBatch();
    const { claimed, gone } = await spool.claim(
      batch,
      [join(inbox, '2007', 'feb', 'a b.txt'), join(inbox, 'top.txt'), join(inbox, 'gone.txt')].map((path) => ({
        path,
        size: 3,
      })),
      'rename',
    );
    assert.deepEqual(gone, [join(inbox, 'gone.txt')]);
    assert.deepEqual(
      claimed.map((c) => c.sourcePath),
      [join(inbox, '2007', 'feb', 'a b.txt'), join(inbox, 'top.txt')],
    );
    assert.equal(existsSync(join(inbox, 'top.txt')), false, 'renamed out of the inbox');
    // After a restart the folder alone says the same.
    assert.deepEqual(
      (await spool.batchFiles(batch)).map((c) => c.sourcePath),
      claimed.map((c) => c.sourcePath),
    );
    assert.deepEqual(await spool.batches(), [batch]);
  });

  it('copy leaves the source; a file from outside the inbox keeps its absolute path', async () => {
    const { root, spool } = await fresh();
    const outside = join(root, 'archive.txt');
    writeFileSync(outside, 'three');
    const { claimed } = await spool.claim(spool.newBatch(), [{ path: outside, size: 5 }], 'copy');
    assert.ok(existsSync(outside));
    assert.equal(claimed[0]!.sourcePath, outside);
    assert.equal(spool.sourcePathOf(claimed[0]!.name), outside);
  });

  it('finishes indexed files under done/<date>/<path>, both of two same-named files, and empties the batch', async () => {
    const { inbox, spool } = await fresh();
    const now = new Date('2026-11-28T10:00:00Z');
    for (const [content, sha] of [
      ['first', SHA_A],
      ['second', SHA_B],
    ] as const) {
      writeFileSync(join(inbox, 'same.txt'), content);
      const batch = spool.newBatch();
      const { claimed } = await spool.claim(batch, [{ path: join(inbox, 'same.txt'), size: content.length }], 'rename');
      await spool.finishIndexed(batch, claimed[0]!.name, sha, true, now);
      await spool.finishIndexed(batch, claimed[0]!.name, sha, true, now); // again, as after a restart: a no-op
      assert.equal(await spool.removeBatch(batch), true);
    }
    const day = join(spool.root, 'done', '2026-11-28');
    assert.deepEqual(readdirSync(day).sort(), ['same.txt', `same.txt~${SHA_B.slice(0, 12)}`]);
    assert.equal(readFileSync(join(day, 'same.txt'), 'utf8'), 'first');
  });

  it('deletes instead with keep=false; a batch with a file left is not removed', async () => {
    const { inbox, spool } = await fresh();
    writeFileSync(join(inbox, 'x.txt'), 'x');
    writeFileSync(join(inbox, 'y.txt'), 'y');
    const batch = spool.newBatch();
    const { claimed } = await spool.claim(
      batch,
      [join(inbox, 'x.txt'), join(inbox, 'y.txt')].map((path) => ({ path, size: 1 })),
      'rename',
    );
    await spool.finishIndexed(batch, claimed[0]!.name, SHA_A, false);
    assert.equal(await spool.removeBatch(batch), false, 'y has no fate yet');
    assert.deepEqual(
      (await spool.batchFiles(batch)).map((c) => c.sourcePath),
      [join(inbox, 'y.txt')],
    );
    assert.deepEqual(readdirSync(join(spool.root, 'done')), []);
  });

  it('a failed file waits in failed/ with its reason, and goes back to where it was dropped', async () => {
    const { inbox, spool } = await fresh();
    mkdirSync(join(inbox, 'sub'));
    writeFileSync(join(inbox, 'sub', 'bad.txt'), 'bad');
    const batch = spool.newBatch();
    const { claimed } = await spool.claim(batch, [{ path: join(inbox, 'sub', 'bad.txt'), size: 3 }], 'rename');
    const note = {
      code: 'not_text' as const,
      message: 'binary',
      sha256: SHA_A,
      id: SHA_A,
      sourcePath: join(inbox, 'sub', 'bad.txt'),
      jobId: 'j',
      failedAt: new Date().toISOString(),
    };
    await spool.finishFailed(batch, claimed[0]!.name, note);
    const failed = spool.failedPath(SHA_A, note.sourcePath);
    assert.equal(JSON.parse(readFileSync(`${failed}.reason.json`, 'utf8')).code, 'not_text');
    assert.equal(await spool.restoreFailed(SHA_B), null, "not this spool's");
    assert.equal(await spool.restoreFailed(SHA_A), join(inbox, 'sub', 'bad.txt'));
    assert.equal(readFileSync(join(inbox, 'sub', 'bad.txt'), 'utf8'), 'bad');
    assert.deepEqual(readdirSync(join(spool.root, 'failed')), []);
  });
});

describe('a file whose bytes could not be read', () => {
  it('has no content hash: its dead letter is keyed `unread-...`, and failed/ finds it by that key', async () => {
    const job = { path: '/inbox/locked.txt', sha256: null, detectedAt: '2026-01-01T00:00:00.000Z' };
    const id = deadLetterId(job);
    assert.match(id, /^unread-[0-9a-f]{40}$/);
    assert.equal(deadLetterId({ ...job, detectedAt: '2026-01-02T00:00:00.000Z' }) === id, false);
    assert.equal(deadLetterId({ ...job, sha256: SHA_A }), SHA_A);

    const root = mkdtempSync(join(tmpdir(), 'spool-unread-'));
    const inbox = join(root, 'inbox');
    mkdirSync(inbox);
    const spool = await Spool.open(join(root, 'spool'), inbox);
    writeFileSync(join(inbox, 'locked.txt'), 'x');
    const batch = spool.newBatch();
    const { claimed } = await spool.claim(batch, [{ path: join(inbox, 'locked.txt'), size: 1 }], 'rename');
    await spool.finishFailed(batch, claimed[0]!.name, {
      code: 'permission_denied',
      message: 'EACCES',
      sha256: null,
      id,
      sourcePath: join(inbox, 'locked.txt'),
      jobId: 'j',
      failedAt: new Date().toISOString(),
    });
    assert.ok(existsSync(spool.failedPath(id, join(inbox, 'locked.txt'))));
    assert.equal(await spool.restoreFailed(id), join(inbox, 'locked.txt'));
  });
});
