import { readFileSync } from 'node:fs';
import { loadReferenceData } from '../../src/shared/reference/load.js';
import { findSigners, findSummary } from '../../src/workers/stages/parse/body.js';
import { canonicalCableId } from '../../src/shared/cable-identity.js';
import { matchEo, parseClassifiedBy, classifiedByName } from '../../src/workers/stages/parse/front-matter.js';
import { parseHeader } from '../../src/workers/stages/parse/header.js';
import { readFrontMatter } from '../../src/workers/stages/parse/front-matter-reader.js';
import { parseCable } from '../../src/workers/stages/parse/index.js';
import { parseReferences } from '../../src/workers/stages/parse/references.js';
import { normaliseText } from '../../src/workers/stages/parse/text.js';
import { documentOf } from './corpus.js';
import { corpusPath } from './corpus-dir.js';

/**
 * heuer/cablemap's test expectations (corpus/cablemap-expectations.jsonl) run against
 * our grammar: a peer parser's view, field by field. Snippet cases feed the excerpt to the part of
 * the grammar that reads that field; whole-cable cases use the corpus file when we have it.
 */
interface Case {
  field: string;
  expected: unknown;
  input_snippet?: string;
  year?: number;
}
interface Line {
  cable_id: string | null;
  snippet_cases?: Case[];
  whole_cable_cases?: Case[];
  cable_text?: string;
}

const ref = loadReferenceData();
const norm = (s: unknown): string =>
  String(s ?? '')
    .replace(/\s+/g, ' ')
    .trim()
    .toUpperCase();
const lines = (text: string): string[] => normaliseText(text).split('\n');

function citing(
  cableId: string | null,
  year?: number,
): { year: number | null; station: string | null; serial: number | null } {
  const m = cableId ? /^(\d{2})([A-Z]+?)(\d+)$/.exec(cableId) : null;
  const y = year ?? (m ? (Number(m[1]) >= 66 ? 1900 : 2000) + Number(m[1]) : null);
  return { year: y, station: m ? m[2]! : null, serial: m ? Number(m[3]) : null };
}

function referencesOf(text: string, cableId: string | null, year?: number) {
  const fm = readFrontMatter(lines(text), 0, ref.knownTags);
  return fm.refText ? parseReferences(fm.refText, citing(cableId, year), ref.stations) : [];
}

