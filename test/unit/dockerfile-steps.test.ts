import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';
import { PACKAGE_ROOT } from '../helpers/paths.js';

/**
 * Issue #15: the Dockerfile's build steps, performed without Docker in a clean copy (install from
 * the lock, compile, prune to production dependencies), and the pruned app parses both seeds. A
 * change that would break `docker build` fails here.
 */
it('the Dockerfile builds (its steps without Docker) and the pruned app parses both seeds', () => {
  const r = spawnSync(process.execPath, [join(PACKAGE_ROOT, 'scripts', 'dockerfile-steps.mjs')], {
    encoding: 'utf8',
    timeout: 600_000,
  });
  assert.equal(r.status, 0, `${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`);
  assert.match(r.stdout, /parsed: 07MOSCOW584, 07ULAANBAATAR693/);
  assert.match(r.stdout, /RUN npm ci/);
});
