import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatScores, formatYearScore, scoreCorpus, scoreYearFromTextAlone, type Field } from '../helpers/corpus.js';

/**
 * The parser against 401 real cables and WikiLeaks' own metadata (../shared/corpus/dev). The
 * table is printed on every run. Floors are issue #3's targets, except where the dev corpus
 * itself caps the figure (see the comments): those floors hold the level reached, so a
 * regression still fails.
 */
const FLOORS: Record<Field, number> = {
  // Target 99%. Of 6 misses on dev: 4 pages whose body is another cable (88BAGHDAD28,
  // 05MUSCAT679, 09BANGKOK706, 05LIMA3609: the id's serial is nowhere in the text) and 2 partial
  // extracts whose text gives no date (the year inferred from weaker clues is wrong, or there is none).
  cable_id: 98.5,
  sent_at: 99,
  classification: 98.5,
  // SBU cables marked NOFORN carry SBU-NOFORN, as the archive's classification field reads them.
  noforn: 98.5,
  origin: 98,
  subject: 95,
  tags: 97,
};

describe('dev corpus scored against truth.jsonl', () => {
  const { scores, crashes, n } = scoreCorpus();
  process.stdout.write(`\n${formatScores(scores)}\n(${n} cables; reproduce: npm run corpus:report)\n\n`);

  it('parses every cable without an exception', () => {
    assert.deepEqual(crashes, []);
    assert.equal(n, 401);
  });
  for (const [field, floor] of Object.entries(FLOORS) as Array<[Field, number]>) {
    it(`${field} agrees with truth on at least ${floor}%`, () => {
      const s = scores[field];
      const pct = (100 * s.agree) / s.total;
      assert.ok(pct >= floor, `${field}: ${pct.toFixed(2)}% < ${floor}%; first misses:\n${s.misses.slice(0, 10).join('\n')}`);
    });
  }
});

describe('the year of a cable with no date, inferred from its text', () => {
  // Every dev cable with a DTG, parsed again with its header taken off. Floors hold the level
  // reached (92.7% and 59.1%): the weaker clues of unclassified cables decide a bare majority.
  const score = scoreYearFromTextAlone();
  process.stdout.write(`\n${formatYearScore(score)}\n\n`);
  it('is right for at least 90% of cables with a declassification date', () => {
    const s = score.withDeclassifyDate;
    assert.ok(s.total > 200 && s.agree / s.total >= 0.9, `${s.agree} / ${s.total}`);
  });
  it('is right for at least 57% of the cables without one', () => {
    const s = score.withoutDeclassifyDate;
    assert.ok(s.total > 50 && s.agree / s.total >= 0.57, `${s.agree} / ${s.total}`);
  });
});