const dedupe = <T>(xs: T[]): T[] => [...new Set(xs)];
const sameList = (a: unknown[], b: unknown[]): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Per field: did our reading agree with cablemap's? */
const SNIPPET: Record<string, (c: Case, id: string | null) => boolean> = {
  references_cables: (c, id) =>
    sameList(
      dedupe(
        referencesOf(c.input_snippet!, id, c.year)
          .filter((r) => r.cableId)
          .map((r) => r.cableId),
      ),
      c.expected as unknown[],
    ),
  references: (c, id) => {
    const ours = referencesOf(c.input_snippet!, id, c.year).filter((r) => r.kind === 'cable' || r.kind === 'email');
    const exp = (c.expected as Array<{ kind: string; value: string; bullet: string | null }>).filter(
      (e) => e.kind === 'cable' || e.kind === 'email',
    );
    return exp.every((e) =>
      ours.some(
        (o) =>
          o.kind === e.kind &&
          (o.letter ?? null) === e.bullet &&
          (e.kind === 'cable' ? o.cableId === e.value : norm(o.raw).includes(norm(e.value))),
      ),
    );
  },
  tags: (c) => {
    const fm = readFrontMatter(lines(c.input_snippet!), 0, ref.knownTags);
    // Our tags are the line's words; a multi-word tag (`HUMAN RIGHTS`, `CLINTON, HILLARY`) is its words.
    return (c.expected as string[]).every((t) =>
      t
        .split(/[\s,]+/)
        .filter(Boolean)
        .every((w) => fm.tags.includes(w.replace(/\.$/, ''))),
    );
  },
  subject: (c) => {
    const fm = readFrontMatter(lines(c.input_snippet!), 0);
    const exp = norm(c.expected);
    return exp === '' ? fm.subject === null : norm(fm.subject).startsWith(exp);
  },
  signers: (c) => sameList(findSigners(lines(c.input_snippet!)), c.expected as string[]),
  summary: (c) => {
    const ours = norm(findSummary(normaliseText(c.input_snippet!)));
    // `[...]` stands for elided text: the pieces appear in order, the first at the start, the last at the end.
    const pieces = norm(c.expected)
      .split('[...]')
      .map((s) => s.trim());
    if (!ours.startsWith(pieces[0]!) || (pieces.length > 1 && !ours.endsWith(pieces.at(-1)!))) return false;
    let at = pieces[0]!.length;
    for (const p of pieces.slice(1, -1)) {
      const found = ours.indexOf(p, at);
      if (found < 0) return false;
      at = found + p.length;
    }
    return true;
  },
  classified_by: (c) => {
    const m = /CLASSI?F?IED\s+BY\s*[:.]?\s*([\s\S]*?)(?:\n\s*\n|¶|$)/i.exec(normaliseText(c.input_snippet!));
    const name = m ? classifiedByName(parseClassifiedBy(m[1]!.replace(/\s+/g, ' '))) : null;
    const exp = c.expected as string[];
    return exp.length === 0 ? name === null : name !== null && norm(name) === norm(exp[0]);
  },
  nondisclosure_deadline: (c) =>
    matchEo(normaliseText(c.input_snippet!).replace(/\n/g, ' '))?.declassifyOn === c.expected,
  recipients_to: (c) => recipientsAgree(parseHeader(lines(c.input_snippet!)).to, c.expected),
  recipients_info: (c) => recipientsAgree(parseHeader(lines(c.input_snippet!)).info, c.expected),
};

function recipientsAgree(
  ours: Array<{ ri: string | null; pla: string; precedence: string | null; serial: string | null; excluded: boolean }>,
  expected: unknown,
): boolean {
  const exp = expected as Array<{ route: string | null; name: string; precedence: string | null; mcn: string | null }>;
  const kept = ours.filter((a) => !a.excluded);
  return (
    exp.length === kept.length &&
    exp.every(
      (e, i) =>
        kept[i]!.ri === e.route &&
        norm(kept[i]!.pla) === norm(e.name) &&
        kept[i]!.precedence === e.precedence &&
        kept[i]!.serial === e.mcn,
    )
  );
}

function wholeCableText(id: string, line: Line): string | null {
  if (line.cable_text) return line.cable_text;
  try {
    return readFileSync(corpusPath('dev', `${id}.txt`), 'utf8');
  } catch {
    return null;
  }
}

const WHOLE: Record<string, (c: Case, text: string, id: string) => boolean> = {
  subject: (c, text) => {
    const d = documentOf(text);
    const exp = norm(c.expected);
    return d.ok && (exp === '' ? d.doc.subject === null : norm(d.doc.subject).startsWith(exp));
  },
  signers: (c, text) => {
    const r = parseCable(text, { knownTags: ref.knownTags, knownStations: ref.stations });
    return r.ok && sameList(r.value.signers, c.expected as string[]);
  },
  tags: (c, text) => {
    const d = documentOf(text);
    return d.ok && (c.expected as string[]).every((t) => t.split(/[\s,]+/).every((w) => d.doc.tags.includes(w)));
  },
  references_cables: (c, text) => {
    const d = documentOf(text);
    return (
      d.ok &&
      sameList(dedupe(d.doc.references.filter((r) => r.cable_id).map((r) => r.cable_id)), c.expected as unknown[])
    );
  },
  references_cables_contains: (c, text) => {
    const d = documentOf(text);
    return d.ok && d.doc.references.some((r) => r.cable_id === c.expected);
  },
  classified_by: (c, text) => {
    const r = parseCable(text, { knownTags: ref.knownTags, knownStations: ref.stations });
    const name = r.ok && r.value.classifiedBy ? classifiedByName(r.value.classifiedBy) : null;
    const exp = c.expected as string[];
    return exp.length === 0 ? name === null : name !== null && norm(name) === norm(exp[0]);
  },
  transmission_id: (c, text) => {
    const r = parseCable(text, { knownTags: ref.knownTags, knownStations: ref.stations });
    return r.ok && r.value.transmission?.id === c.expected;
  },
  reference_id: (c, text) => {
    const d = documentOf(text);
    return d.ok && d.doc.cable_id === c.expected;
  },
  is_partial: (c, text) => {
    const r = parseCable(text, { knownTags: ref.knownTags, knownStations: ref.stations });
    return r.ok && r.value.partialExtract === c.expected;
  },
  signers_count: (c, text) => {
    const r = parseCable(text, { knownTags: ref.knownTags, knownStations: ref.stations });
    return r.ok && r.value.signers.length === c.expected;
  },
  signers_first: (c, text) => {
    const r = parseCable(text, { knownTags: ref.knownTags, knownStations: ref.stations });
    return r.ok && r.value.signers[0] === c.expected;
  },
};

