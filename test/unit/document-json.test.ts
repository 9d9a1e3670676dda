import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { documentSourceJson, jsonString } from '../../src/shared/elasticsearch/document-json.js';
import { loadReferenceData } from '../../src/shared/reference/load.js';
import { documentFromBytes } from '../../src/workers/pipeline.js';
import { corpusPath } from '../helpers/paths.js';

/** mulberry32: the same strings every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('jsonString is JSON.stringify for strings', () => {
  it('every character from U+0000 to U+FFFF alone, and between letters', () => {
    for (let code = 0; code <= 0xffff; code++) {
      const c = String.fromCharCode(code);
      assert.equal(jsonString(c), JSON.stringify(c), `U+${code.toString(16)}`);
      assert.equal(jsonString(`a${c}b`), JSON.stringify(`a${c}b`), `U+${code.toString(16)} inside`);
    }
  });
  it('surrogates: a pair is kept, a lone or reversed one is escaped, at either end of the string', () => {
    const cases = [
      '\ud83d\ude00',
      '\ud83d',
      '\ude00',
      '\ude00\ud83d',
      'x\ud83d',
      '\ude00x',
      '\ud83d\ud83d\ude00',
      '\ud83d\ude00\ude00',
    ];
    for (const s of cases) assert.equal(jsonString(s), JSON.stringify(s), JSON.stringify(s));
  });
  it('random strings of the characters that need care, and of any', () => {
    const next = rng(7);
    const pool = ['\n', '\r', '\t', '"', '\\', '\u0000', '\u001f', '\u2028', '\ud800', '\udc00', '¶', '’', 'a', ' '];
    for (let i = 0; i < 3000; i++) {
      const length = Math.floor(next() * 40);
      let s = '';
      for (let k = 0; k < length; k++)
        s += next() < 0.7 ? pool[Math.floor(next() * pool.length)]! : String.fromCharCode(Math.floor(next() * 0x10000));
      assert.equal(jsonString(s), JSON.stringify(s), JSON.stringify(s));
    }
  });
});

describe('documentSourceJson', () => {
  const ref = loadReferenceData();
  const dir = corpusPath('dev');
  const names = readdirSync(dir)
    .filter((n) => n.endsWith('.txt'))
    .sort();
  it('is the document, member for member, for the real cables of the dev corpus', () => {
    let compared = 0;
    for (const name of names) {
      const bytes = readFileSync(join(dir, name));
      const file = {
        path: `/inbox/${name}`,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        size: bytes.length,
        detectedAt: '2026-01-01T00:00:00.000Z',
      };
      const doc = documentFromBytes(file, bytes, ref, 5_000_000);
      if (!doc.ok) continue;
      const { versions: _v, version_count: _c, ...source } = doc.value;
      const json = documentSourceJson(source);
      assert.deepEqual(JSON.parse(json), JSON.parse(JSON.stringify(source)), name);
      // The same characters as JSON.stringify's, but for the order of two members.
      assert.equal(json.length, JSON.stringify(source).length, name);
      compared++;
    }
    assert.ok(compared >= names.length * 0.9, `${compared} of ${names.length} cables made a document`);
  });
  it("a document not of the declared shape is JSON.stringify's", () => {
    const partial = [
      { cable_id: 'x', ingest: { sha256: 'a' } },
      { cable_id: 'x', body: 'b\n', paragraph_texts: [{ number: 1, text: 'no mark' }] },
      { cable_id: 'x', body: 'b', paragraph_texts: null },
    ];
    for (const d of partial) {
      const source = d as unknown as Parameters<typeof documentSourceJson>[0];
      assert.equal(documentSourceJson(source), JSON.stringify(source));
    }
  });
});
