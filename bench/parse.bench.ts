/**
 * Parser throughput on one core: every dev cable read into memory, then parse -> validate ->
 * enrich in a loop (no I/O). Prints cables/s, MB/s and peak memory; asserts nothing.
 * Shared machines vary from minute to minute: each stage is timed over several trials and the
 * median and best are printed, with the first pass (cold caches, JIT warming up) apart.
 *   npm run bench:parse -- --rounds 10 --trials 5
 *   npm run bench:parse -- --baseline /work/base/dist   (another build's parser, timed side by side in
 *                                                         alternating trials; prints the speed ratio)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { corpusPath } from './scoring/corpus-dir.js';
import { loadReferenceData } from '../src/shared/reference/load.js';
import { enrichCable } from '../src/workers/stages/enrich/index.js';
import { parseCable } from '../src/workers/stages/parse/index.js';
import { validateCable } from '../src/workers/stages/validate.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '10' },
    trials: { type: 'string', default: '5' },
    dir: { type: 'string' },
    baseline: { type: 'string' },
  },
});
const dir = resolve(values.dir ?? corpusPath('dev'));
const texts = readdirSync(dir)
  .filter((n) => n.endsWith('.txt'))
  .map((n) => readFileSync(join(dir, n), 'utf8'));
const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
const ref = loadReferenceData();
const options = { knownTags: ref.knownTags, knownStations: ref.stations };
const meta = {
  file: { path: 'bench', sha256: '0'.repeat(64), size: 0, detectedAt: '2026-01-01T00:00:00.000Z' },
  charset: 'utf-8',
  ingestedAt: '2026-01-01T00:00:00.000Z',
  parserVersion: 'bench',
  text: { textSha256: '0'.repeat(64), textLength: 0 },
};

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

const rate = (cables: number, seconds: number): string =>
  `${(cables / seconds).toFixed(0)} cables/s, ${((bytes * (cables / texts.length)) / 1e6 / seconds).toFixed(1)} MB/s`;
const time = (f: () => void): number => {
  const started = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - started) / 1e9;
};

// The first pass, as a fresh process meets new cables: nothing compiled or memoised yet.
process.stdout.write(
  `first pass (parse+validate+enrich, cold): ${rate(
    texts.length,
    time(() => run('all')),
  )}\n`,
);
for (let i = 0; i < 2; i++) run('all'); // warm-up: let the JIT settle
const rounds = Number(values.rounds);
const trials = Math.max(1, Number(values.trials));
for (const stage of ['parse', 'all'] as const) {
  const seconds = Array.from({ length: trials }, () =>
    time(() => {
      for (let r = 0; r < rounds; r++) run(stage);
    }),
  ).sort((a, b) => a - b);
  const cables = texts.length * rounds;
  const label = stage === 'parse' ? 'parse                ' : 'parse+validate+enrich';
  process.stdout.write(
    `${label}: median ${rate(cables, seconds[Math.floor((trials - 1) / 2)]!)}; best ${rate(cables, seconds[0]!)} (${trials} trials of ${cables} cables)\n`,
  );
}
const usage = process.resourceUsage();
process.stdout.write(
  `corpus: ${texts.length} cables, ${(bytes / 1e6).toFixed(2)} MB (mean ${(bytes / texts.length / 1024).toFixed(1)} KB); peak RSS ${(usage.maxRSS / 1024).toFixed(0)} MB, heap used ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB; node ${process.version}, one core\n`,
);

if (values.baseline) {
  // The same cables through another build's parser (its own reference data loader too), one trial
  // of each in turn, so that the machine's drift falls on both alike.
  const at = (p: string): string => pathToFileURL(join(resolve(values.baseline!), p)).href;
  const base = {
    parseCable: ((await import(at('src/workers/stages/parse/index.js'))) as { parseCable: typeof parseCable })
      .parseCable,
    ref: (
      (await import(at('src/shared/reference/load.js'))) as { loadReferenceData: typeof loadReferenceData }
    ).loadReferenceData(),
  };
  const baseOptions = { knownTags: base.ref.knownTags, knownStations: base.ref.stations };
  const parseAll = (f: typeof parseCable, o: typeof options): void => {
    for (let r = 0; r < rounds; r++) for (const t of texts) f(t, o);
  };
  for (let i = 0; i < 2; i++) {
    parseAll(base.parseCable, baseOptions);
    parseAll(parseCable, options);
  }
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < trials; i++) {
    theirs.push(time(() => parseAll(base.parseCable, baseOptions)));
    ours.push(time(() => parseAll(parseCable, options)));
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
  const cables = texts.length * rounds;
  process.stdout.write(
    `side by side (parse, ${trials} alternating trials of ${cables} cables): this build median ${rate(cables, median(ours))}; baseline ${values.baseline} median ${rate(cables, median(theirs))}; speed ratio ${(median(theirs) / median(ours)).toFixed(2)}x\n`,
  );
}