/** Id spellings need no cable text: they are a function of the id. */
const ID_FIELDS: Record<string, (c: Case, id: string) => boolean> = {
  canonical_id: (c, id) => canonicalCableId(id, ref.stations) === c.expected,
  correct_reference_id: (c, id) => canonicalCableId(id, ref.stations) === c.expected,
};

export interface PeerScore {
  field: string;
  agree: number;
  total: number;
  /** Cases whose whole cable text we do not have (not in dev): not counted. */
  unavailable: number;
  misses: string[];
}

export function scoreCablemap(): PeerScore[] {
  const scores = new Map<string, PeerScore>();
  const get = (field: string): PeerScore => {
    let s = scores.get(field);
    if (!s) scores.set(field, (s = { field, agree: 0, total: 0, unavailable: 0, misses: [] }));
    return s;
  };
  const entries = readFileSync(corpusPath('cablemap-expectations.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Line);
  for (const line of entries) {
    for (const c of line.snippet_cases ?? []) {
      const evaluate = SNIPPET[c.field];
      const s = get(`${c.field} (snippet)`);
      if (!evaluate) {
        s.unavailable++;
        continue;
      }
      s.total++;
      if (evaluate(c, line.cable_id)) s.agree++;
      else
        s.misses.push(
          `${line.cable_id}: ${JSON.stringify(c.expected).slice(0, 120)} <- ${JSON.stringify(c.input_snippet).slice(0, 120)}`,
        );
    }
    for (const c of line.whole_cable_cases ?? []) {
      const id = line.cable_id ?? '';
      const idEval = ID_FIELDS[c.field];
      if (idEval) {
        const s = get(c.field);
        s.total++;
        if (idEval(c, id)) s.agree++;
        else s.misses.push(`${id}: ${JSON.stringify(c.expected)}`);
        continue;
      }
      const s = get(`${c.field} (whole cable)`);
      const evaluate = WHOLE[c.field];
      const text = evaluate ? wholeCableText(id, line) : null;
      if (!evaluate || text === null) {
        s.unavailable++;
        continue;
      }
      s.total++;
      if (evaluate(c, text, id)) s.agree++;
      else s.misses.push(`${id}: ${JSON.stringify(c.expected).slice(0, 160)}`);
    }
  }
  return [...scores.values()].sort((a, b) => a.field.localeCompare(b.field));
}

export function formatPeer(scores: PeerScore[]): string {
  const rows = scores.map(
    (s) =>
      `${s.field.padEnd(36)} ${s.total > 0 ? ((100 * s.agree) / s.total).toFixed(1).padStart(6) + '%' : '     - '}  ${String(s.agree).padStart(4)} / ${String(s.total).padEnd(4)} ${s.unavailable > 0 ? `(${s.unavailable} not measurable here)` : ''}`,
  );
  return ['cablemap field                         agree   count', ...rows].join('\n');
}
