import type { Addressee } from '#shared/stages.js';
import { codeAt, isDigit, isWhiteSpace, squash } from './text.js';

/**
 * One address line of FM / TO / INFO / XMT:
 *   `RUEHC/SECSTATE WASHDC 7329`            RI/PLA + message count
 *   `SECSTATE WASHDC PRIORITY 6070`         plain address + precedence + count (no RI, older cables)
 *   `RUEHBS/USEU BRUSSELS IMMEDIATE`        precedence only
 *   `ALL DIPLOMATIC POSTS COLLECTIVE PRIORITY`
 * Precedence words are matched with the typos cables carry (`PIORITY`).
 */

/** Precedence words as cables write them, typos included; `NIACT IMMEDIATE` also ends in one. */
const PRECEDENCE_WORDS = 'IMMEDIATE IMMEDAITE IMMEDIATELY PRIORITY PIORITY PRIOIRTY PRORITY ROUTINE FLASH'.split(' ');
export const PRECEDENCE_SUFFIX = new RegExp(`\\s+(NIACT\\s+IMMEDIATE|${PRECEDENCE_WORDS.join('|')})$`, 'i');
export const SERIAL_SUFFIX = /\s+(\d{3,5})$/;
export const RI_PREFIX = /^(R[A-Z]{3,7})\s*\/\s*(.*)$/;

const PRECEDENCE_CANON: Record<string, string> = {
  IMMEDAITE: 'IMMEDIATE',
  IMMEDIATELY: 'IMMEDIATE',
  PIORITY: 'PRIORITY',
  PRIOIRTY: 'PRIORITY',
  PRORITY: 'PRIORITY',
};

export function parseAddressLine(line: string, excluded = false): Addressee | null {
  // `USDEL SECRETARY//MEXICO//`: what follows `//` is a routing remark, not the address.
  let rest = squash(line);
  // (Each pattern only where its mark is: a header can hold a hundred address lines.)
  if (rest.includes('//')) rest = rest.replace(/\s*\/\/.*$/, '');
  if (isStop(codeAt(rest, rest.length - 1))) rest = rest.replace(/[.,;]+$/, '');
  if (rest === '') return null;
  let ri: string | null = null;
  const riMatch = riPrefix(rest);
  if (riMatch) {
    ri = riMatch.ri;
    rest = riMatch.rest;
  } else if (isBareRi(rest)) {
    // A bare routing indicator with no address (seen in relays and garbled copies).
    return { ri: rest, pla: '', precedence: null, serial: null, excluded };
  }
  let serial: string | null = null;
  let precedence: string | null = null;
  const s = serialSuffix(rest);
  if (s) {
    serial = s.serial;
    rest = rest.slice(0, s.index);
  }
  const p = endsWithDigit(rest) ? null : PRECEDENCE_SUFFIX.exec(rest);
  if (p) {
    const word = squash(p[1]!.toUpperCase());
    precedence = PRECEDENCE_CANON[word] ?? word;
    rest = rest.slice(0, p.index);
    if (!serial) {
      const s2 = serialSuffix(rest);
      if (s2) {
        serial = s2.serial;
        rest = rest.slice(0, s2.index);
      }
    }
  }
  const pla = rest.trim().toUpperCase();
  if (pla === '' && ri === null) return null;
  return { ri, pla, precedence, serial, excluded };
}

/** `.`, `,` or `;`. */
function isStop(c: number): boolean {
  return c === 0x2e || c === 0x2c || c === 0x3b;
}

/**
 * What RI_PREFIX finds in a squashed line (`RUEHC/SECSTATE WASHDC 7329`: `RUEHC`, then what follows
 * the slash), read by character: a header holds many address lines, and each pattern call costs
 * more than the reading. A squashed line holds no line break, so `(.*)$` takes all the rest.
 */
export function riPrefix(squashed: string): { ri: string; rest: string } | null {
  const end = capitalsAfterR(squashed);
  if (end < 4 || end > 8) return null;
  let i = end;
  while (isWhiteSpace(codeAt(squashed, i))) i++;
  if (codeAt(squashed, i) !== 0x2f) return null; // `/`
  i++;
  while (isWhiteSpace(codeAt(squashed, i))) i++;
  return { ri: squashed.slice(0, end), rest: squashed.slice(i) };
}

/** `/^R[A-Z]{3,7}$/`: a routing indicator alone. */
export function isBareRi(s: string): boolean {
  const end = capitalsAfterR(s);
  return end === s.length && end >= 4 && end <= 8;
}

/** Where the run of capitals after a leading `R` ends (0 when the line does not open with `R`). */
function capitalsAfterR(s: string): number {
  if (codeAt(s, 0) !== 0x52) return 0;
  let i = 1;
  for (let c = codeAt(s, 1); c >= 0x41 && c <= 0x5a; c = codeAt(s, ++i));
  return i;
}

/**
 * What SERIAL_SUFFIX finds (`... WASHDC 7329`: the count and where the white space before it
 * starts), read from the end: the pattern would try every run of white space in the line.
 */
export function serialSuffix(s: string): { serial: string; index: number } | null {
  let digits = s.length;
  while (digits > 0 && isDigit(codeAt(s, digits - 1))) digits--;
  const count = s.length - digits;
  if (count < 3 || count > 5) return null;
  let index = digits;
  while (index > 0 && isWhiteSpace(codeAt(s, index - 1))) index--;
  return index === digits ? null : { serial: s.slice(digits), index };
}

function endsWithDigit(s: string): boolean {
  return isDigit(codeAt(s, s.length - 1));
}
