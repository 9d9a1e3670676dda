import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseCable } from '../../src/workers/stages/parse/index.js';
import { SEEDS_DIR } from '../helpers/paths.js';

const seed = (name: string): string => readFileSync(join(SEEDS_DIR, name), 'utf8');

function parsed(name: string) {
  const r = parseCable(seed(name));
  assert.ok(r.ok, `seed ${name} should parse`);
  return r.value;
}

describe('seed 000 (07MOSCOW584, markdown rendering)', () => {
  const c = parsed('000_c3a957b28fce9504.txt');
  it('reads the canonical id, DTG and filing time', () => {
    assert.equal(c.cableId, '07MOSCOW584');
    assert.equal(c.dtg?.sentAt, '2007-02-09T11:17:00Z');
    assert.equal(c.filedAt, '2007-02-09T11:17:00Z');
    assert.equal(c.precedence, 'ROUTINE');
  });
  it('reads the header lines', () => {
    assert.equal(c.transmission?.id, 'VZCZCXYZ0000');
    assert.deepEqual(c.relay, { prosign: 'RR', ris: ['RUEHWEB'] });
    assert.deepEqual(c.originStation, { ri: 'RUEHMO', serial: '0584', section: null, julianDay: 40, time: '1117' });
    assert.deepEqual(c.securityLine, { signal: 'ZNY', letters: 'SSSSS' });
  });
  it('reads FM, TO and INFO with serials', () => {
    assert.equal(c.from?.pla, 'AMEMBASSY MOSCOW');
    assert.deepEqual(c.to, [
      { ri: 'RUEHC', pla: 'SECSTATE WASHDC', precedence: null, serial: '7329', excluded: false },
    ]);
    assert.deepEqual(
      c.info.map((a) => a.ri),
      ['RUEHBJ', 'RUEHBK', 'RUEHUM', 'RUEHUL', 'RUEHSH', 'RUEHGV'],
    );
    assert.equal(c.info[5]?.pla, 'USMISSION GENEVA');
  });
  it('strips the markdown links from TAGS and keeps their order', () => {
    assert.deepEqual(c.tags, ['PREF', 'PREL', 'PHUM', 'PGOV', 'RS', 'KN']);
  });
  it('reads banner, caveats, E.O., subject, reference, classified-by, paragraphs and signer', () => {
    assert.equal(c.classification, 'SECRET');
    assert.deepEqual(c.caveats, ['SIPDIS']);
    assert.equal(c.eo?.declassifyOn, '2017-02-08');
    assert.equal(c.subject, 'UNHCR COMPLETES INTERVIEWS OF NORTH KOREANS');
    assert.deepEqual(c.references, [{ letter: null, raw: 'MOSCOW 211', kind: 'cable', cableId: '07MOSCOW211' }]);
    assert.deepEqual(c.classifiedBy?.reasons, ['1.4(b)', '1.4(d)']);
    assert.match(c.classifiedBy?.name ?? '', /Alice Wells/);
    assert.deepEqual(
      c.paragraphs.map((p) => p.number),
      [1, 2, 3, 4],
    );
    assert.deepEqual(
      c.paragraphs.map((p) => p.portionMark),
      ['S', 'S', 'S', 'S'],
    );
    assert.deepEqual(c.signers, ['BURNS']);
  });
});

describe('seed 004 (07ULAANBAATAR693, `11.` standing for `¶1.`)', () => {
  const c = parsed('004_8064cce5387d321f.txt');
  it('reads id, section and DTG', () => {
    assert.equal(c.cableId, '07ULAANBAATAR693');
    assert.equal(c.originStation?.section, '01');
    assert.equal(c.banner?.section, 1);
    assert.equal(c.banner?.sectionCount, 2);
    assert.equal(c.dtg?.sentAt, '2007-12-14T09:01:00Z');
    assert.equal(c.filedAt, '2007-12-14T09:01:00Z');
  });
  it('reads addressees without serials (RUEHLMC/MILLENNIUM CHALLENGE CORP WASHDC)', () => {
    const lmc = c.info.find((a) => a.ri === 'RUEHLMC');
    assert.deepEqual(lmc, {
      ri: 'RUEHLMC',
      pla: 'MILLENNIUM CHALLENGE CORP WASHDC',
      precedence: null,
      serial: null,
      excluded: false,
    });
    assert.equal(c.info.length, 18);
  });
  it('keeps the handling line and renumbers 11., 12. ... to 1, 2 ...', () => {
    assert.deepEqual(c.handling, ['STATE DEPT FOR EAP/CM, EAP/K, G/TIP AND G/SENK']);
    assert.equal(c.paragraphs[0]?.number, 1);
    assert.equal(c.paragraphs[1]?.number, 2);
    assert.equal(c.paragraphs[0]?.portionMark, 'C');
  });
  it('takes the page marker out of the body', () => {
    assert.doesNotMatch(c.body, /ULAANBAATA 00000693 002 OF 002/);
    assert.match(c.body, /^C O N F I D E N T I A L SECTION 01 OF 02 ULAANBAATAR 000693/);
  });
  it('finds the summary', () => {
    assert.match(c.summary ?? '', /^Charles Harns, Regional Representative/);
    assert.doesNotMatch(c.summary ?? '', /END SUMMARY/);
  });
});
