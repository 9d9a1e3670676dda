import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAddressLine } from '../../src/workers/stages/parse/addressees.js';
import { matchBanner } from '../../src/workers/stages/parse/banner.js';
import { filingTime, parseDtg, parseUsDate } from '../../src/workers/stages/parse/dtg.js';
import { matchEo, parseClassifiedBy } from '../../src/workers/stages/parse/front-matter.js';
import { parseCable } from '../../src/workers/stages/parse/index.js';
import { parseReferences } from '../../src/workers/stages/parse/references.js';
import { canonicalStation } from '../../src/workers/stages/parse/stations.js';
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
    assert.deepEqual(parseAddressLine('RUEHC/SECSTATE WASHDC 7329'), { ri: 'RUEHC', pla: 'SECSTATE WASHDC', precedence: null, serial: '7329', excluded: false });
    assert.deepEqual(parseAddressLine('SECSTATE WASHDC PRIORITY 6070'), { ri: null, pla: 'SECSTATE WASHDC', precedence: 'PRIORITY', serial: '6070', excluded: false });
    assert.deepEqual(parseAddressLine('RUEHBS/USEU BRUSSELS NIACT IMMEDIATE 0042'), { ri: 'RUEHBS', pla: 'USEU BRUSSELS', precedence: 'NIACT IMMEDIATE', serial: '0042', excluded: false });
    assert.equal(parseAddressLine('AMEMBASSY ADANA PIORITY')?.precedence, 'PRIORITY');
    assert.equal(parseAddressLine('ALL DIPLOMATIC POSTS COLLECTIVE PRIORITY')?.pla, 'ALL DIPLOMATIC POSTS COLLECTIVE');
  });
});

describe('banner', () => {
  it('reads spaced, plain, sectioned and sentence-case banners', () => {
    assert.deepEqual(
      (({ classification, station, serial }) => ({ classification, station, serial }))(matchBanner('S E C R E T MOSCOW 000584')!),
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
    assert.deepEqual(splitTags('KCRM KWMN ASEC PHUMBA', new Set(['PHUM', 'BA'])), ['KCRM', 'KWMN', 'ASEC', 'PHUMBA', 'PHUM', 'BA']);
    assert.deepEqual(splitTags('PGOV, PINS, ZI, MDC, ZANU-PF'), ['PGOV', 'PINS', 'ZI', 'MDC', 'ZANU', 'PF']);
    assert.deepEqual(splitTags('PHUM, OPRC, OPRC, IT, HUMAN RIGHTS'), ['PHUM', 'OPRC', 'IT', 'HUMAN', 'RIGHTS']);
  });
  it('reads classified-by names and reasons', () => {
    const c = parseClassifiedBy('Ambassador Mark C. Minton for Reason 1.4(d).');
    assert.deepEqual(c.reasons, ['1.4(d)']);
    assert.equal(c.name, 'Mark C. Minton');
    assert.deepEqual(parseClassifiedBy('DCM ROBERT S. DEUTSCH; REASONS 1.5 (B) AND (D).').reasons, ['1.5(b)', '1.5(d)']);
  });
  it('resolves lettered cable references by the year rule (written year, else the citing year)', () => {
    const refs = parseReferences('A. MANAMA 165 B. MANAMA 320 C. STATE 40721', { year: 2008, station: 'MANAMA', serial: 300 });
    assert.deepEqual(refs.map((r) => [r.letter, r.cableId]), [
      ['A', '08MANAMA165'],
      ['B', '08MANAMA320'],
      ['C', '08STATE40721'],
    ]);
    assert.equal(parseReferences('06 TBILISI 0619', { year: 2008, station: null, serial: null })[0]?.cableId, '06TBILISI619');
  });
  it('canonicalises station spellings', () => {
    assert.equal(canonicalStation('RIO DE JAN'), 'RIODEJANEIRO');
    assert.equal(canonicalStation('SECSTATE'), 'STATE');
    assert.equal(canonicalStation('THE HAGUE'), 'THEHAGUE');
    assert.equal(canonicalStation('PAUP'), 'PORTAUPRINCE');
  });
});

describe('text clean-up', () => {
  it('handles CRLF, markdown links, trailing spaces and the ,s artefact', () => {
    assert.equal(normaliseText('TAGS: [PREF](#) [PREL](#)  \r\nKabuye,s case\r\n'), "TAGS: PREF PREL\nKabuye's case\n");
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
    assert.deepEqual(r.value.to.map((a) => [a.ri, a.pla, a.precedence]), [
      [null, 'ALL DIPLOMATIC POSTS COLLECTIVE', 'PRIORITY'],
      [null, 'AMEMBASSY TRIPOLI', 'PRIORITY'],
    ]);
    assert.ok(r.value.caveats.includes('NOFORN'));
    assert.deepEqual(r.value.tags, ['PTER', 'PGOV', 'ASEC']);
  });
  it('restores a "Cable dated:" run-on', () => {
    const text = 'P 151240Z NOV 02\nFM AMEMBASSY ANKARA\nTO SECSTATE WASHDC PRIORITY 6070\n\nCable dated:2002-11-15T12:40:00S E C R E T SECTION 01 OF 05 ANKARA 008305S/CT FOR REAPE.O. 12958: DECL: 11/14/2012 TAGS: PTER TU\n\n¶1. (U) CLASSIFIED BY DCM ROBERT S. DEUTSCH; REASONS 1.5 (B) AND (D).\n';
    const r = parseCable(text);
    assert.ok(r.ok);
    assert.equal(r.value.cableId, '02ANKARA8305');
    assert.equal(r.value.classification, 'SECRET');
    assert.deepEqual(r.value.tags, ['PTER', 'TU']);
    assert.equal(r.value.eo?.declassifyOn, '2012-11-14');
    assert.deepEqual(r.value.classifiedBy?.reasons, ['1.5(b)', '1.5(d)']);
  });
  it('rejects text with no mark of a cable as no_cable_header', () => {
    const r = parseCable('<html><body><p>Hello</p></body></html>');
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.failure.code, 'no_cable_header');
  });
});
