import { textIdentity } from '../../src/shared/cable-versions.js';
import { readFileSync } from 'node:fs';
import { loadReferenceData } from '../../src/shared/reference/load.js';
import type { CableDocument } from '../../src/shared/stages.js';
import { enrichCable } from '../../src/workers/stages/enrich/index.js';
import { parseCable } from '../../src/workers/stages/parse/index.js';
import { validateCable } from '../../src/workers/stages/validate.js';
import { YEAR_MODEL, type YearModel } from '../../src/workers/stages/parse/year-inference.js';
import {
  crossValidateYearModel,
  learnYearModel,
  scoreYearModel,
  type LabelledClues,
  type YearScore as ModelScore,
} from './year-model.js';
import { corpusPath } from './corpus-dir.js';

/**
 * Scoring the parser against the real corpus (corpus/dev/truth.jsonl), with truth's
 * caveats from corpus/README.md: compare date + hour only (the site's minutes are wrong),
 * subjects as whitespace-normalised prefixes, tags as "contains every tag the truth lists",
 * WikiLeaks' garbled ids corrected by cablemap's `correct_reference_id`.
 */
export interface Truth {
  cable_id: string;
  file: string;
  reference_id: string;
  created_date: string;
  created_hour: number;
  classification: string;
  origin: string;
  subject: string;
  tags: string[];
  partial_extract: boolean;
  cablemap_expected?: { correct_reference_id?: string } & Record<string, unknown>;
}

