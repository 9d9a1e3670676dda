import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatIdBasis,
  formatScores,
  formatYearModel,
  scoreCorpus,
  yearModelReport,
  type Field,
} from '../../bench/scoring/corpus.js';

/**
 * The parser against 401 real cables and WikiLeaks' own metadata (corpus/dev). The
 * table is printed on every run. Floors are issue #3's targets, except where the dev corpus
 * itself caps the figure (see the comments): those floors hold the level reached, so a
 * regression still fails.
 */
const FLOORS: Record<Field, number> = {
  // The level reached (96.51%), held against regression. Issue #13 expects at least 97% on the
  // sealed set. The misses: 10 undated cables whose year no rule that earns its place out of
  // fold settles keep their content's hash rather than a guess (9 of them had one before: 8
  // right, 1 wrong), and 4 pages whose body is another cable (88BAGHDAD28, 05MUSCAT679,
  // 09BANGKOK706, 05LIMA3609: the id's serial is nowhere in the text).
  cable_id: 96.5,
  // Ids whose year and serial are both written in the text, over cables that hold their own serial.
  read_id: 99.8,
  // Ids whose year was inferred (issue #13 expects 85% on unseen cables).
  inferred_id: 85,
  // Over every cable whose text holds a DTG anywhere, found by the parser or not.
  sent_at: 99.5,
  classification: 98.5,
  // SBU cables marked NOFORN carry SBU-NOFORN, as the archive's classification field reads them.
  noforn: 98.5,
  origin: 98,
  subject: 95,
  tags: 97,
};

describe('dev corpus scored against truth.jsonl', () => {
  const { scores, crashes, n, idBasis } = scoreCorpus();
  process.stdout.write(
    `\n${formatScores(scores)}\n(${n} cables; reproduce: npm run corpus:report)\n\n${formatIdBasis(idBasis)}\n\n`,
  );

  it('parses every cable without an exception', () => {
    assert.deepEqual(crashes, []);
    assert.equal(n, 401);
  });
  it('reads the id (year and serial written in the text) for at least 84% of cables', () => {
    assert.ok(idBasis.read / n >= 0.84, `${idBasis.read} / ${n}`);
  });
  for (const [field, floor] of Object.entries(FLOORS) as Array<[Field, number]>) {
    it(`${field} agrees with truth on at least ${floor}%`, () => {
      const s = scores[field];
      const pct = (100 * s.agree) / s.total;
      assert.ok(
        pct >= floor,
        `${field}: ${pct.toFixed(2)}% < ${floor}%; first misses:\n${s.misses.slice(0, 10).join('\n')}`,
      );
    });
  }
});

describe('the year model, learned and judged on different cables', () => {
  const report = yearModelReport();
  process.stdout.write(`\n${formatYearModel(report)}\n\n`);
  it('is the model learning on all of dev gives (no hand-fitted rule or span)', () => {
    assert.deepEqual(report.shipped, report.learned);
  });
  it('is right for at least 85% of the cables it gives a year, out of fold (10-fold cross-validation), and so is each rule it keeps', () => {
    const s = report.outOfFold;
    assert.ok(s.decided > 150 && s.right / s.decided >= 0.85, `${s.right} / ${s.decided}`);
    for (const rule of report.shipped.rules) {
      const r = s.byRule[rule];
      assert.ok(r && r.decided >= 5 && r.right / r.decided >= 0.85, `${rule}: ${r?.right} / ${r?.decided} out of fold`);
    }
  });
});
