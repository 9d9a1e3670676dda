import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { normalisedCable, squash } from '../../src/workers/stages/parse/text.js';
import {
  isBareRi,
  RI_PREFIX,
  riPrefix,
  SERIAL_SUFFIX,
  serialSuffix,
} from '../../src/workers/stages/parse/addressees.js';

import { dashRuleAt, isPageMarker, SummaryMarks } from '../../src/workers/stages/parse/body.js';
import { PAGE_MARKERS, WRAPPER_DATES } from '../../src/workers/stages/parse/grammar.js';

import { bodyLinesOf } from '../../src/workers/stages/parse/index.js';
import {
  colonLabels,
  mayHoldRunOnFields,
  RUN_ON_HEAD,
  splitRunOn,
} from '../../src/workers/stages/parse/line-repair.js';
import {
  inferYear,
  YEAR_MODEL,
  YEAR_RULES,
  yearClues,
  yearCluesFor,
} from '../../src/workers/stages/parse/year-inference.js';

/*
 * The parser skips a costly pattern on lines a cheap check rules out. A check that rules out a
 * line the pattern would take changes what is parsed: each is held here to "never rejects a line
 * its pattern accepts", over lines built from the pattern's own pieces in any order and case.
 */
const line = (pieces: string[]): fc.Arbitrary<string> =>
  fc
    .tuple(fc.array(fc.constantFrom(...pieces), { maxLength: 14 }), fc.boolean())
    .map(([ps, lower]) => (lower ? ps.join('').toLowerCase() : ps.join('')));

const RUNS = { numRuns: 30_000 };

