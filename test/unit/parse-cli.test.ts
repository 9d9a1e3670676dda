import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SEEDS_DIR } from '../helpers/paths.js';

const CLI = fileURLToPath(new URL('../../src/ops/cli.js', import.meta.url));

describe('cable-ingest parse', () => {
  it('prints one JSON line per file: the document, or the typed failure', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parse-cli-'));
    copyFileSync(join(SEEDS_DIR, '000_c3a957b28fce9504.txt'), join(dir, 'a-seed.txt'));
    writeFileSync(join(dir, 'b-binary.bin'), Buffer.from([0, 1, 2, 0xff, 0xfe, 0, 0, 7]));
    writeFileSync(join(dir, 'c-prose.txt'), 'Dear colleagues, lunch is at noon.\n');
    const missing = join(dir, 'no-such-file.txt');

    const r = spawnSync(process.execPath, [CLI, 'parse', dir, missing], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, 4);

    const [seed, binary, prose, gone] = lines as [Record<string, unknown>, ...Record<string, { reason: string }>[]];
    assert.equal(seed['cable_id'], '07MOSCOW584');
    assert.equal(seed['id_basis'], 'read', "the year is the DTG's and the serial the banner's");
    assert.equal((seed['ingest'] as { source_path: string }).source_path, join(dir, 'a-seed.txt'));
    assert.equal(binary!['error']!.reason, 'not_text');
    assert.equal(prose!['error']!.reason, 'no_cable_header');
    assert.equal(gone!['source_path'], missing);
    assert.ok(gone!['error']!.reason, 'a missing file is a failure line, not a crash');
  });

  it('ends quietly when its reader closes the pipe early', async () => {
    const child = spawn(process.execPath, [CLI, 'parse', SEEDS_DIR, SEEDS_DIR, SEEDS_DIR, SEEDS_DIR], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Like `| head -c 10`: read a little, then close.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((done) => child.on('close', done));
    assert.equal(stderr, '');
    assert.equal(code, 0);
  });
});
