import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { normalisedText } from '../../src/shared/text.js';
import { codeAt, isWhiteSpace, normaliseLines, normaliseText, squash } from '../../src/workers/stages/parse/text.js';

const ENTITIES: Record<string, string> = { amp: '&', quot: '"', lt: '<', gt: '>', apos: "'", nbsp: ' ' };

/** The entity and apostrophe rewrites as plain whole-text patterns: what the targeted scans must equal. */
function rewrittenPlainly(text: string): string {
  return text
    .replace(/&#(\d{2,6});/g, (_, n: string) => String.fromCodePoint(Math.min(Number(n), 0x10ffff)))
    .replace(/&#x([0-9a-f]{2,5});/gi, (_, h: string) => String.fromCodePoint(Math.min(parseInt(h, 16), 0x10ffff)))
    .replace(/&(amp|quot|lt|gt|apos|nbsp);/g, (_, e: string) => ENTITIES[e] ?? '')
    .replace(/([A-Za-z]),s\b/g, "$1's");
}

describe('text normalisation', () => {
  it('rewrites entities and the old charset apostrophe', () => {
    assert.equal(normaliseText('Kabuye,s house, s no'), "Kabuye's house, s no");
    assert.equal(normaliseText('a,s,s b,s_ c,s1 d,s'), "a's,s b,s_ c,s1 d's");
    assert.equal(normaliseText('R&D &amp; &quot;x&quot; &#8217; &#x41; &ampx;'), 'R&D & "x" \u2019 A &ampx;');
  });

  it('gives what the plain whole-text patterns and line-end trims give, on any mix of their trigger characters', () => {
    const piece = fc.constantFrom(
      ...['a', 'Z', ',', 's', 'S', '_', '1', ' ', '&', '#', 'x', '3', '9', ';', 'amp', 'quot', 'nbsp', '\n', 'é'],
      ...['\\', '\t', '\u00a0', '\u3000', '\n\n', ' \\ '],
      ...['&amp;', '&#39;', '&#x41;', ',s', 'a,s'],
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join('');
        // The text as shared/text.ts defines it (line ends, trailing white space and blank lines), then rewritten.
        const lines = rewrittenPlainly(normalisedText(text))
          .split('\n')
          .map((l) => l.trimEnd())
          .map((l) => (l.endsWith('\\') ? l.slice(0, -1).trimEnd() : l));
        assert.deepEqual(normaliseLines(text), lines);
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('squash', () => {
  it('reads white space as `\\s` does, for every UTF-16 code unit', () => {
    for (let c = 0; c <= 0xffff; c++) assert.equal(isWhiteSpace(c), /\s/.test(String.fromCharCode(c)), c.toString(16));
    assert.equal(isWhiteSpace(NaN), false);
  });

  it('collapses every run of white space to one space and trims, as `\\s+` -> space and trim would', () => {
    const piece = fc.constantFrom('a', 'B', '.', ' ', '  ', '\t', '\n', '\u00a0', '\u2003', '\u3000', '\ufeff', 'é');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const s = pieces.join('');
        assert.equal(squash(s), s.replace(/\s+/g, ' ').trim());
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('codeAt', () => {
  it('reads what charCodeAt reads, in every string representation the lines come in', () => {
    const long = `SECRET SECTION 01 OF 02 MOSCOW 000584 ${Date.now()}`;
    const wide = `¶1. (C) Ambassador’s meeting ${Date.now()}`;
    const strings = [
      long.slice(3, 30), // sliced, one byte a character
      wide.slice(2, 30), // sliced, two bytes a character
      long.slice(0, 6), // short: copied
      wide.slice(0, 5),
      `${long.slice(0, 20)}${wide.slice(0, 20)}`, // a concatenation
      '',
      'x',
    ];
    for (const s of strings)
      for (let i = -1; i <= s.length; i++)
        assert.ok(Object.is(codeAt(s, i), s.charCodeAt(i)), `${JSON.stringify(s)} @${i}`);
  });
});
