import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { documentOf } from '../../bench/scoring/corpus.js';
import { corpusPath } from '../helpers/paths.js';

/** Whatever the input, the parser returns a document or a typed failure: it never throws. */
const devDir = corpusPath('dev');
const samples = readdirSync(devDir)
  .filter((n) => n.endsWith('.txt'))
  .slice(0, 40)
  .map((n) => readFileSync(`${devDir}/${n}`, 'utf8'));

function mustNotThrow(text: string): void {
  const out = documentOf(text);
  if (!out.ok) assert.match(out.reason, /^[a-z_]+$/);
}

describe('robustness (fast-check)', () => {
  it('random text never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 4000 }), (s) => mustNotThrow(s)),
      { numRuns: 300, seed: 42 },
    );
  });
  it('random lines in cable vocabulary never throw', () => {
    const word = fc.constantFrom(
      'VZCZC',
      'RR',
      'DE',
      'RUEHMO',
      '#0584',
      'ZNY',
      'SSSSS',
      'FM',
      'TO',
      'INFO',
      'XMT',
      'SECRET',
      'S E C R E T',
      'SECTION',
      '01',
      'OF',
      'TAGS:',
      'SUBJECT:',
      'REF:',
      'A.',
      '(C)',
      '¶1.',
      'E.O.',
      '12958:',
      'DECL:',
      '02/08/2017',
      'Classified',
      'By:',
      'SIPDIS',
      'NOFORN',
      '091117Z',
      'FEB',
      '07',
      'MOSCOW',
      '000584',
      'Cable dated:',
      'PAGE',
      'END SUMMARY',
      '\n',
      '\r\n',
      '  ',
      '\u2028',
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 400 }), (ws) => mustNotThrow(ws.join(' '))),
      { numRuns: 300, seed: 7 },
    );
  });
  it('mutated real cables never throw (lines dropped, duplicated, cut, bytes flipped)', () => {
    const mutation = fc.record({
      cable: fc.integer({ min: 0, max: samples.length - 1 }),
      drop: fc.array(fc.nat(200), { maxLength: 20 }),
      dup: fc.array(fc.nat(200), { maxLength: 10 }),
      cut: fc.nat(20000),
      flips: fc.array(fc.tuple(fc.nat(20000), fc.string({ unit: 'binary', minLength: 1, maxLength: 3 })), {
        maxLength: 10,
      }),
    });
    fc.assert(
      fc.property(mutation, (m) => {
        let lines = samples[m.cable]!.split('\n');
        lines = lines.filter((_, i) => !m.drop.includes(i));
        for (const d of m.dup) if (lines[d] !== undefined) lines.splice(d, 0, lines[d]!);
        let text = lines.join('\n').slice(0, Math.max(1, m.cut));
        for (const [at, s] of m.flips) text = text.slice(0, at) + s + text.slice(at + 1);
        mustNotThrow(text);
      }),
      { numRuns: 300, seed: 1234 },
    );
  });
});

describe('CRLF text-only cables and older published variants', () => {
  const cases = [
    ...readdirSync(corpusPath('textonly'))
      .filter((n) => n.endsWith('.txt'))
      .map((n) => corpusPath('textonly', n)),
    ...readdirSync(corpusPath('variants', 'dev'))
      .filter((n) => n.endsWith('.txt'))
      .map((n) => corpusPath('variants', 'dev', n)),
  ];
  it(`each of the ${cases.length} reads to the id its file is named after`, () => {
    assert.ok(cases.length >= 40);
    const wrong: string[] = [];
    for (const path of cases) {
      const want = basename(path, '.txt').split('__')[0];
      const out = documentOf(readFileSync(path, 'utf8'));
      if (!out.ok || out.doc.cable_id !== want) wrong.push(`${want}: ${out.ok ? out.doc.cable_id : out.reason}`);
    }
    assert.deepEqual(wrong, []);
  });
});

describe('markdown renderings of real cables (as the seeds arrive)', () => {
  // The seeds are markdown renderings of cablegate pages: TAGS as links, two trailing spaces,
  // leading blank lines. The same cable in that form must read the same.
  const toMarkdown = (text: string): string =>
    '\n\n' +
    text
      .split('\n')
      .map((l) =>
        /^\s*TAGS?:/.test(l)
          ? l.replace(/\b([A-Z]{2,5})\b/g, (m, code: string, offset: number) => (offset < 6 ? m : `[${code}](#)`))
          : l,
      )
      .map((l) => (l.trim() === '' ? l : `${l}  `))
      .join('\n');
  it('40 dev cables read the same id, subject and tags as markdown', () => {
    const differ: string[] = [];
    for (const text of samples) {
      const plain = documentOf(text);
      const md = documentOf(toMarkdown(text));
      if (!plain.ok) continue;
      if (!md.ok) {
        differ.push(`${plain.doc.cable_id}: ${md.reason}`);
        continue;
      }
      for (const k of ['cable_id', 'subject', 'sent_at', 'classification'] as const) {
        if (plain.doc[k] !== md.doc[k])
          differ.push(`${plain.doc.cable_id} ${k}: ${String(plain.doc[k])} vs ${String(md.doc[k])}`);
      }
      if (plain.doc.tags.join(' ') !== md.doc.tags.join(' '))
        differ.push(`${plain.doc.cable_id} tags: ${plain.doc.tags.join(' ')} vs ${md.doc.tags.join(' ')}`);
    }
    assert.deepEqual(differ, []);
  });
});
