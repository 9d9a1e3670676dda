import type { Classification } from '#shared/stages.js';
import { BANNER, CLASS_ALONE, CLASS_WORDS } from './grammar.js';
import { codeAt, isWhiteSpace, mayOpenBanner } from './text.js';

/**
 * The banner: classification, optional SECTION n OF m, station and serial
 * (corpus/FORMATS.md "Banner"):
 *   `S E C R E T MOSCOW 000584`, `C O N F I D E N T I A L SECTION 01 OF 02 ULAANBAATAR 000693`,
 *   `UNCLAS SECTION 01 OF 02 THE HAGUE 001695`, `S e c r e t state 068250` (sentence case).
 */

export interface Banner {
  readonly raw: string;
  readonly classification: Classification;
  readonly modifiers: string;
  readonly station: string | null;
  readonly serial: string | null;
  readonly section: number | null;
  readonly sectionCount: number | null;
}

export function classificationOf(word: string): Classification {
  // Most banners write the word as the table keys it (`SECRET`): looked up as it is, before a copy is made.
  return (
    CLASSIFICATION_OF_LETTERS.get(word) ??
    CLASSIFICATION_OF_LETTERS.get(word.replace(/\s+/g, '').toUpperCase()) ??
    'UNCLASSIFIED'
  );
}
/** Each classification word without its spaces (`TOPSECRET`), as spaced-out banners read once joined. */
const CLASSIFICATION_OF_LETTERS = new Map(CLASS_WORDS.map(([name, cls]) => [name.replace(/\s+/g, ''), cls]));

/**
 * Whether a line could be a banner: it opens with the first three letters of a classification word
 * (TOP SECRET, SECRET / SENSITIVE, CONFIDENTIAL, LIMITED, UNCLAS; spaced out or not, any case),
 * after the marks BANNER skips (white space, `"'*,`); and it holds a digit (a banner ends in its
 * serial). A non-ASCII letter matches no ASCII one, whatever its case (`¶1. (C) Summary` is no
 * banner). Called on every line of a cable's head, so it reads character codes: most lines fail
 * on their first letter.
 */
export function mayOpenWithClassification(line: string): boolean {
  let i = 0;
  let c = codeAt(line, 0);
  // Most lines open with a character that is neither skipped nor a classification word's first letter.
  if (!mayOpenBanner(c)) return false;
  while (isWhiteSpace(c) || c === 0x22 || c === 0x27 || c === 0x2a || c === 0x2c) c = codeAt(line, ++i);
  // The letters each classification word's first letter asks for next (lower case codes): `to`
  // then `p`; `se` then `c` or `n` (SECRET, SENSITIVE); `co` then `n`; `li` then `m`; `un` then
  // `c`. Three letters rule out many English lines that open like a banner (`To the`, `Under`).
  let second: number;
  let third: number;
  let otherThird = -1;
  switch (c | 0x20) {
    case 0x74: // t
      second = 0x6f; // o
      third = 0x70; // p
      break;
    case 0x73: // s
      second = 0x65; // e
      third = 0x63; // c
      otherThird = 0x6e; // n
      break;
    case 0x63: // c
      second = 0x6f; // o
      third = 0x6e; // n
      break;
    case 0x6c: // l
      second = 0x69; // i
      third = 0x6d; // m
      break;
    case 0x75: // u
      second = 0x6e; // n
      third = 0x63; // c
      break;
    default:
      return false;
  }
  do c = codeAt(line, ++i);
  while (isWhiteSpace(c));
  if ((c | 0x20) !== second) return false;
  do c = codeAt(line, ++i);
  while (isWhiteSpace(c));
  c |= 0x20;
  if (c !== third && c !== otherThird) return false;
  return DIGIT.test(line);
}
const DIGIT = /\d/;

/**
 * The banner a line holds, or null. The banner's line is asked about by the line repair, the
 * header's labels and the banner search in turn: the last line read is remembered (the result is
 * the same object each time, so it is read-only).
 */
export function matchBanner(line: string): Banner | null {
  // Called on every line of a cable: most lines fail on their first letter, without the regex.
  if (!mayOpenWithClassification(line)) return null;
  if (line !== lastLine) {
    lastBanner = bannerOf(line);
    lastLine = line;
  }
  return lastBanner;
}
let lastLine: string | null = null;
let lastBanner: Banner | null = null;

const NOT_STATIONS = new Set(['SECTION', 'OF', 'FOR', 'TO', 'AND', 'THE']);

function bannerOf(line: string): Banner | null {
  const m = BANNER.exec(line);
  if (!m) return null;
  // The station's only white space is the space (BANNER's class): a copy is made only for a run of them.
  const words = m[5]!;
  const station = (words.includes('  ') ? words.replace(/\s+/g, ' ') : words).trim().toUpperCase();
  // `SECTION 01 OF 02` alone is not a station; a station is letters.
  if (!/^[A-Z]/.test(station) || NOT_STATIONS.has(station)) return null;
  const modifiers = m[2]!;
  return {
    raw: m[0].trim(),
    classification: classificationOf(m[1]!),
    modifiers: modifiers === '' ? '' : modifiers.toUpperCase().replace(/\s+/g, ''),
    station,
    serial: m[6]!,
    section: m[3] ? Number(m[3]) : null,
    sectionCount: m[4] ? Number(m[4]) : null,
  };
}

export function matchClassificationAlone(line: string): Classification | null {
  const m = CLASS_ALONE.exec(line);
  return m ? classificationOf(m[1]!) : null;
}

/** Security-line letters: `SSSSS` SECRET, `CCCCC` CONFIDENTIAL, `UUUUU`/`EEEEE` UNCLASSIFIED. */
export function classificationFromSecurityLetters(letters: string): Classification | null {
  switch (letters[0]) {
    case 'T':
      return 'TOP SECRET';
    case 'S':
      return 'SECRET';
    case 'C':
      return 'CONFIDENTIAL';
    case 'U':
    case 'E':
      return 'UNCLASSIFIED';
    default:
      return null;
  }
}
