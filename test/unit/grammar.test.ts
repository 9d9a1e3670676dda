import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAddressLine } from '../../src/workers/stages/parse/addressees.js';
import { loadReferenceData } from '../../src/shared/reference/load.js';
import { findParagraphs, findSummary } from '../../src/workers/stages/parse/body.js';
import {
  inferYear,
  latestPresentYear,
  yearClues,
  type YearModel,
} from '../../src/workers/stages/parse/year-inference.js';
import { learnYearModel } from '../../bench/scoring/year-model.js';
import { matchBanner } from '../../src/workers/stages/parse/banner.js';
import { filingTime, parseDtg, parseUsDate } from '../../src/workers/stages/parse/dtg.js';
import { matchEo, parseClassifiedBy } from '../../src/workers/stages/parse/front-matter.js';
import { parseCable } from '../../src/workers/stages/parse/index.js';
import { parseReferences } from '../../src/workers/stages/parse/references.js';
import { canonicalStation } from '../../src/shared/cable-identity.js';
import { splitTags } from '../../src/workers/stages/parse/tags.js';
import { normaliseText } from '../../src/workers/stages/parse/text.js';

describe('date-time groups and filing times', () => {
  it('reads DTGs and rejects impossible dates', () => {
    assert.equal(parseDtg('R 091117Z FEB 07')?.sentAt, '2007-02-09T11:17:00Z');
    assert.equal(parseDtg('P 151240Z NOV 02')?.sentAt, '2002-11-15T12:40:00Z');
    assert.equal(parseDtg('R 171512Z JAN 90')?.sentAt, '1990-01-17T15:12:00Z');
    assert.equal(parseDtg('R 281200Z DEC 66')?.sentAt, '1966-12-28T12:00:00Z');
    assert.equal(parseDtg('R 301200Z FEB 07'), null);
    assert.equal(parseDtg('R 092517Z FEB 07'), null);
  });
  it('resolves Julian filing days against the DTG year, across new year', () => {
    const dtg = parseDtg('R 140901Z DEC 07');
    assert.equal(filingTime(348, '0901', dtg), '2007-12-14T09:01:00Z');
    const jan = parseDtg('R 010030Z JAN 08');
    assert.equal(filingTime(365, '2359', jan), '2007-12-31T23:59:00Z');
  });
  it('reads US dates in E.O. lines', () => {
    assert.equal(parseUsDate('02/08/2017'), '2017-02-08');
    assert.equal(parseUsDate('1/29/2019'), '2019-01-29');
    assert.equal(parseUsDate('06/03/08'), '2008-06-03');
    assert.equal(parseUsDate('13/45/2019'), null);
  });
});

describe('address lines', () => {
  it('splits RI/PLA, precedence and serial', () => {
    assert.deepEqual(parseAddressLine('RUEHC/SECSTATE WASHDC 7329'), {
      ri: 'RUEHC',
      pla: 'SECSTATE WASHDC',
      precedence: null,
      serial: '7329',
      excluded: false,
    });
    assert.deepEqual(parseAddressLine('SECSTATE WASHDC PRIORITY 6070'), {
      ri: null,
      pla: 'SECSTATE WASHDC',
      precedence: 'PRIORITY',
      serial: '6070',
      excluded: false,
    });
    assert.deepEqual(parseAddressLine('RUEHBS/USEU BRUSSELS NIACT IMMEDIATE 0042'), {
      ri: 'RUEHBS',
      pla: 'USEU BRUSSELS',
      precedence: 'NIACT IMMEDIATE',
      serial: '0042',
      excluded: false,
    });
    assert.equal(parseAddressLine('AMEMBASSY ADANA PIORITY')?.precedence, 'PRIORITY');
    assert.equal(parseAddressLine('ALL DIPLOMATIC POSTS COLLECTIVE PRIORITY')?.pla, 'ALL DIPLOMATIC POSTS COLLECTIVE');
  });
});

