import { readFileSync } from 'node:fs';
import { loadReferenceData } from '../../src/shared/reference/load.js';
import type { CableDocument } from '../../src/shared/stages.js';
import { enrichCable } from '../../src/workers/stages/enrich/index.js';
import { parseCable } from '../../src/workers/stages/parse/index.js';
import { validateCable } from '../../src/workers/stages/validate.js';
import { sharedPath } from './paths.js';

/**
 * Scoring the parser against the real corpus (../shared/corpus/dev/truth.jsonl), with truth's
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
  return readFileSync(sharedPath('corpus', 'dev', 'truth.jsonl'), 'utf8')
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
      parserVersion: 'corpus',
    }),
  };
}

export const FIELDS = ['cable_id', 'sent_at', 'classification', 'noforn', 'origin', 'subject', 'tags'] as const;
export type Field = (typeof FIELDS)[number];

const norm = (s: string | null | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim().toUpperCase();

/** Truth's labels are WikiLeaks' metadata: `UNCLASSIFIED//FOR OFFICIAL USE ONLY` is SBU (or LOU). */
export function classificationAgrees(truth: string, ours: string | null): boolean {
  const base = truth.split('//')[0];
  if (truth.startsWith('UNCLASSIFIED//')) return ours === 'SENSITIVE BUT UNCLASSIFIED' || ours === 'LIMITED OFFICIAL USE';
  return ours === base;
}

export interface FieldScore {
  field: Field;
  agree: number;
  total: number;
  misses: string[];
}

export function scoreCorpus(): { scores: Record<Field, FieldScore>; crashes: string[]; n: number } {
  const scores = Object.fromEntries(FIELDS.map((f) => [f, { field: f, agree: 0, total: 0, misses: [] as string[] }])) as Record<Field, FieldScore>;
  const crashes: string[] = [];
  const truths = readTruth();
  const count = (f: Field, ok: boolean, miss: string): void => {
    scores[f].total++;
    if (ok) scores[f].agree++;
    else scores[f].misses.push(miss);
  };
  for (const t of truths) {
    const text = readFileSync(sharedPath('corpus', 'dev', t.file), 'utf8');
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
    // sent_at counts over cables whose text has a date-time group: those where we found one.
    if (d?.sent_at) {
      count('sent_at', d.sent_at.slice(0, 10) === t.created_date && Number(d.sent_at.slice(11, 13)) === t.created_hour, `${t.cable_id}: ${d.sent_at} vs ${t.created_date} ${t.created_hour}h`);
    }
    count('classification', classificationAgrees(t.classification, d?.classification ?? null), `${t.cable_id}: ${d?.classification} vs ${t.classification}`);
    count('noforn', (d?.caveats.includes('NOFORN') ?? false) === t.classification.includes('NOFORN'), `${t.cable_id}: ours ${d?.caveats.join(',')} vs ${t.classification}`);
    count('origin', d?.origin === t.origin, `${t.cable_id}: ${d?.origin} vs ${t.origin}`);
    // Truth sometimes keeps a portion mark with its `(` dropped (`C) CHIRAC VISIT`): ours has none.
    const truthSubject = norm(t.subject).replace(/^\(?(?:U|C|S|SBU|LOU|TS|C\/NF|S\/NF|S\/\/NF|C\/\/NF|U\/\/FOUO|SBU\/NF)\)\s*/, '');
    count('subject', norm(d?.subject).startsWith(truthSubject), `${t.cable_id}: ${norm(d?.subject).slice(0, 70)} || ${norm(t.subject).slice(0, 70)}`);
    count('tags', t.tags.every((x) => d?.tags.includes(x)), `${t.cable_id}: ${d?.tags.join(' ')} || ${t.tags.join(' ')}`);
  }
  return { scores, crashes, n: truths.length };
}

export function formatScores(scores: Record<Field, FieldScore>): string {
  const rows = FIELDS.map((f) => {
    const s = scores[f];
    return `${f.padEnd(15)} ${((100 * s.agree) / Math.max(1, s.total)).toFixed(2).padStart(6)}%  ${String(s.agree).padStart(4)} / ${s.total}`;
  });
  return ['field           agree   count', ...rows].join('\n');
}

const BANNER_LINE = /^\s*(?:UNCLAS|C O N F I D E N T I A L|S E C R E T|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE|UNCLASSIFIED|L I M I T E D)\b/;

export interface YearScore {
  withDeclassifyDate: { agree: number; total: number };
  withoutDeclassifyDate: { agree: number; total: number };
}

/**
 * How well the year of a cable is inferred when it has no date (partial extracts): every dev
 * cable whose date-time group gives its year is parsed again from its banner on, header taken
 * off, and the year of the id it then gets is compared with the DTG's.
 */
export function scoreYearFromTextAlone(): YearScore {
  const score: YearScore = { withDeclassifyDate: { agree: 0, total: 0 }, withoutDeclassifyDate: { agree: 0, total: 0 } };
  const options = { knownTags: ref.knownTags, knownStations: ref.stations };
  for (const t of readTruth()) {
    const text = readFileSync(sharedPath('corpus', 'dev', t.file), 'utf8');
    const full = parseCable(text, options);
    if (!full.ok || !full.value.dtg || !full.value.cableId) continue;
    const lines = text.split('\n');
    const banner = lines.findIndex((l) => BANNER_LINE.test(l));
    if (banner < 0) continue;
    const alone = parseCable(lines.slice(banner).join('\n'), options);
    if (!alone.ok || !alone.value.cableId) continue;
    const s = alone.value.eo?.declassifyOn ? score.withDeclassifyDate : score.withoutDeclassifyDate;
    s.total++;
    if (alone.value.cableId.slice(0, 2) === full.value.cableId.slice(0, 2)) s.agree++;
  }
  return score;
}

export function formatYearScore(s: YearScore): string {
  const row = (label: string, x: { agree: number; total: number }): string =>
    `${label.padEnd(38)} ${((100 * x.agree) / Math.max(1, x.total)).toFixed(1).padStart(5)}%  ${String(x.agree).padStart(4)} / ${x.total}`;
  return ['year from the text alone (header taken off)   agree   count', row('  with a declassification date', s.withDeclassifyDate), row('  without one (unclassified, N/A)', s.withoutDeclassifyDate)].join('\n');
}
