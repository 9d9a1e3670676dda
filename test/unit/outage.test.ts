import assert from 'node:assert/strict';
import { it } from 'node:test';
import { OutageBackoff } from '../../src/workers/outage.js';

it('outage backoff doubles to its cap, with jitter, and resets on recovery', () => {
  const b = new OutageBackoff(1_000, 5_000, () => 1); // jitter at its top: the full delay
  assert.deepEqual(
    [
      b.next('es_unavailable', 0),
      b.next('es_unavailable'),
      b.next('es_unavailable'),
      b.next('es_unavailable'),
      b.next('es_unavailable'),
    ],
    [1_000, 2_000, 4_000, 5_000, 5_000],
  );
  assert.deepEqual(b.status(), { outage: true, since: new Date(0).toISOString(), code: 'es_unavailable' });
  b.recovered();
  assert.equal(b.status().outage, false);
  assert.equal(b.next('es_overloaded'), 1_000);
  const low = new OutageBackoff(1_000, 5_000, () => 0);
  assert.equal(low.next('es_unavailable'), 500);
});