describe('the parser prefilters', () => {
  it('run-on fields: every line the run-on split cuts is one the keyword scan finds', () => {
    const pieces = [' ', '  ', 'x', 'ABC', 'TAGS:', 'TAG:', 'AGS:', 'TAGES:', 'SUBJECT:', 'SUBJ:', 'REF:', 'REFS:'];
    const more = ['REFTEL:', 'CLASSIFIED BY', 'E.O. 12958: DECL', 'EO 12958 N/A', 'E.O.12958 NA', '\u00a0', 'B', '1'];
    fc.assert(
      fc.property(line([...pieces, ...more]), (l) => {
        if (splitRunOn(l).filter((p) => p.trim() !== '').length > 1)
          assert.ok(mayHoldRunOnFields(l), JSON.stringify(l));
      }),
      RUNS,
    );
    assert.ok(!mayHoldRunOnFields('TAGS: PREL PGOV'), 'a label at the start of its line is no cut');
    assert.ok(mayHoldRunOnFields('E.O. 12958: N/A TAGS: PREL'));
  });

  it('run-on fields: on a line longer than the head the split reads, the scan of the head finds every cut', () => {
    // Keywords placed across the end of the head (RUN_ON_HEAD characters): a cut whose keyword runs
    // past the end is no cut, and a keyword wholly past it is never looked at.
    const pieces = [' ', '  ', 'x', 'TAGS:', 'SUBJECT:', 'REF:', 'REFTEL:', 'CLASSIFIED BY', 'E.O. 12958: DECL', 'ABC'];
    const longLine = fc
      .tuple(fc.integer({ min: RUN_ON_HEAD - 40, max: RUN_ON_HEAD + 5 }), line(pieces), fc.constantFrom('', ' rest'))
      .map(([n, tail, after]) => 'x'.repeat(n) + tail + after);
    fc.assert(
      fc.property(longLine, (l) => {
        const cut = splitRunOn(l).filter((p) => p.trim() !== '').length > 1;
        if (cut) assert.ok(mayHoldRunOnFields(l), JSON.stringify(l.slice(RUN_ON_HEAD - 60)));
        else
          assert.deepEqual(
            splitRunOn(l).filter((p) => p.trim() !== ''),
            [l],
          );
      }),
      { numRuns: 5_000 },
    );
    const at = (n: number, keyword: string): string => `${'x'.repeat(n)} ${keyword} PREL`;
    assert.ok(mayHoldRunOnFields(at(RUN_ON_HEAD - 20, 'TAGS:')), 'a keyword inside the head');
    assert.ok(!mayHoldRunOnFields(at(RUN_ON_HEAD + 10, 'TAGS:')), 'a keyword past the head');
  });

  it('summary rules: dashRuleAt finds what /\\s-{4,}\\s/ finds', () => {
    fc.assert(
      fc.property(line(['-', '---', '----', ' ', '\n', 'x', '–']), (l) => {
        assert.equal(dashRuleAt(l), l.search(/\s-{4,}\s/), JSON.stringify(l));
      }),
      RUNS,
    );
    assert.equal(dashRuleAt('the talks. ---- Comment'), 10);
  });

  it('wrapper dates: every line a wrapper-date pattern takes holds a `:` or a `,`', () => {
    const pieces = [
      'Cable dated',
      ':',
      ',',
      ' ',
      '2002-11-15',
      'TELEGRAM',
      'June',
      ' 03',
      ' 2003',
      'Sent',
      'Wednesday',
    ];
    fc.assert(
      fc.property(line([...pieces, ' 01 June 2005', 'Mon', '\t', '-']), (l) => {
        if (WRAPPER_DATES.some((re) => re.test(l))) assert.ok(l.includes(':') || l.includes(','), JSON.stringify(l));
      }),
      RUNS,
    );
    for (const example of [
      'Cable dated:2002-11-15T12:40:00',
      'TELEGRAM June 03, 2003',
      'Wednesday, 01 June 2005, 08:39',
    ])
      assert.ok(
        WRAPPER_DATES.some((re) => re.test(example)),
        example,
      );
  });

  it('summary: the heading search that stops at the label finds what the search of every word finds', () => {
    const pieces = [
      'SUMMARY',
      'Summary',
      'summary',
      ':',
      '.',
      ' ',
      '\n',
      '\n\n',
      '----',
      '= ',
      '*',
      'END ',
      'AND COMMENT',
    ];
    fc.assert(
      fc.property(line([...pieces, '1. ', '(C) ', 'Text', 'x']), (text) => {
        const label = new SummaryMarks(text).firstLabel();
        const everywhere = new SummaryMarks(text).firstHeading();
        const expected = everywhere && label && everywhere.index > label.index ? null : everywhere;
        assert.deepEqual(
          new SummaryMarks(text).firstHeading(label ? label.index : Infinity),
          expected,
          JSON.stringify(text),
        );
      }),
      RUNS,
    );
    // Asked in any order, one text's marks are what a fresh search finds.
    const text = 'SUMMARY\n------\nSummary: it. END SUMMARY.\n2. Summary and comment: END OF SUMMARY';
    const marks = new SummaryMarks(text);
    assert.deepEqual(marks.firstEnd(30), new SummaryMarks(text).firstEnd(30));
    assert.deepEqual(marks.firstLabel(), { index: 15, end: 24 });
    assert.deepEqual(marks.firstHeading(), { index: 0, end: 14 });
  });

  it('summary: the label at a position is what the search from that position finds there', () => {
    const pieces = ['SUMMARY', 'Summary', 'summary', ':', '.', ' ', '\n', '--', 'END ', 'AND COMMENT', 'x', 'ASUMMARY'];
    fc.assert(
      fc.property(line([...pieces, '1. ', '(C) ']), fc.nat(), (text, n) => {
        const at = n % (text.length + 1);
        const found = new SummaryMarks(text).firstLabel(at);
        assert.deepEqual(
          new SummaryMarks(text).labelAt(at),
          found && found.index === at ? found : null,
          JSON.stringify([text, at]),
        );
      }),
      RUNS,
    );
    assert.deepEqual(new SummaryMarks('1. Summary: talks').labelAt(3), { index: 3, end: 12 });
    assert.equal(new SummaryMarks('1. Summary: talks').labelAt(2), null);
  });

  it('address counts: serialSuffix reads what SERIAL_SUFFIX finds', () => {
    const pieces = ['RUEHC/SECSTATE', ' ', '  ', '\t', '\u00a0', 'WASHDC', '7', '32', '9', '0', '123456', 'X'];
    fc.assert(
      fc.property(line(pieces), (l) => {
        const m = SERIAL_SUFFIX.exec(l);
        assert.deepEqual(serialSuffix(l), m ? { serial: m[1], index: m.index } : null, JSON.stringify(l));
      }),
      RUNS,
    );
    assert.deepEqual(serialSuffix('RUEHC/SECSTATE WASHDC 7329'), { serial: '7329', index: 21 });
  });

  it('routing indicators: riPrefix and isBareRi read what RI_PREFIX and /^R[A-Z]{3,7}$/ find in a squashed line', () => {
    const pieces = [
      'R',
      'RUEH',
      'C',
      'MO',
      'ABCDEFG',
      '/',
      ' ',
      '  ',
      '\t',
      '\u00a0',
      'SECSTATE',
      'x',
      'é',
      '\n',
      '7329',
    ];
    fc.assert(
      fc.property(line(pieces), (raw) => {
        const l = squash(raw);
        const m = RI_PREFIX.exec(l);
        assert.deepEqual(riPrefix(l), m ? { ri: m[1], rest: m[2] } : null, JSON.stringify(l));
        assert.equal(isBareRi(l), /^R[A-Z]{3,7}$/.test(l), JSON.stringify(l));
      }),
      RUNS,
    );
    assert.deepEqual(riPrefix('RUEHC /SECSTATE WASHDC 7329'), { ri: 'RUEHC', rest: 'SECSTATE WASHDC 7329' });
  });

  it('page markers: isPageMarker says what the page-marker patterns say', () => {
    const pieces = ['ULAANBAATA', ' ', '  ', '\t', '00000693', '002', '02', 'OF', 'PAGE', '182017Z', '1', '2009', 'x'];
    fc.assert(
      fc.property(line([...pieces, '\u00a0', '.5', 'Z']), (l) => {
        assert.equal(
          isPageMarker(l),
          PAGE_MARKERS.some((re) => re.test(l)),
          JSON.stringify(l),
        );
      }),
      RUNS,
    );
    for (const marker of [
      'ULAANBAATA 00000693 002 OF 002',
      'ROME 00001199 009 OF 009 ',
      'PAGE 02 CAPE T 00097 01 OF 03 182017Z',
    ])
      assert.ok(isPageMarker(marker), marker);
    assert.ok(!isPageMarker('the elections of 2009'));
  });

  it('page markers: every line isPageMarker takes is noted while the text is cut', () => {
    const pieces = [
      'ULAANBAATA 00000693 002 OF 002',
      'PAGE 02 CAPE T 00097 01 OF 03 182017Z',
      'ROME 00001199 009 OF 009',
      'text',
      '\n',
      '\r\n',
    ];
    const more = [' ', '  ', '\t', '\\', '1', 'Z', 'z', '\u00a0', '&amp;', 'Kabuye,s', '\u2028', '9.'];
    fc.assert(
      fc.property(line([...pieces, ...more]), (text) => {
        const { lines, digitOrZEnds } = normalisedCable(text);
        lines.forEach((l, k) => {
          if (isPageMarker(l)) assert.ok(digitOrZEnds.includes(k), JSON.stringify(text));
        });
      }),
      RUNS,
    );
    assert.deepEqual(normalisedCable('a\nULAANBAATA 00000693 002 OF 002\nb').digitOrZEnds, [1]);
  });

  it('body lines: cutting at the noted page markers gives what reading each line gives', () => {
    const notice = 'This record is a partial extract of the original cable.';
    const pieces = ['ULAANBAATA 00000693 002 OF 002', 'PAGE 02 CAPE T 00097 01 OF 03 182017Z', notice, 'text', '', '1'];
    // What bodyLinesOf did before it cut at the noted markers: every line tested.
    const readOneByOne = (lines: readonly string[], from: number): string[] => {
      const out: string[] = [];
      for (let i = from, kept = 0; i < lines.length; i++) {
        if (isPageMarker(lines[i]!)) continue;
        if (kept++ < 3 && lines[i]!.includes('partial extract')) continue;
        out.push(lines[i]!);
      }
      return out;
    };
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 14 }), fc.nat(6), (chosen, from) => {
        const { lines, digitOrZEnds } = normalisedCable(chosen.join('\n'));
        const start = Math.min(from, lines.length);
        assert.deepEqual(bodyLinesOf(lines, start, digitOrZEnds), readOneByOne(lines, start), JSON.stringify(chosen));
      }),
      RUNS,
    );
    assert.deepEqual(bodyLinesOf(['a', notice, 'ROME 00001199 009 OF 009', 'b'], 0, [2]), ['a', 'b']);
  });

  it('colon labels: `Cable dated:` and `refid:` are found wherever they stand, as a search for each would', () => {
    const pieces = [
      'Cable dated:',
      'able dated',
      'refid:',
      'refid',
      'dated:',
      'd:',
      ':',
      'id:',
      ' ',
      '\n',
      'SUBJECT:',
      'x',
    ];
    fc.assert(
      fc.property(line(pieces), (text) => {
        assert.deepEqual(
          colonLabels(text),
          { refid: text.includes('refid:'), cableDated: text.includes('able dated:') },
          JSON.stringify(text),
        );
      }),
      RUNS,
    );
  });

  it('year clues: a model reads from the clues it needs the year it reads from all of them', () => {
    const pieces = [
      ' ',
      '. ',
      'Saturday, July 9',
      'Friday Jan 2',
      'Monday, March 3',
      'in 2005',
      'by 2006',
      '2004',
      'x',
    ];
    const models = fc.record({
      rules: fc.subarray([...YEAR_RULES]),
      declassifyOffsets: fc.subarray([10, 20, 25, 5, 9], { minLength: 1 }),
      referenceGap: fc.integer({ min: 0, max: 2 }),
    });
    const decl = fc.constantFrom(null, '2015-07-09', '2018-01-01', '2030-12-31');
    const refs = fc.array(fc.integer({ min: 1995, max: 2010 }), { maxLength: 2 });
    fc.assert(
      fc.property(models, decl, line(pieces), refs, (m, d, text, r) => {
        const rules = YEAR_RULES.filter((rule) => m.rules.includes(rule));
        const model = { ...m, rules };
        assert.deepEqual(inferYear(yearCluesFor(model, d, text, r), model), inferYear(yearClues(d, text, r), model));
      }),
      { numRuns: 3_000 },
    );
    // The shipped model reads no latest year named, and no weekday dates without a declassification date.
    const text = 'On Saturday, July 9 the talks stalled. Elections are due in 2006.';
    assert.deepEqual(yearCluesFor(YEAR_MODEL, null, text, []), {
      declassifyYear: null,
      latestReferenceYear: null,
      weekdayYears: [],
      latestMention: null,
    });
    assert.deepEqual(
      yearCluesFor(YEAR_MODEL, '2015-07-09', text, []).weekdayYears,
      [1966, 1977, 1983, 1988, 1994, 2005],
    );
  });
});
