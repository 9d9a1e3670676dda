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
  const push = (t: string): void => {
    if (t !== '' && !out.includes(t)) out.push(t);
  };
  const clean = (w: string): string =>
    EDGE_MARKS.includes(w.charAt(0)) || EDGE_MARKS.includes(w.charAt(w.length - 1))
      ? w.replace(/^[.'"]+|[.'":]+$/g, '')
      : w;
  const isWord = (w: string): boolean => /^[A-Z0-9][A-Z0-9.'&/]*$/.test(w);
  const words = squash(raw)
    .toUpperCase()
    .split(/[\s,;()]+/)
    .map(clean)
    .filter((w) => w !== '');
  for (const word of words) {
    const pieces = word.split(/[-–]+/).map(clean).filter(isWord);
    if (pieces.length === 0) continue;
    if (pieces.length > 1 && /^[A-Z0-9][A-Z0-9.'&/\-–]*[A-Z0-9]$/.test(word)) push(word);
    for (const w of pieces) {
      push(w);
      const parts = splitGlued(w, knownTags);
      if (parts.length > 1) for (const p of parts) push(p);
      else if (knownTags) {
        const fixed = extraLetterFix(w, knownTags);
        if (fixed) push(fixed);
      }
    }
  }
  return out;
}

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
  if (!known || known.has(token) || token.length < 5 || !/^[A-Z]+$/.test(token)) return [token];
  const memo = new Map<string, string[] | null>();
  const walk = (i: number, unknownLeft: number): string[] | null => {
    if (i === token.length) return [];
    const key = `${i}:${unknownLeft}`;
    if (memo.has(key)) return memo.get(key)!;
    let best: string[] | null = null;
    for (const len of [4, 2, 3, 5]) {
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
    return shortParts === exact.length || shortParts > 2 ? [token] : exact;
  }
  const loose = walk(0, 1);
  if (!loose || loose.some((p) => p.length !== 4) || loose.filter((p) => known.has(p)).length < 2) return [token];
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