export function readTruth(): Truth[] {
  return readFileSync(corpusPath('dev', 'truth.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Truth);
}

const ref = loadReferenceData();

export type Outcome = { ok: true; doc: CableDocument } | { ok: false; reason: string };

/** The same path as `cable-ingest parse`, without the file I/O. */
export function documentOf(text: string, sourcePath = 'corpus'): Outcome {
  const parsed = parseCable(text, { knownTags: ref.knownTags, knownStations: ref.stations });
  if (!parsed.ok) return { ok: false, reason: parsed.failure.code };
  const valid = validateCable(parsed.value);
  if (!valid.ok) return { ok: false, reason: valid.failure.code };
  return {
    ok: true,
    doc: enrichCable(valid.value, ref, {
      file: { path: sourcePath, sha256: '0'.repeat(64), size: text.length, detectedAt: '2026-01-01T00:00:00.000Z' },
      charset: 'utf-8',
      ingestedAt: '2026-01-01T00:00:00.000Z',
      text: textIdentity(text),
      parserVersion: 'corpus',
    }),
  };
}

export const FIELDS = [
  'cable_id',
  'read_id',
  'inferred_id',
  'sent_at',
  'classification',
  'noforn',
  'origin',
  'subject',
  'tags',
] as const;
export type Field = (typeof FIELDS)[number];

const norm = (s: string | null | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim().toUpperCase();

/** Truth's labels are WikiLeaks' metadata: `UNCLASSIFIED//FOR OFFICIAL USE ONLY` is SBU (or LOU). */
export function classificationAgrees(truth: string, ours: string | null): boolean {
  const base = truth.split('//')[0];
  if (truth.startsWith('UNCLASSIFIED//'))
    return ours === 'SENSITIVE BUT UNCLASSIFIED' || ours === 'LIMITED OFFICIAL USE';
  return ours === base;
}

export interface FieldScore {
  field: Field;
  agree: number;
  total: number;
  misses: string[];
}

export function scoreCorpus(): {
  scores: Record<Field, FieldScore>;
  crashes: string[];
  n: number;
  idBasis: { read: number; inferred: number; content: number };
} {
  const scores = Object.fromEntries(
    FIELDS.map((f) => [f, { field: f, agree: 0, total: 0, misses: [] as string[] }]),
  ) as Record<Field, FieldScore>;
  const crashes: string[] = [];
  const idBasis = { read: 0, inferred: 0, content: 0 };
  const truths = readTruth();
  const count = (f: Field, ok: boolean, miss: string): void => {
    scores[f].total++;
    if (ok) scores[f].agree++;
    else scores[f].misses.push(miss);
  };
  for (const t of truths) {
    const text = readFileSync(corpusPath('dev', t.file), 'utf8');
    let out: Outcome;
    try {
      out = documentOf(text, t.file);
    } catch (err) {
      crashes.push(`${t.cable_id}: ${(err as Error).stack ?? String(err)}`);
      continue;
    }
    const d = out.ok ? out.doc : null;
    const id = t.cablemap_expected?.correct_reference_id ?? t.reference_id;
    count('cable_id', d?.cable_id === id, `${t.cable_id}: ${d?.cable_id ?? (out.ok ? '' : out.reason)}`);
    idBasis[d?.id_basis ?? 'content']++;
    // Read ids over the cables whose text holds their own serial (a page carrying another cable's
    // text cannot yield its id); inferred ids over all that got one.
    if (d?.id_basis === 'read' && holdsOwnSerial(text, id))
      count('read_id', d.cable_id === id, `${t.cable_id}: ${d.cable_id}`);
    if (d?.id_basis === 'inferred') count('inferred_id', d.cable_id === id, `${t.cable_id}: ${d.cable_id}`);
    // sent_at over every cable whose text holds a date-time group anywhere, found by us or not.
    if (DTG_ANYWHERE.test(text)) {
      const right =
        typeof d?.sent_at === 'string' &&
        d.sent_at.slice(0, 10) === t.created_date &&
        Number(d.sent_at.slice(11, 13)) === t.created_hour;
      count('sent_at', right, `${t.cable_id}: ${d?.sent_at ?? 'none'} vs ${t.created_date} ${t.created_hour}h`);
    }
    count(
      'classification',
      classificationAgrees(t.classification, d?.classification ?? null),
      `${t.cable_id}: ${d?.classification} vs ${t.classification}`,
    );
    count(
      'noforn',
      (d?.caveats.includes('NOFORN') ?? false) === t.classification.includes('NOFORN'),
      `${t.cable_id}: ours ${d?.caveats.join(',')} vs ${t.classification}`,
    );
    count('origin', d?.origin === t.origin, `${t.cable_id}: ${d?.origin} vs ${t.origin}`);
    // Truth sometimes keeps a portion mark with its `(` dropped (`C) CHIRAC VISIT`): ours has none.
    // It also ends some titles in the page's own debris (a `\` or `<BR>` where the title wrapped).
    const truthSubject = norm(t.subject)
      .replace(/^\(?(?:U|C|S|SBU|LOU|TS|C\/NF|S\/NF|S\/\/NF|C\/\/NF|U\/\/FOUO|SBU\/NF)\)\s*/, '')
      .replace(/(?:\s*(?:\\|<BR>))+$/, '');
    count(
      'subject',
      norm(d?.subject).startsWith(truthSubject),
      `${t.cable_id}: ${norm(d?.subject).slice(0, 70)} || ${norm(t.subject).slice(0, 70)}`,
    );
    count(
      'tags',
      t.tags.every((x) => d?.tags.includes(x)),
      `${t.cable_id}: ${d?.tags.join(' ')} || ${t.tags.join(' ')}`,
    );
  }
  return { scores, crashes, n: truths.length, idBasis };
}

/** Any date-time group, in any letter case, anywhere in the text: the date score's denominator. */
const DTG_ANYWHERE = /\b\d{6}\s?Z\s?(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)\s?(?:\d{4}|\d{2})\b/i;

/** The id's serial written in the text (as `MOSCOW 000584`, `#0584` for the last four digits, ...). */
function holdsOwnSerial(text: string, id: string): boolean {
  const serial = /(\d+)$/.exec(id)?.[1];
  if (!serial) return false;
  const n = String(Number(serial));
  return (
    new RegExp(`(?<!\\d)0*${n}(?!\\d)`).test(text) ||
    (n.length > 4 && new RegExp(`#0*${n.slice(-4)}(?!\\d)`).test(text))
  );
}

export function formatIdBasis(b: { read: number; inferred: number; content: number }): string {
  const n = b.read + b.inferred + b.content;
  const row = (k: keyof typeof b): string =>
    `  ${k.padEnd(10)} ${((100 * b[k]) / Math.max(1, n)).toFixed(1).padStart(5)}%  ${String(b[k]).padStart(4)} / ${n}`;
  return ['id_basis (how each id was known)', row('read'), row('inferred'), row('content')].join('\n');
}

export function formatScores(scores: Record<Field, FieldScore>): string {
  const rows = FIELDS.map((f) => {
    const s = scores[f];
    return `${f.padEnd(15)} ${((100 * s.agree) / Math.max(1, s.total)).toFixed(2).padStart(6)}%  ${String(s.agree).padStart(4)} / ${s.total}`;
  });
  return ['field           agree   count', ...rows].join('\n');
}

const BANNER_LINE =
  /^\s*(?:UNCLAS|C O N F I D E N T I A L|S E C R E T|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE|UNCLASSIFIED|L I M I T E D)\b/;

/**
 * Labelled clues for the year model, from dev: every cable whose year the text writes, parsed
 * again from its banner on (header and wrappers taken off, as a partial extract has them), and
 * every cable whose year the parser infers; labelled with the year of its truth date.
 */
export function yearSamples(): LabelledClues[] {
  const options = { knownTags: ref.knownTags, knownStations: ref.stations };
  const samples: LabelledClues[] = [];
  for (const t of readTruth()) {
    const text = readFileSync(corpusPath('dev', t.file), 'utf8');
    const year = Number(t.created_date.slice(0, 4));
    let clues: LabelledClues['clues'] | null = null;
    const full = parseCable(text, { ...options, onYearClues: (c) => (clues = c) });
    if (!full.ok) continue;
    if (full.value.idBasis !== 'read') {
      if (clues) samples.push({ clues, year });
      continue;
    }
    const lines = text.split('\n');
    const banner = lines.findIndex((l) => BANNER_LINE.test(l));
    if (banner < 0) continue;
    clues = null;
    parseCable(lines.slice(banner).join('\n'), { ...options, onYearClues: (c) => (clues = c) });
    if (clues) samples.push({ clues, year });
  }
  return samples;
}

export interface YearModelReport {
  shipped: YearModel;
  learned: YearModel;
  inSample: ModelScore;
  outOfFold: ModelScore;
}

export function yearModelReport(k = 10): YearModelReport {
  const samples = yearSamples();
  return {
    shipped: YEAR_MODEL,
    learned: learnYearModel(samples),
    inSample: scoreYearModel(samples, YEAR_MODEL),
    outOfFold: crossValidateYearModel(samples, k),
  };
}

export function formatYearModel(r: YearModelReport, k = 10): string {
  const pct = (a: number, b: number): string => `${((100 * a) / Math.max(1, b)).toFixed(1)}%`;
  const row = (label: string, s: ModelScore): string =>
    `  ${label.padEnd(34)} right ${pct(s.right, s.decided).padStart(6)} (${s.right} / ${s.decided}); a year given to ${pct(s.decided, s.total)} of ${s.total}` +
    Object.entries(s.byRule)
      .map(
        ([rule, r]) =>
          `\n    ${rule.padEnd(32)} right ${pct(r.right, r.decided).padStart(6)} (${r.right} / ${r.decided})`,
      )
      .join('');
  return [
    "year inference (cables with no written date; dev cables with the header taken off, and dev's undated ones)",
    row(`out of fold (${k}-fold cross-validation)`, r.outOfFold),
    row('in sample (the shipped model)', r.inSample),
    `  shipped model   ${JSON.stringify(r.shipped)}`,
    `  learned on dev  ${JSON.stringify(r.learned)}${JSON.stringify(r.learned) === JSON.stringify(r.shipped) ? ' (the same)' : ' (DIFFERS from the shipped model)'}`,
  ].join('\n');
}
