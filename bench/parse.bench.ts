/**
 * Parser throughput on one core: every dev cable read into memory, then parse -> validate ->
 * enrich in a loop (no I/O). Prints cables/s, MB/s and peak memory; asserts nothing.
 *   npm run bench:parse -- --rounds 20
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PACKAGE_ROOT } from '../src/shared/paths.js';
import { loadReferenceData } from '../src/shared/reference/load.js';
import { enrichCable } from '../src/workers/stages/enrich/index.js';
import { parseCable } from '../src/workers/stages/parse/index.js';
import { validateCable } from '../src/workers/stages/validate.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '20' }, dir: { type: 'string' } } });
const dir = resolve(values.dir ?? join(PACKAGE_ROOT, '..', 'shared', 'corpus', 'dev'));
const texts = readdirSync(dir)
  .filter((n) => n.endsWith('.txt'))
  .map((n) => readFileSync(join(dir, n), 'utf8'));
const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
const ref = loadReferenceData();
const options = { knownTags: ref.knownTags, knownStations: ref.stations };
const meta = { file: { path: 'bench', sha256: '0'.repeat(64), size: 0, detectedAt: '2026-01-01T00:00:00.000Z' }, charset: 'utf-8', ingestedAt: '2026-01-01T00:00:00.000Z', parserVersion: 'bench' };

function run(stage: 'parse' | 'all'): number {
  let ok = 0;
  for (const t of texts) {
    const p = parseCable(t, options);
    if (!p.ok) continue;
    if (stage === 'all') {
      const v = validateCable(p.value);
      if (v.ok) enrichCable(v.value, ref, meta);
    }
    ok++;
  }
  return ok;
}

for (let i = 0; i < 3; i++) run('all'); // warm-up: let the JIT settle
const rounds = Number(values.rounds);
for (const stage of ['parse', 'all'] as const) {
  const started = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) run(stage);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cables = texts.length * rounds;
  process.stdout.write(
    `${stage === 'parse' ? 'parse            ' : 'parse+validate+enrich'}: ${(cables / seconds).toFixed(0)} cables/s, ${((bytes * rounds) / 1e6 / seconds).toFixed(1)} MB/s (${cables} cables, ${seconds.toFixed(2)} s)\n`,
  );
}
const usage = process.resourceUsage();
process.stdout.write(
  `corpus: ${texts.length} cables, ${(bytes / 1e6).toFixed(2)} MB (mean ${(bytes / texts.length / 1024).toFixed(1)} KB); peak RSS ${(usage.maxRSS / 1024).toFixed(0)} MB, heap used ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB; node ${process.version}, one core\n`,
);
