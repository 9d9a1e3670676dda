import type { Reference } from '#shared/stages.js';
import { cableIdOf, canonicalStation, nearestStation } from '#shared/cable-identity.js';
import { squash } from './text.js';

/**
 * REF lists (corpus/FORMATS.md "REF"): `REF: MOSCOW 211`, lettered `A. STATE 40721 B. ROME 1098`,
 * `A) ...`, `(A) ...`, `A. (A) ...`, `¶B.`, `REF A HAVANA 639`; ids written `06 TBILISI 0619`,
 * `2003 Rio de Janeiro 1773`, `ASUNCION 701 (08)`, `SECSTATE 74879`, `RIO DE JAN 138`.
 * A cable reference is a station name and a serial; with the station vocabulary (reference data)
 * only known stations count, so `IIR 6 899` or `PARA 3` are not read as cables.
 * Year rule (as heuer/cablemap resolves them): a year written with the reference (`06 TBILISI`,
 * `2003 Rio`, `(08)`) or else the citing cable's own year.
 */
export interface CitingCable {
  year: number | null;
  station: string | null;
  serial: number | null;
}

const BULLET =
  /(?:^|[\s;,])(?:¶\s?)?(?:REFS?\s+)?(?:\(([A-Z])\)|([A-Z])(?:[.)]|:(?=\s)|\s[-–](?=\s))(?=\s|\(|[A-Z]{2})|([A-Z])(?=\s+[A-Z0-9]))(?:\s*(?:\(([A-Z])\)|([A-Z])[.)]))?\s*/g;
const CABLE_CANDIDATE =
  /(?:\b(\d{4}|\d{2,3})\s+)?([A-Za-z][A-Za-z.'-]*(?:\s+[A-Za-z][A-Za-z.'-]*){0,3}?)\s+0*(\d{1,7})\b(?:\s*\((?:19|20)?(\d{2})\)|[-/](\d{2})\b|\s(\d{2})(?=\s*(?:[,;]|$)))?/g;
