import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { createMetrics, metricNames } from '../../src/shared/metrics.js';
import { PACKAGE_ROOT } from '../helpers/paths.js';

it('every exported metric is documented in docs/OPERATIONS.md, and only those', () => {
  const doc = readFileSync(join(PACKAGE_ROOT, 'docs', 'OPERATIONS.md'), 'utf8');
  const documented = [...doc.matchAll(/^\| `(cable_ingest_[a-z_]+)` \|/gm)].map((m) => m[1]).sort();
  assert.deepEqual(documented, metricNames(createMetrics()).sort());
});