describe('banner', () => {
  it('reads spaced, plain, sectioned and sentence-case banners', () => {
    assert.deepEqual(
      (({ classification, station, serial }) => ({ classification, station, serial }))(
        matchBanner('S E C R E T MOSCOW 000584')!,
      ),
      { classification: 'SECRET', station: 'MOSCOW', serial: '584' },
    );
    const b = matchBanner('UNCLAS SECTION 01 OF 02 THE HAGUE 001695')!;
    assert.equal(b.classification, 'UNCLASSIFIED');
    assert.equal(b.station, 'THE HAGUE');
    assert.equal(b.section, 1);
    assert.equal(b.sectionCount, 2);
    assert.equal(matchBanner('S e c r e t state 068250')?.station, 'STATE');
    assert.equal(matchBanner('C O N F I D E N T I A L        ABU DHABI 02641')?.station, 'ABU DHABI');
    assert.equal(matchBanner('This is not a banner 12'), null);
  });
});

describe('front matter', () => {
  it('reads E.O. lines', () => {
    assert.equal(matchEo('E.O. 12958: DECL: 02/08/2017')?.declassifyOn, '2017-02-08');
    assert.equal(matchEo('EO 12958 DECL: 11/01/2014')?.order, '12958');
    assert.equal(matchEo('E.O. 12958: N/A')?.declassifyRule, 'N/A');
    assert.equal(matchEo('E.O. 12356: DECL: OADR')?.declassifyRule, 'OADR');
  });
  it('splits TAGS into the words the pages link, keeping glued entries and their parts', () => {
    assert.deepEqual(splitTags('PTER, PGOV, ASEC'), ['PTER', 'PGOV', 'ASEC']);
    assert.deepEqual(splitTags('OVIP (CLINTON, HILLARY) PREL'), ['OVIP', 'CLINTON', 'HILLARY', 'PREL']);
    assert.deepEqual(splitTags('KCRM KWMN ASEC PHUMBA', new Set(['PHUM', 'BA'])), [
      'KCRM',
      'KWMN',
      'ASEC',
      'PHUMBA',
      'PHUM',
      'BA',
    ]);
    assert.deepEqual(splitTags('PGOV, PINS, ZI, MDC, ZANU-PF'), ['PGOV', 'PINS', 'ZI', 'MDC', 'ZANU-PF', 'ZANU', 'PF']);
    assert.deepEqual(splitTags('PHUM, OPRC, OPRC, IT, HUMAN RIGHTS'), ['PHUM', 'OPRC', 'IT', 'HUMAN', 'RIGHTS']);
    assert.deepEqual(splitTags('PREL, UNGA/C-6'), ['PREL', 'UNGA/C-6', 'UNGA/C', '6']);
  });
  it('splits glued codes only into codes, and mends a code misspelt with one extra letter', () => {
    const known = new Set([
      'AMED',
      'CASC',
      'MASS',
      'MNUC',
      'MOPS',
      'UNESCO',
      'PO',
      'LI',
      'TI',
      'CS',
      'DO',
      'IC',
      'EUN',
      'CH',
    ]);
    // One unknown four-letter code among known ones (the vocabulary lags behind the codes in use).
    assert.deepEqual(splitTags('AMEDCASCKFLO', known), ['AMEDCASCKFLO', 'AMED', 'CASC', 'KFLO']);
    assert.deepEqual(splitTags('MASSMNUC EUNCH', known), ['MASSMNUC', 'MASS', 'MNUC', 'EUNCH', 'EUN', 'CH']);
    // Words are not glued country codes, nor codes with an unknown part in between.
    assert.deepEqual(splitTags('DOMESTIC POLITICS', known), ['DOMESTIC', 'POLITICS']);
    assert.deepEqual(splitTags('PTER MOPPS UNDESCO', known), ['PTER', 'MOPPS', 'MOPS', 'UNDESCO', 'UNESCO']);
  });
  it('finds garbled TAGS labels, also run on after the E.O. line', () => {
    const tags = (text: string): string[] => {
      const r = parseCable(`UNCLAS STATE 000001\n\n${text}\nSUBJECT: TEST\n\n1. Text.`);
      return r.ok ? r.value.tags : ['parse failed'];
    };
    assert.deepEqual(tags('E.O. 12958: DECL: 08/22/2017 AGS: PGOV, PREL, AR'), ['PGOV', 'PREL', 'AR']);
    assert.deepEqual(tags('E.O. 12958: N/A\nTAGES:  OIIP, KPAO, JO'), ['OIIP', 'KPAO', 'JO']);
    // A TAGS line that lost its label, between E.O. and SUBJECT: only when every word is a known code.
    const known = { knownTags: loadReferenceData().knownTags };
    const unlabelled = (line: string): string[] => {
      const r = parseCable(`UNCLAS BEIJING 003662\n\nE.O. 12958: N/A\n${line}\nSUBJECT: TEST\n\n1. Text.`, known);
      return r.ok ? r.value.tags : ['parse failed'];
    };
    assert.deepEqual(unlabelled('EFIN, ECON, EINV, PGOV, CH'), ['EFIN', 'ECON', 'EINV', 'PGOV', 'CH']);
    assert.deepEqual(unlabelled('PASS TO TREASURY'), []);
  });
  it('reads classified-by names and reasons', () => {
    const c = parseClassifiedBy('Ambassador Mark C. Minton for Reason 1.4(d).');
    assert.deepEqual(c.reasons, ['1.4(d)']);
    assert.equal(c.name, 'Mark C. Minton');
    // A name wrapped inside a word is joined back; short words after a name stay apart.
    assert.equal(parseClassifiedBy('Ambassador Richa rd Smith for reasons 1.4 (b)').name, 'Richard Smith');
    assert.equal(parseClassifiedBy('Charge d Affaires Hoyt Y ee, for reasons 1.4 (b)').name, 'Hoyt Yee');
    assert.equal(parseClassifiedBy('Political Counselor Ann Lee for reasons 1.4 (b) and (d)').name, 'Ann Lee');
    assert.deepEqual(parseClassifiedBy('DCM ROBERT S. DEUTSCH; REASONS 1.5 (B) AND (D).').reasons, [
      '1.5(b)',
      '1.5(d)',
    ]);
  });
  it('resolves lettered cable references by the year rule (written year, else the citing year)', () => {
    const refs = parseReferences('A. MANAMA 165 B. MANAMA 320 C. STATE 40721', {
      year: 2008,
      station: 'MANAMA',
      serial: 300,
    });
    assert.deepEqual(
      refs.map((r) => [r.letter, r.cableId]),
      [
        ['A', '08MANAMA165'],
        ['B', '08MANAMA320'],
        ['C', '08STATE40721'],
      ],
    );
    assert.equal(
      parseReferences('06 TBILISI 0619', { year: 2008, station: null, serial: null })[0]?.cableId,
      '06TBILISI619',
    );
  });
  it('reads the less regular reference forms', () => {
    const ids = (raw: string, year = 2002): Array<string | null> =>
      parseReferences(raw, { year, station: null, serial: null }).map((r) => r.cableId);
    assert.deepEqual(ids('A) 377 KATHMANDU, B) 01 KATHMANDU 2383'), ['02KATHMANDU377', '01KATHMANDU2383']);
    assert.deepEqual(ids('AMMAN 07718 99, AMMAN 05986 00'), ['99AMMAN7718', '00AMMAN5986']);
    assert.deepEqual(ids('COLOMBO CABLES 0266 AND 02259 (2002)', 2003), ['03COLOMBO266', '02COLOMBO2259']);
    assert.deepEqual(ids('PRAGUE 849, PRAGUE, 1228', 2008), ['08PRAGUE849', '08PRAGUE1228']);
    // `(C)` after `(B)` is the next bullet, not a portion mark.
    const lettered = parseReferences('(A) 03 Brasilia 3939 (B) 03 Brasilia 3867 (C) 03 Brasilia 3347', {
      year: 2004,
      station: null,
      serial: null,
    });
    assert.deepEqual(
      lettered.map((r) => r.letter),
      ['A', 'B', 'C'],
    );
    // A letter written twice is a second item under it; an e-mail stays an e-mail.
    const twice = parseReferences('A) TALLINN 366 B) LEE-GOLDSTEIN EMAIL 05/11/07 B) TALLINN 347', {
      year: 2007,
      station: null,
      serial: null,
    });
    assert.deepEqual(
      twice.map((r) => [r.letter, r.kind, r.cableId]),
      [
        ['A', 'cable', '07TALLINN366'],
        ['B', 'email', null],
        ['B', 'cable', '07TALLINN347'],
      ],
    );
  });
  it('keeps a REF list across a page break inside an item', () => {
    const r = parseCable(
      'P 011200Z JUN 04\nFM AMEMBASSY BRASILIA\nTO SECSTATE WASHDC\n\nUNCLAS BRASILIA 002680\n\nE.O. 12958: N/A\nTAGS: ECON\nSUBJECT: TEST\nREF:   A) BRASILIA 2605, B) BRASILIA 2447, C) RIO \n \nDE JANEIRO 1291 \n\n1. Text.\n',
      { knownStations: loadReferenceData().stations },
    );
    assert.ok(r.ok);
    assert.deepEqual(
      r.value.references.map((x) => x.cableId),
      ['04BRASILIA2605', '04BRASILIA2447', '04RIODEJANEIRO1291'],
    );
  });
  it('ends a REF list where a paragraph starts on its line (line breaks lost)', () => {
    const body =
      'The UK was the fourth largest recipient of investment in 2008. Taxes are GBP 300 and STATE 1 says so. '.repeat(
        40,
      );
    const text = `R 150900Z JAN 10\nFM AMEMBASSY LONDON\nTO SECSTATE WASHDC\n\nUNCLAS LONDON 000092\n\nE.O. 12958: N/A\nTAGS: EINV\nSUBJECT: INVESTMENT CLIMATE\nREF: 09 State 124006  LONDON 00000092  001.3 OF 012   1.  In response to reftel, ${body}\n`;
    const r = parseCable(text, { knownStations: loadReferenceData().stations });
    assert.ok(r.ok);
    assert.deepEqual(
      r.value.references.map((x) => x.cableId),
      ['09STATE124006'],
    );
  });
  it('ends Classified By where a paragraph starts on its line, so portion marks are not read as reasons', () => {
    const body = 'Despite some evidence in 2007 of a thaw (C) the government denied it. '.repeat(80);
    const text = `O R 031354Z JUL 08\nFM AMEMBASSY TRIPOLI\nTO SECSTATE WASHDC IMMEDIATE 3637\n\nC O N F I D E N T I A L TRIPOLI 000530\n\nE.O. 12958: DECL: 6/25/2018\nTAGS: PGOV PREL PHUM ODIP LY\nSUBJECT: LIBYA'S BERBER MINORITY STILL OUT IN THE COLD\n\nCLASSIFIED BY: Chris Stevens, CDA, AmEmbassy Tripoli, State. REASON: 1.4 (b), (d)  1.  (C)  Summary: ${body} REF: this is not a REF line.\n`;
    const r = parseCable(text, { knownStations: loadReferenceData().stations });
    assert.ok(r.ok);
    assert.deepEqual(r.value.classifiedBy, {
      raw: 'Chris Stevens, CDA, AmEmbassy Tripoli, State. REASON: 1.4 (b), (d)',
      name: 'Chris Stevens',
      reasons: ['1.4(b)', '1.4(d)'],
    });
    // Run-on fields are looked for at the top of a line that is a whole cable, not in its body.
    assert.deepEqual(r.value.references, []);
  });
  it('reads the first paragraph after a page marker in the front matter', () => {
    const text = [
      'R 281200Z JAN 07',
      'FM AMCONSUL DUBAI',
      'TO SECSTATE WASHDC',
      '',
      'C O N F I D E N T I A L DUBAI 000059',
      '',
      'E.O. 12958: DECL: 1/28/2017',
      'TAGS: PGOV PINS',
      'SUBJECT: A MEETING',
      '',
      'DUBAI 00000059  001.2 OF 002',
      '',
      'CLASSIFIED BY: Paul R Sutphin, Consul General. REASON: 1.4 (b), (d)',
      '',
      '1.(C) Summary: the first paragraph.',
      '',
      '2.(C) The second.',
      '',
      '3.(S) The third.',
      '',
    ].join('\n');
    const r = parseCable(text, {});
    assert.ok(r.ok);
    assert.deepEqual(
      r.value.paragraphs.map((p) => `${p.number} ${p.portionMark}`),
      ['1 C', '2 C', '3 S'],
    );
    assert.equal(r.value.paragraphs[0]!.text, 'Summary: the first paragraph.');
  });
  it('keeps the paragraphs after a lost one, and a stray number does not swallow those it skips', () => {
    const lost = ['SUMMARY', '-------1.(U) Ran into the rule.', '2.(U) Second.', '3.(U) Third.'];
    assert.deepEqual(
      findParagraphs(lost).map((p) => `${p.number} ${p.portionMark}`),
      ['1 U', '2 U', '3 U'],
    );
    assert.deepEqual(
      findParagraphs(['2.(U) Second, the first lost.', '3.(C) Third.']).map((p) => p.number),
      [2, 3],
    );
    const stray = [
      '¶1. (C) One.',
      '¶2. (C) Two.',
      '¶3. (C) Three.',
      '¶8. A stray number.',
      '¶4. (C) Four.',
      '¶5. (C) Five.',
    ];
    assert.deepEqual(
      findParagraphs(stray).map((p) => p.number),
      [1, 2, 3, 4, 5],
    );
    // Unmarked list items that skip or restart stay inside their paragraph.
    const list = ['1. (C) One:', '1. An item', '4. Another', '2. (C) Two.'];
    assert.deepEqual(
      findParagraphs(list).map((p) => p.number),
      [1, 2],
    );
  });
  it('canonicalises station spellings', () => {
    assert.equal(canonicalStation('RIO DE JAN'), 'RIODEJANEIRO');
    assert.equal(canonicalStation('SECSTATE'), 'STATE');
    assert.equal(canonicalStation('THE HAGUE'), 'THEHAGUE');
    assert.equal(canonicalStation('PAUP'), 'PORTAUPRINCE');
  });
});

