/**
 * The parser's safety net: every corpus file's document (the seeds and the dev cables), written
 * one JSON line per file, and compared with another build's output field by field. A restructure
 * must leave every line byte-identical; an intended change is listed by the fields it moves.
 *   npm run parse:gate -- --out /tmp/now.jsonl
 *   npm run parse:gate -- --dist /tmp/base/dist --out /tmp/base.jsonl   (an older build, e.g. a git worktree)
 *   npm run parse:gate -- --out /tmp/now.jsonl --compare /tmp/base.jsonl
 * `--mutations` adds, for each file, some forty damaged and reshaped variants of it
 * (bench/scoring/mutations.ts, seeded): a speed-up must also leave text nobody has seen alone.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { PACKAGE_ROOT } from '../src/shared/paths.js';
import { corpusPath } from './scoring/corpus-dir.js';
import { mutationsOf, seededRandom } from './scoring/mutations.js';

const { values } = parseArgs({
  options: {
    dist: { type: 'string' },
    out: { type: 'string' },
    compare: { type: 'string' },
    show: { type: 'string', default: '5' },
    mutations: { type: 'boolean', default: false },
  },
});
// The build whose parser is run: this one, or an older one's dist/ folder.
const dist = resolve(values.dist ?? join(PACKAGE_ROOT, 'dist'));
const { documentOf } = (await import(pathToFileURL(join(dist, 'bench', 'scoring', 'corpus.js')).href)) as {
  documentOf: (
    text: string,
    path: string,
  ) => { ok: true; doc: Record<string, unknown> } | { ok: false; reason: string };
};

const files = [
  ...readdirSync(join(PACKAGE_ROOT, 'seeds')).map((n) => join(PACKAGE_ROOT, 'seeds', n)),
  ...readdirSync(corpusPath('dev'))
    .filter((n) => n.endsWith('.txt'))
    .sort()
    .map((n) => corpusPath('dev', n)),
];
const lines: string[] = [];
const texts = files.map((path) => ({ name: path.slice(path.lastIndexOf('/') + 1), text: readFileSync(path, 'utf8') }));
const rnd = seededRandom(12345);
for (const { name, text } of texts) {
  const inputs = [{ file: name, text }];
  if (values.mutations) {
    const other = texts[rnd(texts.length)]!.text;
    for (const v of mutationsOf(text, other, rnd)) inputs.push({ file: `${name}#${v.kind}`, text: v.text });
  }
  for (const input of inputs) {
    const out = documentOf(input.text, input.file);
    lines.push(JSON.stringify({ file: input.file, ...(out.ok ? { doc: out.doc } : { error: out.reason }) }));
  }
}
if (values.out) writeFileSync(values.out, `${lines.join('\n')}\n`);
process.stdout.write(
  `${lines.length} ${values.mutations ? 'inputs (files and their variants)' : 'files'} parsed by ${dist}${values.out ? `, written to ${values.out}` : ''}\n`,
);

if (values.compare) {
  const before = new Map(
    readFileSync(values.compare, 'utf8')
      .trim()
      .split('\n')
      .map((l) => [(JSON.parse(l) as { file: string }).file, l] as const),
  );
  const byField = new Map<string, string[]>();
  let identical = 0;
  for (const line of lines) {
    const now = JSON.parse(line) as { file: string; doc?: Record<string, unknown>; error?: string };
    const was = before.get(now.file);
    if (was === line) {
      identical++;
      continue;
    }
    const old = was ? (JSON.parse(was) as { doc?: Record<string, unknown>; error?: string }) : {};
    const keys = new Set([...Object.keys(old.doc ?? {}), ...Object.keys(now.doc ?? {})]);
    const moved = [...keys].filter((k) => JSON.stringify(old.doc?.[k]) !== JSON.stringify(now.doc?.[k]));
    if (old.error !== now.error) moved.push('error');
    for (const k of moved) {
      const list = byField.get(k) ?? [];
      list.push(
        `${now.file}: ${JSON.stringify(old.doc?.[k] ?? old.error ?? null).slice(0, 80)} -> ${JSON.stringify(now.doc?.[k] ?? now.error ?? null).slice(0, 80)}`,
      );
      byField.set(k, list);
    }
  }
  process.stdout.write(`${identical} of ${lines.length} byte-identical to ${values.compare}\n`);
  for (const [field, changes] of [...byField].sort((a, b) => b[1].length - a[1].length)) {
    process.stdout.write(
      `  ${field}: ${changes.length} files\n${changes
        .slice(0, Number(values.show))
        .map((c) => `    ${c}\n`)
        .join('')}`,
    );
  }
}
