import type { Client } from '@elastic/elasticsearch';
import { canonicalCableId } from '#shared/cable-identity.js';
import type { CableDocument } from '#shared/stages.js';

/** The header facts `show` prints of a cable, as the index holds them. */
type Shown = Pick<
  CableDocument,
  | 'cable_id'
  | 'sent_at'
  | 'origin'
  | 'classification'
  | 'caveats'
  | 'handling'
  | 'tags'
  | 'tag_labels'
  | 'subject'
  | 'references'
>;
const SHOWN_FIELDS = [
  'cable_id',
  'sent_at',
  'origin',
  'classification',
  'caveats',
  'handling',
  'tags',
  'tag_labels',
  'subject',
  'references',
] as const satisfies ReadonlyArray<keyof Shown>;

export interface CableView {
  cable: Shown;
  /** Each reference the cable makes, and whether the cable it names is in the index. */
  references: Array<{ letter: string | null; raw: string; cableId: string | null; found: boolean }>;
  /** The cables whose references name this one, oldest first. */
  citedBy: Array<{ cableId: string; sentAt: string | null; subject: string | null }>;
}

/** An id as people type it (`07MOSCOW584`, `07 MOSCOW 584`, `07moscow000584`) -> the id documents carry. */
export function typedCableId(typed: string, knownStations?: ReadonlySet<string>): string | null {
  return canonicalCableId(typed.trim(), knownStations);
}

/**
 * The cables that cite `cableId`: a query over `references.cable_id`, so a citation is known from
 * the citing document alone and nothing is written to the cited one. Sorted oldest first.
 */
export async function citersOf(
  es: Client,
  alias: string,
  cableId: string,
  size = 1_000,
): Promise<CableView['citedBy']> {
  const r = await es.search<Pick<CableDocument, 'cable_id' | 'sent_at' | 'subject'>>({
    index: alias,
    size,
    query: { term: { 'references.cable_id': cableId } },
    _source: ['cable_id', 'sent_at', 'subject'],
    sort: [{ sent_at: { order: 'asc', missing: '_last' } }, { cable_id: 'asc' }],
  });
  return r.hits.hits
    .map((h) => h._source!)
    .filter((s) => s.cable_id !== cableId)
    .map((s) => ({ cableId: s.cable_id, sentAt: s.sent_at, subject: s.subject }));
}

/** One cable with its references (found or not) and the cables citing it; null when the index has no such cable. */
export async function cableView(es: Client, alias: string, cableId: string): Promise<CableView | null> {
  const r = await es.search<Shown>({
    index: alias,
    size: 1,
    query: { term: { cable_id: cableId } },
    _source: [...SHOWN_FIELDS],
  });
  const cable = r.hits.hits[0]?._source;
  if (!cable) return null;
  const named = [...new Set(cable.references.map((x) => x.cable_id).filter((x): x is string => x !== null))];
  const present = new Set<string>();
  if (named.length > 0) {
    const found = await es.search<{ cable_id: string }>({
      index: alias,
      size: named.length,
      query: { terms: { cable_id: named } },
      _source: ['cable_id'],
    });
    for (const h of found.hits.hits) present.add(h._source!.cable_id);
  }
  return {
    cable,
    references: cable.references.map((x) => ({
      letter: x.letter,
      raw: x.raw,
      cableId: x.cable_id,
      found: x.cable_id !== null && present.has(x.cable_id),
    })),
    citedBy: await citersOf(es, alias, cableId),
  };
}

export function formatCableView(v: CableView): string {
  const c = v.cable;
  const list = (xs: readonly string[]): string => (xs.length === 0 ? '-' : xs.join(', '));
  const lines = [
    `${c.cable_id}`,
    `  sent            ${c.sent_at ?? 'unknown'}`,
    `  origin          ${c.origin ?? 'unknown'}`,
    `  classification  ${c.classification ?? 'unknown'}${c.caveats.length > 0 ? ` (${c.caveats.join(', ')})` : ''}`,
    `  handling        ${list(c.handling)}`,
    `  tags            ${list(c.tags)}${c.tag_labels.length > 0 ? `  (${c.tag_labels.join('; ')})` : ''}`,
    `  subject         ${c.subject ?? '-'}`,
    `  references      ${v.references.length === 0 ? 'none' : ''}`,
    ...v.references.map(
      (x) =>
        `    ${x.letter ? `${x.letter}. ` : ''}${x.cableId ?? x.raw}  ${x.cableId === null ? '(not a cable)' : x.found ? 'found' : 'not in the index'}`,
    ),
    `  cited by        ${v.citedBy.length === 0 ? 'none in the index' : `${v.citedBy.length} cable${v.citedBy.length === 1 ? '' : 's'}`}`,
    ...v.citedBy.map((x) => `    ${x.cableId}  ${x.sentAt?.slice(0, 10) ?? '          '}  ${x.subject ?? ''}`),
  ];
  return `${lines.join('\n')}\n`;
}
