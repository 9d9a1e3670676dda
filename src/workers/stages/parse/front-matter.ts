import { parseUsDate } from './dtg.js';
import { EO_PATTERN } from './grammar.js';
import { codeAt, squash } from './text.js';

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
const CAVEAT_PATTERN = new RegExp(
  `\\b(${CAVEAT_WORDS.join('|')}|NOT FOR INTERNET DISTRIBUTION|EYES ONLY|DISSENT CHANNEL)\\b`,
  'gi',
);

export function caveatsIn(line: string): string[] {
  const out: string[] = [];
  // exec on the shared global pattern (matchAll would copy it on every line).
  CAVEAT_PATTERN.lastIndex = 0;
  for (let m = CAVEAT_PATTERN.exec(line); m; m = CAVEAT_PATTERN.exec(line)) out.push(squash(m[1]!.toUpperCase()));
  return out;
}

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
  const rule = date
    ? null
    : decl
        .replace(/[^A-Z0-9/ -]/gi, '')
        .trim()
        .toUpperCase() || null;
  return { raw: m[0].trim(), order: m[1] ?? null, declassifyOn: date, declassifyRule: rule };
}

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
  return { raw, name: nameIn(raw), reasons };
}

/** Words of titles and offices that stand before a classifier's name. */
const TITLE_WORDS = new Set(
  (
    "AMBASSADOR CHARGE CHARGÉ D'AFFAIRES DAFFAIRES AFFAIRES CDA DCM A/DCM ADCM DEPUTY CHIEF OF MISSION ACTING POLITICAL ECONOMIC POL ECON " +
    'POLOFF ECONOFF POLCOUNS ECONCOUNS COUNS POLITICAL/ECONOMIC POL/ECON P/E E/P POLMIL POL-MIL POL/MIL POL/ECONOFF COUNSELOR COUNSELLOR MINISTER ' +
    'MINISTER-COUNSELOR MCOUNSELOR OFFICER CONSUL GENERAL CONSUL-GENERAL PRINCIPAL DIRECTOR DIR SECRETARY ASSISTANT UNDER SECTION HEAD ' +
    'PUBLIC MANAGEMENT REGIONAL SECURITY DEFENSE ATTACHE ATTACHÉ MILITARY ADVISOR ADVISER COORDINATOR SPECIAL ENVOY SENIOR INTERIM ' +
    'S/CT DAS STAFF EMBASSY LABOR COMMERCIAL AGRICULTURAL DIPLOMACY LEGAL FOR THE AND U.S. US USG STATE DEPARTMENT DEPT RSO ' +
    'CONSULATE CG PO OFFICE NEA SCA EAP EUR WHA AF IO INR ISN PM DRL EEB VCI EXECUTIVE LEADER TEAM UNIT PRT GOVERNANCE ' +
    'INSTITUTIONAL AIT USEU USNATO LTC COL MAJ CAPT CDR GEN ADM TO A.I. AI DE'
  ).split(' '),
);
const INITIAL = /^(?:[A-Z]\.){1,3}$|^[A-Z]$|^0\.$/;
const WORD =
  /^(?:[A-Z][a-zà-ÿ'’]+(?:-[A-Z][a-zà-ÿ'’]+)?|Mc[A-Z][a-z]+|[A-Z][a-z]*[A-Z][a-z]+|[A-Z]\.[A-Z][a-z]+|[A-Z][A-Z0'’]+(?:-[A-Z][A-Z'’]+)?)$/;
