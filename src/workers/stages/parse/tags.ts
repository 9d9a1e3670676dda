import { squash } from './text.js';

/** Marks a TAGS word may carry at either end (`PREL.`, `"KDEM"`, `ECON:`). */
const EDGE_MARKS = `.'":`;

/**
 * TAGS entries, in order (corpus/FORMATS.md "TAGS"): `PREF PREL PHUM`, `PTER, PGOV, ASEC`,
 * `OVIP (CLINTON, HILLARY)`, free text (`HUMAN RIGHTS`, `ZANU-PF`) and glued codes (`PHUMBA`).
 * Entries are the words of the line, as the cablegate pages link them: split on white space,
 * commas, semicolons and parentheses, upper-cased, each once. A compound word is kept as written
 * and followed by its parts, so a search finds it either way: hyphenated names (`ZANU-PF`,
 * `ZANU`, `PF`), glued codes the vocabulary splits (`PHUMBA`, `PHUM`, `BA`), and a code
 * misspelt by one extra letter (`MOPPS`, `MOPS`; `UNDESCO`, `UNESCO`).
 */
export function splitTags(raw: string, knownTags?: ReadonlySet<string>): string[] {
  const out: string[] = [];
  // (Called on every cable: no closures or intermediate arrays for the common word without a dash.)
  for (const piece of squash(raw).toUpperCase().split(ENTRY_SEPARATORS)) {
    const word = withoutEdgeMarks(piece);
    if (word === '') continue;
    if (!word.includes('-') && !word.includes('–')) {
      if (TAG_WORD.test(word)) addWithParts(out, word, knownTags);
      continue;
    }
    const parts = word
      .split(DASHES)
      .map(withoutEdgeMarks)
      .filter((w) => TAG_WORD.test(w));
    if (parts.length === 0) continue;
    if (parts.length > 1 && COMPOUND_WORD.test(word)) addTag(out, word);
    for (const w of parts) addWithParts(out, w, knownTags);
  }
  return out;
}

const ENTRY_SEPARATORS = /[\s,;()]+/;
const DASHES = /[-–]+/;
const TAG_WORD = /^[A-Z0-9][A-Z0-9.'&/]*$/;
const COMPOUND_WORD = /^[A-Z0-9][A-Z0-9.'&/\-–]*[A-Z0-9]$/;

/** `PREL.` -> `PREL`, `"KDEM"` -> `KDEM`, `ECON:` -> `ECON`. */
function withoutEdgeMarks(w: string): string {
  return EDGE_MARKS.includes(w.charAt(0)) || EDGE_MARKS.includes(w.charAt(w.length - 1))
    ? w.replace(/^[.'"]+|[.'":]+$/g, '')
    : w;
}

function addTag(out: string[], t: string): void {
  if (t !== '' && !out.includes(t)) out.push(t);
}

/** A word, then the codes it is glued from, or else the code it misspells by an extra letter. */
function addWithParts(out: string[], w: string, knownTags?: ReadonlySet<string>): void {
  addTag(out, w);
  const parts = gluedParts(w, knownTags);
  if (parts !== null && parts.length > 1) for (const p of parts) addTag(out, p);
  else if (knownTags) {
    const fixed = extraLetterFix(w, knownTags);
    if (fixed) addTag(out, fixed);
  }
}

/** Part lengths in the order tried: codes are four letters, countries two. */
const PART_LENGTHS = [4, 2, 3, 5];

/** Shapes of the codes in the TAGS vocabulary: subject codes start with these letters. */
const CODE_SHAPE = /^[ACEKMOPST][A-Z]{3}$/;

/**
 * `PHUMBA` -> `PHUM`, `BA`; `AMEDCASCKFLO` -> `AMED`, `CASC`, `KFLO`. Every part is a known
 * code, except that one four-letter part shaped like a subject code may be unknown when the
 * others are known four-letter codes, at least two (the vocabulary lags behind the codes in use).
 * Splits into two-letter parts only, or into three or more of them (`POLITICS` -> `PO LI TI CS`),
 * are words, not glued codes.
 */
export function splitGlued(token: string, known?: ReadonlySet<string>): string[] {
  return gluedParts(token, known) ?? [token];
}

/** splitGlued's parts, or null for a token that is no glued codes. */
function gluedParts(token: string, known?: ReadonlySet<string>): string[] | null {
  if (!known || known.has(token) || token.length < 5 || !/^[A-Z]+$/.test(token)) return null;
  const memo = new Map<string, string[] | null>();
  const walk = (i: number, unknownLeft: number): string[] | null => {
    if (i === token.length) return [];
    const key = `${i}:${unknownLeft}`;
    if (memo.has(key)) return memo.get(key)!;
    let best: string[] | null = null;
    for (const len of PART_LENGTHS) {
      const piece = token.slice(i, i + len);
      if (piece.length !== len) continue;
      const isKnown = known.has(piece);
      if (!isKnown && !(unknownLeft > 0 && CODE_SHAPE.test(piece))) continue;
      const tail = walk(i + len, isKnown ? unknownLeft : unknownLeft - 1);
      if (tail) {
        best = [piece, ...tail];
        break;
      }
    }
    memo.set(key, best);
    return best;
  };
  const exact = walk(0, 0);
  if (exact) {
    const shortParts = exact.filter((p) => p.length === 2).length;
    return shortParts === exact.length || shortParts > 2 ? null : exact;
  }
  const loose = walk(0, 1);
  if (!loose || loose.some((p) => p.length !== 4) || loose.filter((p) => known.has(p)).length < 2) return null;
  return loose;
}

/** `MOPPS` -> `MOPS`: an unknown word that is a known code of four or more letters plus one letter. */
export function extraLetterFix(token: string, known: ReadonlySet<string>): string | null {
  if (known.has(token) || token.length < 5 || token.length > 9 || !/^[A-Z]+$/.test(token)) return null;
  for (let i = 0; i < token.length; i++) {
    const candidate = token.slice(0, i) + token.slice(i + 1);
    if (known.has(candidate)) return candidate;
  }
  return null;
}