const NONE = /^NONE\b/i;
const SEMICOLON = /;\s*/;
const LEADING_DASH = /^[-–]\s*/;
const TRAILING_PUNCTUATION = /[;,.]+$/;
const SERIAL_FIRST = /^0*(\d{3,7})\s+([A-Za-z][A-Za-z .'-]{2,30})$/;
const AND_WORD = /^(?:AND|&)\s*$/i;
const YEAR_LIKE = /^(?:19[6-9]\d|20[01]\d)$/;
const LEADING_NOISE = /^(?:PARA|PARAS|PAGE|SECTION|REF|REFS|AND|OR|SEE|ALSO|TO|FROM|IN|ON|AT|BY|OF)$/i;
const NOT_A_STATION =
  /^(?:PARA|PARAS|PARAGRAPH|SECTION|PAGE|DATED|OF|AND|THE|NO|NUMBER|TEL|TELS|CABLE|CABLES|TELEGRAM|TELEGRAMS|TELECON|EMAIL|E-MAIL|LETTER|MEMO|DTG|MSG|FAX|ON|IN|AT|BY|SEE|USC|CFR|FAM|FAH|RES|UNSCR|RESOLUTION|IIR|REF|REFS|REFTEL|AND|OR|TO|FROM|NOTAL|PREVIOUS|DECEMBER|JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER)$/;

/** `(C) 03 Brasilia 3347` after `(B) ...` is the next bullet, not a portion mark. */
function continuesBullets(letter: string, before: string): boolean {
  if (letter.length !== 1 || letter === 'A') return false;
  const previous = String.fromCharCode(letter.charCodeAt(0) - 1);
  return new RegExp(`(?:^|[\\s;,])(?:\\(${previous}\\)|${previous}[.)])\\s`).test(before);
}

/** Page markers and banners that page breaks drop into a REF list, and ids written glued or hyphenated. */
function tidy(raw: string): string {
  let t = squash(raw);
  // Each rewrite only when its mark is in the text (a REF list is short, but every cable has one).
  if (t.includes('PAGE'))
    t = t.replace(/\bPAGE\s+\d{2,3}\s+[A-Z ]{2,20}\s+\d{4,8}\s+\d{2}\s+OF\s+\d{2}\s+\d{6}Z/g, ' ');
  if (t.includes('OF')) t = t.replace(/\b[A-Z][A-Z ]{1,14}\s+\d{8}\s+\d{3}(?:\.\d)?\s+OF\s+\d{3}\b/g, ' ');
  if (t.includes('CONFIDENTIAL') || t.includes('SECRET') || t.includes('UNCLASSIFIED') || t.includes('SENSITIVE'))
    t = t.replace(/\b(?:CONFIDENTIAL|SECRET|UNCLASSIFIED|SENSITIVE BUT UNCLASS\w*)\b(?:\\N)?/g, ' ');
  if (t.includes('REF'))
    t = t.replace(/\bREFERENCE:\s*/g, '').replace(/(?:^|(?<=[\s.):]))REF\s+(?=[A-Z]{2,}\s+\d)/g, '');
  // A zero read for the letter O (`0TTAWA`, `BRASILIA 0`) touches a capital; an O read for a zero
  // stands before a digit. Serials hold zeros and names hold Os: look only where they touch.
  t = t.replace(ZERO_FOR_O, 'O');
  t = t.replace(O_FOR_ZERO, '0$1').replace(O_BEFORE_SERIAL, '0');
  if (t.includes(')')) {
    t = t.replace(/\((U|C|S|SBU)\)\s*(?=\d)/g, (mark, letter: string, offset: number, whole: string) =>
      continuesBullets(letter, whole.slice(0, offset)) ? mark : '',
    );
  }
  if (t.includes('/')) t = t.replace(/\b(\d{3,7})\/(?=\d{3,7}\b)/g, '$1 AND ');
  if (t.includes('[')) t = t.replace(/\[([A-Z])\]/g, '($1)');
  if (t.includes('#')) t = t.replace(/#\s*(?=\d)/g, '');
  if (t.includes('(')) t = t.replace(/\b([A-Z]{2,})\s*\((\d{2})\)\s*(?=\d{3,7}\b)/g, '$2 $1 ');
  t = t.replace(/\b([A-Z]{2,})(\d{3,7})\b/g, '$1 $2');
  if (t.includes(',')) t = t.replace(/\b(\d{3,7}),\s*(?=\d{3,7}\b)/g, '$1 AND ');
  t = t.replace(/\b(\d{2}|\d{4})-?([A-Z]{3,})(?:-|\s+)?(\d{1,7})\b/g, '$1 $2 $3');
  if (t.includes('(')) t = t.replace(/\(((?:19|20)?\d{2})\)\s+(?=[A-Z])/g, '$1 ');
  if (t.includes(':')) t = t.replace(/\b([A-Z]{3,}):\s+(?=\d)/g, '$1 ');
  return squash(t.replace(/\b([A-Z]{3,})(?:,|\s+(?:CABLES?|TELS?|TELEGRAMS?))\s+(?=\d{3,7}\b)/gi, '$1 '));
}

/** `0TTAWA`, `BRASILIA 0`, `T0KYO`: a zero written for the letter O. */
export const ZERO_FOR_O = /\b0(?=[A-Z]{2})|(?<=[A-Z]{2})0\b|(?<=[A-Z])0(?=[A-Z])/g;
/** `O5 ROME`, `ROME O1234`: the letter O written for a zero. */
export const O_FOR_ZERO = /\bO(\d)\b/g;
export const O_BEFORE_SERIAL = /\bO(?=\d{2,}\b)/g;

export function parseReferences(raw: string, citing: CitingCable, knownStations?: ReadonlySet<string>): Reference[] {
  return resolveReferences(readReferences(raw, knownStations), citing.year);
}

/** A REF item as read, before the citing cable's year fills in the years not written. */
export interface ReferenceItem {
  letter: string | null;
  raw: string;
  kind: Reference['kind'];
  cable: { station: string; serial: number; writtenYear: number | null } | null;
}

/** The REF list's items; cable references keep the year written with them, if any. */
export function readReferences(raw: string, knownStations?: ReadonlySet<string>): ReferenceItem[] {
  const text = tidy(raw);
  if (text === '' || NONE.test(text)) return [];
  const out: ReferenceItem[] = [];
  const items = splitBullets(text).flatMap((item) =>
    item.text.split(SEMICOLON).map((part) => ({ letter: item.letter, text: part })),
  );
  for (const item of items) {
    let t = item.text.trim().replace(LEADING_DASH, '').replace(TRAILING_PUNCTUATION, '');
    if (t === '') continue;
    // `870 Ulaanbaatar`, `377 KATHMANDU`: the serial written before the station.
    const flipped = SERIAL_FIRST.exec(t);
    if (
      flipped &&
      canonicalStation(flipped[2]!) !== null &&
      (!knownStations || knownStations.has(canonicalStation(flipped[2]!)!))
    )
      t = `${flipped[2]} ${flipped[1]}`;
    const cables = cableReferences(t, knownStations);
    if (cables.length > 0) {
      for (const c of cables)
        out.push({
          letter: item.letter,
          raw: c.raw,
          kind: 'cable',
          cable: { station: c.station, serial: c.serial, writtenYear: c.year },
        });
    } else {
      out.push({ letter: item.letter, raw: t, kind: kindOf(t), cable: null });
    }
  }
  return out;
}

/** Year rule: the year written with the reference, else the citing cable's (none known: no id). */
export function resolveReferences(items: readonly ReferenceItem[], citingYear: number | null): Reference[] {
  return items.map((r) => {
    const year = r.cable ? (r.cable.writtenYear ?? (citingYear !== null ? citingYear % 100 : null)) : null;
    const cableId = r.cable ? cableIdOf(year, r.cable.station, r.cable.serial) : null;
    return { letter: r.letter, raw: r.raw, kind: r.kind, cableId };
  });
}

/** Items by bullet letter; a bare letter (`REF A HAVANA 639`) counts only in sequence. */
function splitBullets(text: string): Array<{ letter: string | null; text: string }> {
  const marks: Array<{ index: number; end: number; letter: string }> = [];
  let expected = 'A';
  BULLET.lastIndex = 0;
  for (let m = BULLET.exec(text); m; m = BULLET.exec(text)) {
    const letter = (m[1] ?? m[2] ?? m[3])!;
    const bare = m[3] !== undefined;
    // In sequence only (one letter may be skipped): `J. Speaks` in an e-mail reference is an initial.
    const skip = String.fromCharCode(expected.charCodeAt(0) + 1);
    // A letter written twice (`B) ... EMAIL B) TALLINN 347`) is a second item under it.
    const again = marks.at(-1)?.letter === letter;
    if (bare ? letter !== expected : letter !== expected && letter !== skip && !again) continue;
    if (m[4] ?? m[5]) {
      if ((m[4] ?? m[5]) !== letter) continue;
    }
    marks.push({ index: m.index, end: m.index + m[0].length, letter });
    expected = String.fromCharCode(letter.charCodeAt(0) + 1);
  }
  const items: Array<{ letter: string | null; text: string }> = [];
  if (marks.length === 0 || marks[0]!.index > 3)
    items.push({ letter: null, text: text.slice(0, marks[0]?.index ?? text.length) });
  marks.forEach((m, i) =>
    items.push({ letter: m.letter, text: text.slice(m.end, marks[i + 1]?.index ?? text.length) }),
  );
  return items;
}

function cableReferences(
  text: string,
  known?: ReadonlySet<string>,
): Array<{ raw: string; station: string; serial: number; year: number | null }> {
  const found: Array<{ raw: string; station: string; serial: number; year: number | null }> = [];
  let last: { station: string; year: number | null; end: number } | null = null;
  // exec on the shared global pattern: matchAll would copy the pattern on every call (once per item).
  CABLE_CANDIDATE.lastIndex = 0;
  for (let m = CABLE_CANDIDATE.exec(text); m; m = CABLE_CANDIDATE.exec(text)) {
    // `BRASILIA 2799 AND 2764`: a bare serial after AND continues the previous station.
    const and = AND_WORD.exec(m[2]!);
    if (and && last) {
      const serial = Number(m[3]);
      const own = m[4] ?? m[5] ?? m[6];
      const year = own !== undefined ? Number(own) : last.year;
      found.push({ raw: `${last.station} ${m[3]}`, station: last.station, serial, year });
      continue;
    }
    const words = m[2]!.split(/\s+/);
    // The longest tail of the words before the number that names a station.
    let station: string | null = null;
    let used = 0;
    for (let n = Math.min(words.length, 4); n >= 1 && !station; n--) {
      const tail = words
        .slice(words.length - n)
        .join(' ')
        .toUpperCase();
      if (NOT_A_STATION.test(tail) || (n > 1 && LEADING_NOISE.test(words[words.length - n]!))) continue;
      const canon = canonicalStation(tail);
      if (!canon) continue;
      // `INCSR BRAZIL 2008`: a year after a name that is only an alias of a station is not a cable.
      if (YEAR_LIKE.test(m[3]!) && !known?.has(tail.replace(/[^A-Z]/g, ''))) continue;
      if (
        known
          ? known.has(canon)
          : /^[A-Z]{3,}$/.test(canon) && n === 1 && words[words.length - 1] === words[words.length - 1]!.toUpperCase()
      ) {
        station = canon;
        used = n;
      }
    }
    // A misspelt station (`TRIPOLII`, `SAO PAUO`): the nearest known name, for names long enough to tell.
    if (!station && known) {
      for (let n = Math.min(words.length, 3); n >= 1 && !station; n--) {
        const canon = canonicalStation(words.slice(words.length - n).join(' '));
        if (canon && canon.length >= 6 && !NOT_A_STATION.test(words[words.length - n]!.toUpperCase())) {
          const near = nearestStation(canon, known);
          if (near) {
            station = near;
            used = n;
          }
        }
      }
    }
    if (!station) continue;
    const serial = Number(m[3]);
    const explicit = m[4] ?? m[5] ?? m[6] ?? (used === words.length ? m[1] : undefined);
    const year: number | null = explicit !== undefined ? Number(explicit.slice(-2)) : null;
    const raw = `${explicit && m[1] ? `${m[1]} ` : ''}${words.slice(words.length - used).join(' ')} ${m[3]}`;
    found.push({ raw, station, serial, year });
    last = { station, year, end: m.index + m[0].length };
  }
  return found;
}

function kindOf(text: string): Reference['kind'] {
  if (/@|\bE-?MAILS?\b/i.test(text)) return 'email';
  if (/\b(?:FAM|FAH|REPORT|LETTER|MEMO|CFR|U\.?S\.?C|UNSCR|IIR)\b/i.test(text)) return 'document';
  return 'other';
}
