import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { REASON_CODES, REASONS } from '../../src/shared/errors.js';
import { PACKAGE_ROOT } from '../helpers/paths.js';

// fastify's rule: every error code is documented, and no documented code is stale.
it('every reason code is documented in docs/OPERATIONS.md, and only those', () => {
  const doc = readFileSync(join(PACKAGE_ROOT, 'docs', 'OPERATIONS.md'), 'utf8');
  const documented = [...doc.matchAll(/^### `([a-z_]+)`/gm)].map((m) => m[1]);
  assert.deepEqual([...documented].sort(), [...REASON_CODES].sort());
  for (const code of REASON_CODES) {
    const section = doc.split(`### \`${code}\``)[1]!.split('\n### ')[0]!;
    assert.match(
      section,
      new RegExp(`^${REASONS[code].class},`, 'm'),
      `${code}: doc must open with its class (permanent, transient or outage)`,
    );
  }
});
