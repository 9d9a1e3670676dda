#!/usr/bin/env node
/**
 * `node --test` over the compiled test folders, the same on every Node the project supports: Node
 * 20 takes folders, newer Node reads its arguments as glob patterns (and a folder as nothing).
 * So the test files are listed here and passed one by one.
 *   node scripts/run-tests.mjs unit corpus integration [-- extra node --test flags]
 *
 * No test file may hold a run forever (one left a connection reconnecting to a stopped test server
 * and kept a CI run waiting until its 90 minutes ran out). `--test-timeout` bounds each file as a
 * whole by TEST_FILE_TIMEOUT_MS (20 minutes by default): a file that outlasts it is stopped and
 * reported `not ok` by its path (the tests after a hung one in that file do not run), the next file
 * runs, and the run exits non-zero.
 *
 * Not `--test-force-exit`: under process isolation it can end a file's process before the runner
 * has read all of the file's results, and the run then reports fewer tests than ran, still exiting
 * 0 (nodejs/node#64833). A CI run on Node 24 counted 271 of 294 tests that way, with the tail of
 * one file missing: a lost verdict could as well be a failure.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const dash = args.indexOf('--');
const tiers = dash >= 0 ? args.slice(0, dash) : args;
const extra = dash >= 0 ? args.slice(dash + 1) : [];

function testFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...testFiles(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const files = tiers.flatMap((t) => testFiles(join(root, 'dist', 'test', t)));
if (files.length === 0) {
  process.stderr.write(`no test files in ${tiers.join(', ')} (build first: npm run build)\n`);
  process.exit(1);
}
const timeoutMs = Number(process.env.TEST_FILE_TIMEOUT_MS ?? 20 * 60_000);
if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
  process.stderr.write(`TEST_FILE_TIMEOUT_MS must be a positive whole number of milliseconds\n`);
  process.exit(1);
}
const r = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=1', `--test-timeout=${timeoutMs}`, ...extra, ...files],
  { stdio: 'inherit' },
);
process.exit(r.status ?? 1);