describe('summaries', () => {
  it('ends at END SUMMARY, which is not itself a summary label, and drops paragraph marks', () => {
    assert.equal(
      findSummary('1. (C) German FM Westerwelle told us. END SUMMARY.\n\n2. (C) More.'),
      'German FM Westerwelle told us.',
    );
    assert.equal(
      findSummary(
        '1. (S//NF) SUMMARY AND COMMENT: During a visit\n\n2. (C) EU officials praised\n\n3. (C) The content. END SUMMARY AND COMMENT.',
      ),
      'During a visit EU officials praised The content.',
    );
    assert.equal(
      findSummary(
        'SUMMARY AND INTRODUCTION\n‐‐‐‐‐‐‐‐‐‐‐‐\n\n2. (C) Torrijos squandered opportunities. END SUMMARY AND INTRODUCTION.',
      ),
      'Torrijos squandered opportunities.',
    );
  });
});

describe('text clean-up', () => {
  it('handles CRLF, markdown links, trailing spaces and the ,s artefact', () => {
    // No blank line at the end: shared/text.ts's definition of the text.
    assert.equal(normaliseText('TAGS: [PREF](#) [PREL](#)  \r\nKabuye,s case\r\n'), "TAGS: PREF PREL\nKabuye's case");
  });
});

describe('whole-cable variants', () => {
  it('reads a header with no routing indicators and a page break inside the address list', () => {
    const text = [
      'P 182318Z FEB 09',
      'FM SECSTATE WASHDC',
      'TO PAGE 02        STATE   015113  182333Z',
      'ALL DIPLOMATIC POSTS COLLECTIVE PRIORITY',
      'AMEMBASSY TRIPOLI PRIORITY',
      '',
      'S E C R E T STATE 015113',
      '',
      'NOFORN, NOT FOR INTERNET DISTRIBUTION',
      '',
      'E.O. 12958: DECL: 1/29/2019',
      'TAG PTER, PGOV, ASEC',
      'SUBJECT: REQUEST FOR INFORMATION',
      '',
      '¶1. (U//FOUO) This is an action request.',
    ].join('\n');
    const r = parseCable(text);
    assert.ok(r.ok);
    assert.equal(r.value.cableId, '09STATE15113');
    assert.deepEqual(
      r.value.to.map((a) => [a.ri, a.pla, a.precedence]),
      [
        [null, 'ALL DIPLOMATIC POSTS COLLECTIVE', 'PRIORITY'],
        [null, 'AMEMBASSY TRIPOLI', 'PRIORITY'],
      ],
    );
    assert.ok(r.value.caveats.includes('NOFORN'));
    assert.deepEqual(r.value.tags, ['PTER', 'PGOV', 'ASEC']);
  });
  it('restores a "Cable dated:" run-on', () => {
    const text =
      'P 151240Z NOV 02\nFM AMEMBASSY ANKARA\nTO SECSTATE WASHDC PRIORITY 6070\n\nCable dated:2002-11-15T12:40:00S E C R E T SECTION 01 OF 05 ANKARA 008305S/CT FOR REAPE.O. 12958: DECL: 11/14/2012 TAGS: PTER TU\n\n¶1. (U) CLASSIFIED BY DCM ROBERT S. DEUTSCH; REASONS 1.5 (B) AND (D).\n';
    const r = parseCable(text);
    assert.ok(r.ok);
    assert.equal(r.value.cableId, '02ANKARA8305');
    assert.equal(r.value.classification, 'SECRET');
    assert.deepEqual(r.value.tags, ['PTER', 'TU']);
    assert.equal(r.value.eo?.declassifyOn, '2012-11-14');
    assert.deepEqual(r.value.classifiedBy?.reasons, ['1.5(b)', '1.5(d)']);
  });
  it('reads a saved cablegate page from its full text, not its cut preview', () => {
    const text = [
      'UNCLAS LIMA 002129',
      'SUBJECT: REFORM WITHOUT REV...',
      'id: 112682',
      'date: 6/19/2007 17:12',
      'refid: 07LIMA2129',
      'origin: Embassy Lima',
      'header:',
      'P 191712Z JUN 07',
      'FM AMEMBASSY LIMA',
      'TO SECSTATE WASHDC PRIORITY 5894',
      '',
      '----------------- header ends ----------------',
      '',
      'UNCLAS LIMA 002129',
      '',
      'E.O. 12958: N/A',
      'TAGS: PGOV PE',
      'SUBJECT: REFORM WITHOUT REVOLUTION: THE VIEW FROM PUNO',
      '',
      'REF: A. LIMA 1841',
      '     B. LIMA 2126',
      '',
      '1. (SBU) Text.',
    ].join('\n');
    const r = parseCable(text);
    assert.ok(r.ok);
    assert.equal(r.value.subject, 'REFORM WITHOUT REVOLUTION: THE VIEW FROM PUNO');
    assert.deepEqual(
      r.value.references.map((x) => x.cableId),
      ['07LIMA1841', '07LIMA2126'],
    );
  });
  it('infers the year of an undated extract from its clues, by the rules the model keeps', () => {
    const all: YearModel = {
      declassifyOffsets: [10, 5, 20, 25],
      referenceGap: 1,
      rules: ['declassification', 'reference', 'weekday', 'mention'],
    };
    const year = (decl: string | null, text: string, refs: number[] = [], m = all): number | null =>
      inferYear(yearClues(decl, text, refs), m)?.year ?? null;
    // DECL less ten years, unless a weekday named in the text rules that year out.
    assert.equal(year('2015-03-11', 'text'), 2005);
    assert.equal(year('2010-03-08', 'On Tuesday, March 8 Congress voted.'), 2005);
    // ... a coming weekday is fine: `Friday Jan 2` in a cable of December 2003.
    assert.equal(year('2013-12-31', 'The meeting is Friday Jan 2.'), 2003);
    // A reference written with its year is from the year before, the usual gap.
    assert.equal(year(null, 'the December 2002 acquittal', [2002]), 2003);
    // DECL 2016 with references from 2008: no usual span lands at or after 2008, the reference decides.
    assert.equal(year('2016-06-25', 'REF: 08 LAGOS 1 08 LAGOS 2', [2008]), 2009);
    // The latest year named, only when the model keeps that rule.
    assert.equal(year(null, 'Output fell in 2006.'), 2006);
    assert.equal(year(null, 'Output fell in 2006.', [], { ...all, rules: ['declassification', 'reference'] }), null);
    assert.equal(year(null, 'no clue at all'), null);
  });
  it('learns the spans and keeps only the rules that are right often enough where they decide', () => {
    const decl = (y: number, offset: number) => ({ clues: yearClues(`${y + offset}-01-01`, '', []), year: y });
    const mention = (y: number, said: number) => ({ clues: yearClues(null, `It happened in ${said}.`, []), year: y });
    const samples = [
      // DECL is ten years on for 30, five for 3 (9%: a span still tried after ten).
      ...Array.from({ length: 30 }, (_, i) => decl(1970 + i, 10)),
      ...Array.from({ length: 3 }, (_, i) => decl(1990 + i, 5)),
      // The latest year named is right in 2 of 6: not kept.
      ...Array.from({ length: 6 }, (_, i) => mention(2000 + i, i < 2 ? 2000 + i : 1999)),
    ];
    const m = learnYearModel(samples);
    assert.deepEqual(m.declassifyOffsets, [10, 5]);
    assert.deepEqual(m.rules, ['declassification']);
  });
  it('reads a year the text names as still to come as the year after the cable', () => {
    assert.equal(latestPresentYear('Seizures rose in 2004. Elections are scheduled for 2006.'), 2005);
    assert.equal(latestPresentYear('Material will be available from 2003.'), 2002);
    assert.equal(latestPresentYear('COSTA RICA INCSR REPORT 2005 - 2006'), 2005);
    assert.equal(latestPresentYear('the FY2010 budget request'), 2009);
    assert.equal(latestPresentYear('Exports should exceed $22 million in 2009, up from 2008.'), 2008);
    // `May` the month is not `may` the modal.
    assert.equal(latestPresentYear('The law passed in May 2006.'), 2006);
    // One plain mention of the year is enough to take it as the cable's.
    assert.equal(latestPresentYear('By 2006 it will open. The 2006 harvest was poor.'), 2006);
    assert.equal(latestPresentYear('In March 2005 the court ruled.'), 2005);
    assert.equal(latestPresentYear('no year here'), null);
  });
  it('marks an SBU cable NOFORN as SBU-NOFORN, a classified one as NOFORN', () => {
    const caveats = (banner: string): string[] => {
      const r = parseCable(`${banner}\n\nSIPDIS\nNOFORN\n\nE.O. 12958: N/A\nTAGS: PREL\nSUBJECT: TEST\n\n1. Text.`);
      return r.ok ? r.value.caveats : [];
    };
    assert.ok(caveats('UNCLAS E F T O LONDON 002883').includes('SBU-NOFORN'));
    assert.ok(!caveats('UNCLAS E F T O LONDON 002883').includes('NOFORN'));
    assert.ok(caveats('C O N F I D E N T I A L LONDON 002883').includes('NOFORN'));
  });
  it('rejects text with no mark of a cable as no_cable_header', () => {
    const r = parseCable('<html><body><p>Hello</p></body></html>');
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.failure.code, 'no_cable_header');
  });
});
