import type { Classification } from '../../../shared/stages.js';
import { BANNER, CLASS_ALONE, CLASS_WORDS } from './grammar.js';

/**
 * The banner: classification, optional SECTION n OF m, station and serial
 * (corpus/FORMATS.md "Banner"):
 *   `S E C R E T MOSCOW 000584`, `C O N F I D E N T I A L SECTION 01 OF 02 ULAANBAATAR 000693`,
 *   `UNCLAS SECTION 01 OF 02 THE HAGUE 001695`, `S e c r e t state 068250` (sentence case).
 */

export interface Banner {
  raw: string;
  classification: Classification;
  modifiers: string;
  station: string | null;
  serial: string | null;
  section: number | null;
  sectionCount: number | null;
}

export function classificationOf(word: string): Classification {
  const w = word.replace(/\s+/g, '').toUpperCase();
  for (const [name, cls] of CLASS_WORDS) if (w === name.replace(/\s+/g, '')) return cls;
  return 'UNCLASSIFIED';
}

/**
 * Whether a line could be a banner: it opens with the first two letters of a classification word
 * (TOP SECRET, SECRET / SENSITIVE, CONFIDENTIAL, LIMITED, UNCLAS; spaced out or not), after the
 * marks BANNER skips, and it holds a digit (a banner ends in its serial). Called on every line of
 * a cable: V8 runs these two small patterns faster than BANNER fails.
 */
const MAY_OPEN_WITH_CLASSIFICATION = /^[\s"'*,]*(?:T\s*O|S\s*E|C\s*O|L\s*I|U\s*N|[^\x00-\x7f])/i;
const DIGIT = /\d/;

function mayOpenWithClassification(line: string): boolean {
  return MAY_OPEN_WITH_CLASSIFICATION.test(line) && DIGIT.test(line);
}

export function matchBanner(line: string): Banner | null {
  // Called on every line of a cable: most lines fail on their first letter, without the regex.
  if (!mayOpenWithClassification(line)) return null;
  const m = BANNER.exec(line);
  if (!m) return null;
  const station = m[5]!.replace(/\s+/g, ' ').trim().toUpperCase();
  // `SECTION 01 OF 02` alone is not a station; a station is letters.
  if (!/^[A-Z]/.test(station) || /^(SECTION|OF|FOR|TO|AND|THE)$/.test(station)) return null;
  return {
    raw: m[0].trim(),
    classification: classificationOf(m[1]!),
    modifiers: m[2]!.toUpperCase().replace(/\s+/g, ''),
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
