import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { contentHash, readFileBytes } from '../../src/shared/file-bytes.js';
import type { Result } from '../../src/shared/result.js';
import type { DroppedFile, RawCable } from '../../src/shared/stages.js';
import { readCable } from '../../src/workers/stages/read.js';

const READ_MODULE = fileURLToPath(new URL('../../src/shared/file-bytes.js', import.meta.url));

/** The edge read (the watcher's claim) then the pure read stage, as a file goes through them. */
async function readDroppedFile(file: DroppedFile, maxBytes: number): Promise<Result<RawCable>> {
  const bytes = await readFileBytes(file.path, maxBytes);
  return bytes.ok ? readCable({ ...file, sha256: contentHash(bytes.value) }, bytes.value, maxBytes) : bytes;
}
const dir = mkdtempSync(join(tmpdir(), 'cable-read-'));
const drop = (name: string, content: Buffer | string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return { path, sha256: '0'.repeat(64), size: 0, detectedAt: new Date().toISOString() };
};

describe('read stage guards (real files)', () => {
  it('decodes UTF-8 and reports the content hash and line ending', async () => {
    const r = await readDroppedFile(drop('a.txt', 'SUBJECT: CAFÉ\r\n'), 1000);
    assert.ok(r.ok);
    assert.equal(r.value.charset, 'utf-8');
    assert.equal(r.value.lineEnding, 'crlf');
    assert.match(r.value.file.sha256, /^[0-9a-f]{64}$/);
    assert.notEqual(r.value.file.sha256, '0'.repeat(64));
  });
  it('decodes Latin-1 and Windows-1252', async () => {
    const latin = await readDroppedFile(
      drop('l.txt', Buffer.from([0x53, 0x55, 0x42, 0x4a, 0x3a, 0x20, 0x43, 0x41, 0x46, 0xc9, 0x0a])),
      1000,
    );
    assert.ok(latin.ok);
    assert.equal(latin.value.charset, 'latin1');
    assert.equal(latin.value.text, 'SUBJ: CAFÉ\n');
    const cp = await readDroppedFile(drop('w.txt', Buffer.from([0x93, 0x51, 0x94, 0x0a])), 1000);
    assert.ok(cp.ok);
    assert.equal(cp.value.charset, 'windows-1252');
    assert.equal(cp.value.text, '\u201cQ\u201d\n');
  });
  const cases: Array<[string, Buffer | string, string, number?]> = [
    ['empty', '', 'empty_file'],
    ['blank', '  \n\n ', 'empty_file'],
    ['binary', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]), 'not_text'],
    ['utf16', Buffer.from([0xff, 0xfe, 0x41, 0x00]), 'unknown_charset'],
    ['big', 'x'.repeat(2000), 'too_large', 1000],
  ];
  for (const [name, content, code, max] of cases) {
    it(`${name} -> ${code}`, async () => {
      const r = await readDroppedFile(drop(`${name}.txt`, content), max ?? 1000);
      assert.equal(r.ok, false);
      assert.equal(!r.ok && r.failure.code, code);
      assert.equal(!r.ok && r.failure.stage, 'read');
    });
  }
  it('counts control bytes alike in ASCII and in non-ASCII text: a few are debris, over 1% (and two) is binary', () => {
    const f = { path: '/nowhere', sha256: '0'.repeat(64), size: 0, detectedAt: new Date().toISOString() };
    // 200 bytes each: the limit is 200 * 1% + 2 = 4 control bytes. Tab, LF, FF and CR never count.
    const ascii = (controls: number) =>
      Buffer.from('\x07'.repeat(controls) + '\t\f\r\n'.repeat(10) + 'A'.repeat(160 - controls));
    const utf8 = (controls: number) =>
      Buffer.from('\x07'.repeat(controls) + '\t\f\r\n'.repeat(10) + 'A'.repeat(158 - controls) + '\u00e9');
    for (const [kind, make] of [
      ['ascii', ascii],
      ['utf-8', utf8],
    ] as const) {
      assert.equal(make(4).length, 200);
      const under = readCable(f, make(4), 1000);
      assert.ok(under.ok, kind);
      assert.equal(under.value.charset, 'utf-8');
      assert.equal(under.value.text, make(4).toString('utf8'));
      const over = readCable(f, make(5), 1000);
      assert.equal(!over.ok && over.failure.code, 'not_text', kind);
      assert.match(!over.ok ? over.failure.message : '', /^5 control bytes in the first 200:/);
    }
  });
  it('looks for control bytes in the first 64 KiB only, in ASCII and non-ASCII files alike', () => {
    const f = { path: '/nowhere', sha256: '0'.repeat(64), size: 0, detectedAt: new Date().toISOString() };
    const tail = '\x07'.repeat(5000);
    for (const first of ['A', '\u00e9']) {
      const bytes = Buffer.from(first + 'A'.repeat(70_000) + tail);
      const r = readCable(f, bytes, 1e6);
      assert.ok(r.ok, first);
      assert.equal(r.value.text.length, bytes.toString('utf8').length);
    }
  });
  it('the stage alone is a function of the bytes: too large even when the bytes arrive', () => {
    const f = { path: '/nowhere', sha256: '0'.repeat(64), size: 0, detectedAt: new Date().toISOString() };
    const r = readCable(f, Buffer.from('x'.repeat(2000)), 1000);
    assert.equal(!r.ok && r.failure.code, 'too_large');
    const fine = readCable(f, Buffer.from('SUBJECT: X\n'), 1000);
    assert.ok(fine.ok && fine.value.file.path === '/nowhere' && fine.value.file.size === 11);
  });
  it('a vanished file -> file_vanished', async () => {
    const r = await readDroppedFile(
      { path: join(dir, 'nope.txt'), sha256: '0'.repeat(64), size: 1, detectedAt: new Date().toISOString() },
      1000,
    );
    assert.equal(!r.ok && r.failure.code, 'file_vanished');
  });
  it('an unreadable file -> permission_denied', () => {
    const f = drop('locked.txt', 'x');
    chmodSync(dir, 0o755);
    chmodSync(f.path, 0o000);
    // Root reads every file: run the read as an unprivileged user in a child process. That user
    // may not be able to enter the project's folder (a clone in root's home, a mkdtemp folder), so
    // the child imports a copy of the reader (and the two modules it imports) from a public folder.
    const pub = mkdtempSync(join(tmpdir(), 'read-module-'));
    chmodSync(pub, 0o755);
    writeFileSync(join(pub, 'package.json'), '{"type":"module"}', { mode: 0o644 });
    for (const m of ['file-bytes.js', 'errors.js', 'result.js']) {
      copyFileSync(join(dirname(READ_MODULE), m), join(pub, m));
      chmodSync(join(pub, m), 0o644);
    }
    const script = `import(${JSON.stringify(join(pub, 'file-bytes.js'))}).then(async (m) => { const r = await m.readFileBytes(${JSON.stringify(f.path)}, 1000); process.stdout.write(r.ok ? 'ok' : r.failure.code); })`;
    const asRoot = process.getuid?.() === 0;
    const out = spawnSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    assert.equal(out.stdout, 'permission_denied', out.stderr);
  });
});
