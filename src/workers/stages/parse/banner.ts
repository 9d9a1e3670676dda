import type { Classification } from '#shared/stages.js';
import { BANNER, CLASS_ALONE, CLASS_WORDS } from './grammar.js';

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
 * The banner a line holds, or null. The banner's line is asked about by the line repair, the
 * header's labels and the banner search in turn: the last line read is remembered (the result is
 * the same object each time, so it is read-only).
 */
export function matchBanner(line: string): Banner | null {
  // Called on every line of a cable: most lines fail on their first letter, without the regex.
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
