import { parseUsDate } from './dtg.js';
import { squash } from './text.js';

/**
 * The lines between banner and first paragraph: handling lines, the E.O. line, TAGS, SUBJECT,
 * REF and Classified By (corpus/FORMATS.md "E.O. line", "TAGS", "SUBJECT", "Classified By").
 * Each finder returns the value and the line index it consumed through, so the body can skip them.
 */

export const CAVEAT_WORDS = [
  'NOFORN',
  'SIPDIS',
  'NODIS',
  'EXDIS',
  'LIMDIS',
  'STADIS',
  'ORCON',
  'EFTO',
  'PROPIN',
  'SPECAT',
  'ROGER',
  'CHEROKEE',
  'TERREP',
  'FOUO',
] as const;
const CAVEAT_PATTERN = new RegExp(`\\b(${CAVEAT_WORDS.join('|')}|NOT FOR INTERNET DISTRIBUTION|EYES ONLY|DISSENT CHANNEL)\\b`, 'gi');

export function caveatsIn(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(CAVEAT_PATTERN)) out.push(squash(m[1]!.toUpperCase()));
  return out;
}

/** `E.O. 12958: DECL: 02/08/2017`, `EO 12958 DECL: 11/01/2014`, `E.O. 12958: N/A`, `E.O. 12356: DECL: OADR`. */
export const EO_PATTERN = /\bE\.?\s?[O0]\.?\s*(1\d{3,4})?\s*[:.;]?\s*(?:(?:DECL(?:ASSIFY)?\.?\s*(?:ON)?\s*[:.]?\s*([^\n]*?))|(N\/?A))\s*$/i;

export interface EoLine {
  raw: string;
  order: string | null;
  declassifyOn: string | null;
  declassifyRule: string | null;
}

export function matchEo(line: string): EoLine | null {
  const m = EO_PATTERN.exec(line);
  if (!m) return null;
  const decl = (m[2] ?? m[3] ?? '').trim();
  const date = parseUsDate(decl);
  const rule = date ? null : decl.replace(/[^A-Z0-9/ -]/gi, '').trim().toUpperCase() || null;
  return { raw: m[0].trim(), order: m[1] ?? null, declassifyOn: date, declassifyRule: rule };
}

/** `TAGS: PREF PREL`, `TAGS PREL, EPET`, `TAG PTER`, `Tags:`, and the garbled `TAS:`, `TGS:`, `AGS:`. */
export const TAGS_LINE = /^\s*(?:T?AGS?|TAS|TGS|TABS)\s*[:;,.]?\s+(.*)$|^\s*TAGS?\s*[:;,]\s*(.*)$/i;

export const SUBJECT_LINE = /^\s*SUBJ(?:ECT)?\s*[:.;]?\s*(.*)$/i;

export const REF_LINE = /^\s*(?:REF(?:S|TEL|TELS)?|Ref\(s\))\s*[:.;]?\s*(.*)$/i;

export const CLASSIFIED_BY = /\bCLASSI?F?IED\s+BY\s*[:.]?\s*(.*)$/i;

/** A line where the paragraphs begin: `¶1.`, `1. (C)`, `1.(SBU)`, or a portion mark. */
export const PARAGRAPH_START = /^\s*(?:¶\s?\d{1,3}|\d{1,3}\s?\.(?=\s|\())|^\s*\((?:U|C|S|SBU|LOU|TS|S\/NF|C\/NF)[^)]{0,10}\)\s/;

export interface ClassifiedBy {
  raw: string;
  name: string | null;
  reasons: string[];
}

/** `Political Minister-Counselor Alice Wells. Reasons 1.4 (b and d).` */
export function parseClassifiedBy(text: string): ClassifiedBy {
  const raw = squash(text);
  const reasons: string[] = [];
  const reasonPart = /\b(?:REASONS?|FOR\s+REASONS?|PER|DUE\s+TO|UNDER)\b[:\s]*(.*)$/i.exec(raw);
  const rr = reasonPart ? reasonPart[1]! : raw;
  const sect = /1\s*[.,/]\s*([45])/.exec(rr);
  if (sect) {
    const after = rr.slice(sect.index + sect[0].length);
    for (const m of after.matchAll(/\(?\b([a-h])\b\)?/gi)) {
      const r = `1.${sect[1]}(${m[1]!.toLowerCase()})`;
      if (!reasons.includes(r)) reasons.push(r);
    }
  }
  let nameText = reasonPart ? raw.slice(0, reasonPart.index) : raw;
  nameText = nameText.replace(/\s*\b(?:for|,)\s*$/i, '').replace(/[.,;:\s]+$/, '');
  // The name is the title-less tail of the first sentence: `Ambassador Mark C. Minton` -> kept whole.
  const name = nameText.length > 0 && nameText.length < 200 ? nameText : null;
  return { raw, name, reasons };
}

/** Words of titles and offices that stand before a classifier's name. */
const TITLE_WORDS = new Set(
  (
    'AMBASSADOR CHARGE CHARGÉ D\'AFFAIRES DAFFAIRES CDA DCM A/DCM ADCM DEPUTY CHIEF OF MISSION ACTING POLITICAL ECONOMIC POL ECON ' +
    'POLOFF ECONOFF POLCOUNS ECONCOUNS POLITICAL/ECONOMIC POL/ECON P/E E/P POLMIL POL-MIL POL/MIL COUNSELOR COUNSELLOR MINISTER ' +
    'MINISTER-COUNSELOR OFFICER CONSUL GENERAL CONSUL-GENERAL PRINCIPAL DIRECTOR SECRETARY ASSISTANT UNDER SECTION HEAD AFFAIRS ' +
    'PUBLIC MANAGEMENT REGIONAL SECURITY DEFENSE ATTACHE ATTACHÉ MILITARY ADVISOR ADVISER COORDINATOR SPECIAL ENVOY SENIOR INTERIM ' +
    'S/CT DAS STAFF EMBASSY LABOR COMMERCIAL AGRICULTURAL DIPLOMACY LEGAL FOR THE AND U.S. US USG STATE DEPARTMENT DEPT RSO ' +
    'CONSULATE CG PO OFFICE NEA SCA EAP EUR WHA AF IO INR ISN PM DRL EEB VCI ECONOMIC/POLITICAL EXECUTIVE ASSISTANT-SECRETARY'
  ).split(' '),
);
const NAME_PART = /^(?:[A-Z][a-zà-ÿ'’.-]+|[A-Z]\.|[A-Z][A-Z'’-]+\.?|Mc[A-Z][a-z]+|de|van|von|al-[A-Z][a-z]+)$/;

/** The classifier's own name from `Acting Deputy Chief of Mission Marc Wall for Reasons ...`: `Marc Wall`. */
export function classifiedByName(c: ClassifiedBy): string | null {
  if (!c.name) return null;
  const head = c.name.split(/[,;(]|\s[-–]\s|\.\s+(?=[A-Z][a-z]{2,}\s)/)[0]!.trim();
  const tokens = head.split(/\s+/);
  const name: string[] = [];
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i]!;
    if (TITLE_WORDS.has(t.toUpperCase().replace(/[.:]$/, '')) || !NAME_PART.test(t)) break;
    name.unshift(t);
  }
  while (name.length > 0 && /^(?:de|van|von)$/.test(name[0]!)) name.shift();
  return name.length > 0 ? name.join(' ').replace(/[.]$/, (m) => (name.at(-1)!.length === 2 ? m : '')) : null;
}
