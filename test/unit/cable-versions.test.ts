import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  chosenVersion,
  documentIdOf,
  mergeVersions,
  normalisedText,
  plannedWrite,
  textIdentity,
} from '../../src/shared/cable-versions.js';
import type { CableDocument, CableVersion } from '../../src/shared/stages.js';

const version = (over: Partial<CableVersion>): CableVersion => ({
  sha256: 'a'.repeat(64),
  source_path: '/in/a.txt',
  size: 10,
  charset: 'utf-8',
  detected_at: '2026-01-01T00:00:00.000Z',
  ingested_at: '2026-01-01T00:00:01.000Z',
  parser_version: '0.3.0',
  id_basis: 'read',
  cable_id: '07MOSCOW584',
  partial_extract: false,
  text_sha256: 'b'.repeat(64),
  text_length: 100,
  ...over,
});

const docOf = (v: CableVersion): CableDocument =>
  ({
    cable_id: v.cable_id,
    id_basis: v.id_basis,
    partial_extract: v.partial_extract,
    versions: [v],
    version_count: 1,
    ingest: {
      sha256: v.sha256,
      source_path: v.source_path,
      size: v.size,
      charset: v.charset,
      detected_at: v.detected_at,
      ingested_at: v.ingested_at,
      parser_version: v.parser_version,
      text_sha256: v.text_sha256,
      text_length: v.text_length,
    },
  }) as unknown as CableDocument;

describe('cable versions', () => {
  it('normalises line ends, trailing white space, trailing blank lines and a BOM away, and nothing else', () => {
    const lf = 'UNCLAS MOSCOW 000584\n\n1. TEXT  \n';
    for (const t of [lf, lf.replace(/\n/g, '\r\n'), `${lf}\n\n`, `\uFEFF${lf}`, lf.replace(/\n/g, '\r')])
      assert.equal(normalisedText(t), 'UNCLAS MOSCOW 000584\n\n1. TEXT');
    assert.notEqual(textIdentity(lf).textSha256, textIdentity(lf.replace('TEXT', 'TEXT.')).textSha256);
  });

  it('normalises as the plain definition does (split lines, trim each end, drop trailing blank lines), on any text', () => {
    const definition = (text: string): string => {
      const lines = text.replace(/^\uFEFF/, '').split(/\r\n?|\n/);
      let end = lines.length;
      for (let i = 0; i < lines.length; i++) lines[i] = lines[i]!.trimEnd();
      while (end > 0 && lines[end - 1] === '') end--;
      return lines.slice(0, end).join('\n');
    };
    // Letters, and every kind of white space and line end trimEnd and split tell apart.
    const piece = fc.constantFrom(
      'A',
      'b',
      ' ',
      '\t',
      '\v',
      '\f',
      '\n',
      '\r',
      '\r\n',
      '\u00a0',
      '\u2028',
      '\u2029',
      '\u3000',
      '\u0085',
      '\uFEFF',
      'é',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join('');
        assert.equal(normalisedText(text), definition(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('gives a read id its own _id, and an inferred id or none an _id of its text', () => {
    const read = docOf(version({}));
    const inferred = docOf(version({ id_basis: 'inferred', cable_id: '03ANKARA3694', text_sha256: 'c'.repeat(64) }));
    const content = docOf(version({ id_basis: 'content', cable_id: 'd'.repeat(64), text_sha256: 'e'.repeat(64) }));
    assert.equal(documentIdOf(read), '07MOSCOW584');
    assert.equal(documentIdOf(inferred), `03ANKARA3694~${'c'.repeat(16)}`);
    assert.equal(documentIdOf(content), `content~${'e'.repeat(16)}`);
  });

  it('chooses a read id, then a full cable, then the longer text, then the lowest SHA-256', () => {
    const base = version({ sha256: '5'.repeat(64) });
    assert.equal(chosenVersion([version({ id_basis: 'inferred', sha256: '1'.repeat(64) }), base]).sha256, base.sha256);
    assert.equal(chosenVersion([version({ partial_extract: true, sha256: '1'.repeat(64) }), base]).sha256, base.sha256);
    assert.equal(chosenVersion([version({ text_length: 99, sha256: '1'.repeat(64) }), base]).sha256, base.sha256);
    assert.equal(chosenVersion([version({ sha256: '9'.repeat(64) }), base]).sha256, base.sha256);
  });

  it('chooses the same version and keeps every file, whatever the order the files arrive in', () => {
    const arb = fc.uniqueArray(
      fc.record({
        sha: fc.stringMatching(/^[0-9a-f]{64}$/),
        basis: fc.constantFrom('read', 'inferred', 'content'),
        partial: fc.boolean(),
        length: fc.integer({ min: 1, max: 5 }),
      }),
      { minLength: 1, maxLength: 6, selector: (r) => r.sha },
    );
    fc.assert(
      fc.property(arb, fc.infiniteStream(fc.nat()), (rows, picks) => {
        const vs = rows.map((r) =>
          version({
            sha256: r.sha,
            id_basis: r.basis as CableVersion['id_basis'],
            partial_extract: r.partial,
            text_length: r.length,
          }),
        );
        // Arrivals one at a time in a shuffled order, each merged into what the index held.
        const order = [...vs];
        const it = picks[Symbol.iterator]();
        for (let i = order.length - 1; i > 0; i--) {
          const j = it.next().value! % (i + 1);
          [order[i], order[j]] = [order[j]!, order[i]!];
        }
        let known: CableVersion[] | null = null;
        let shown: string | null = null;
        for (const v of order) {
          const plan = plannedWrite(known, [v]);
          known = plan.versions;
          if (plan.content) shown = plan.content.sha256;
        }
        assert.deepEqual(known!.map((v) => v.sha256).sort(), vs.map((v) => v.sha256).sort());
        assert.equal(shown, chosenVersion(vs).sha256);
        assert.deepEqual(mergeVersions([], vs), known);
      }),
    );
  });
});