const SUFFIX = /,?\s*\b((?:JR|SR)\.?|II|III|IV)(?=[\s,.;:]|$)/i;
const TITLE_TYPO = /^(?:AMB\w*|ABASS\w*|CHARG\w*|D[',]?AFF?AIRE?S|CLASS?IF?IED|BY)$/i;
const NOT_JOINED = /^(?:for|fr|f|and|of|the|an|to|in|on|at|by|per|ai|de|da|van|von|reasons?)$/i;
/** Where the name ends: `for reasons`, `. Reasons`, `, reason`, `: 1.4`, `E.O. 12958`. */
const NAME_END =
  /\s+f\s?[o0]?\s?r\s+(?=r|E\.?\s?O|1|the\s|f[o0]r|12958)|\s+(?:under|based|per|pursuant|due\s+to)\b|\s*[-–]\s*1[.,]\d|[.;,:]?\s*\bre\s?a?\s?s?\s?o?n?s?\b\s*[:(\d]|[.;,:]\s*(?:reasons?|E\.?\s?O\b)|\s*[-–]\s*reasons?|:\s*1[.,]\d|\s+E\.?\s?O\.?\s+1\d{4}|\s+1[.,]\s?[45]\b/i;

/** Lines wrapped inside a word (`Hoyt Y` / `ee`, `Richa` / `rd`): join the lower-case tail back. */
function rejoinWrappedWords(text: string): string {
  // What `text.replace(WRAPPED_WORD, ...)` gives, copying the text only when a tail is joined: most
  // matches are a name and a short word (`Smith for`), which stay.
  let out: string | null = null;
  let copied = 0;
  WRAPPED_WORD.lastIndex = 0;
  for (let m = WRAPPED_WORD.exec(text); m; m = WRAPPED_WORD.exec(text)) {
    if (NOT_JOINED.test(m[2]!)) continue;
    out = (out ?? '') + text.slice(copied, m.index) + m[1]! + m[2]!;
    copied = m.index + m[0].length;
  }
  return out === null ? text : out + text.slice(copied);
}
const WRAPPED_WORD = /\b([A-Z][A-Za-z]*) ([a-z]{1,3})\b(?=[\s,;:]|$)/g;

function nameFromEnd(segment: string): string[] | null {
  const tokens = (segment.includes('(') ? segment.replace(/\([^)]*\)/g, ' ') : segment)
    .split(/[\s:/]+/)
    .filter((t) => t !== '');
  const name: string[] = [];
  let words = 0;
  for (let i = tokens.length - 1; i >= 0; i--) {
    const token = tokens[i]!;
    // A word's closing `.` or `,` off (an initial keeps its point).
    const t = endsInOneOf(token, 0x2e, 0x2c) && !INITIAL.test(token) ? token.slice(0, -1) : token;
    const upper = t.toUpperCase();
    // One initial may lead the given name: `F. Daniel Sainz`, `T. SCOTT BROWN`.
    if (words === 2 && /^[A-Z]\.$/.test(token) && !TITLE_WORDS.has(upper)) {
      name.unshift(token);
      break;
    }
    if (
      words === 2 ||
      TITLE_WORDS.has(endsInOneOf(upper, 0x2e, 0x3a) ? upper.slice(0, -1) : upper) ||
      TITLE_TYPO.test(t)
    )
      break;
    if (INITIAL.test(token)) {
      if (words !== 1) break;
      name.unshift(token);
      continue;
    }
    if (!WORD.test(t)) break;
    name.unshift(t);
    words++;
  }
  return words > 0 ? name : null;
}

/** Whether `s` ends in the character `a` or `b` (a `$`-anchored pattern is tried at every position). */
function endsInOneOf(s: string, a: number, b: number): boolean {
  const last = codeAt(s, s.length - 1);
  return last === a || last === b;
}

/**
 * The classifier's own name from `Acting Deputy Chief of Mission Marc Wall for Reasons ...`:
 * `Marc Wall`. The phrase before the reasons is cut at commas; the first part that ends in a name
 * gives it, read from the end: a surname, initials, one given name, stopping at a title word.
 * `, Jr.` and `III` stay with the name.
 */
export function classifiedByName(c: ClassifiedBy): string | null {
  return nameIn(squash(c.raw));
}

/** classifiedByName of a squashed text. */
function nameIn(squashed: string): string | null {
  let text = rejoinWrappedWords(squashed);
  text = text.replace(/^(?:\((?:U|C|S|SBU)\)\s*)?(?:CLASS?I?F?IED\s+BY\s*:?\s*)*/i, '');
  const end = NAME_END.exec(text);
  let phrase = (end ? text.slice(0, end.index) : text).trim();
  let suffix = '';
  const sfx = SUFFIX.exec(phrase);
  if (sfx) {
    suffix = `${sfx[0].trimStart().startsWith(',') ? ',' : ''} ${sfx[1]!}`;
    phrase = phrase.slice(0, sfx.index);
  } else {
    // A closing point off, unless an initial's (`... D.`).
    if (phrase.endsWith('.') && !/\b[A-Z]\.$/.test(phrase)) phrase = phrase.slice(0, -1);
  }
  // The first part that ends in a full name; failing that, the last single word (`AMB:RCROCKER`).
  let single: string[] | null = null;
  for (const segment of phrase.split(/[,;]|\s[-–]\s/)) {
    const name = nameFromEnd(segment.trim());
    if (name && name.length >= 2) return name.join(' ') + suffix;
    if (name) single = name;
  }
  return single ? single.join(' ') + suffix : null;
}
