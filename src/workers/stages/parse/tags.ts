import { squash } from './text.js';

/**
 * TAGS entries, in order (corpus/FORMATS.md "TAGS"): `PREF PREL PHUM`, `PTER, PGOV, ASEC`,
 * `OVIP (CLINTON, HILLARY)`, free text (`HUMAN RIGHTS`, `ZANU-PF`) and glued codes (`PHUMBA`).
 * Entries are the words of the line, as the cablegate pages link them: split on white space,
 * commas, semicolons, parentheses and hyphens, upper-cased, each once. A glued entry that the
 * vocabulary splits into known codes is kept as written and followed by its parts
 * (`PHUMBA`, `PHUM`, `BA`), so a search finds it either way.
 */
export function splitTags(raw: string, knownTags?: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const push = (t: string): void => {
    if (t !== '' && !out.includes(t)) out.push(t);
  };
  const words = squash(raw)
    .toUpperCase()
    .split(/[\s,;()\-–]+/)
    .map((w) => w.replace(/^[.'"]+|[.'":]+$/g, ''))
    .filter((w) => /^[A-Z0-9][A-Z0-9.'&/]*$/.test(w));
  for (const w of words) {
    push(w);
    const parts = splitGlued(w, knownTags);
    if (parts.length > 1) for (const p of parts) push(p);
  }
  return out;
}

/** `PHUMBA` -> `PHUM`, `BA` when every part is a known code; otherwise the token alone. */
export function splitGlued(token: string, known?: ReadonlySet<string>): string[] {
  if (!known || known.has(token) || token.length < 5 || !/^[A-Z]+$/.test(token)) return [token];
  const memo = new Map<number, string[] | null>();
  const walk = (i: number): string[] | null => {
    if (i === token.length) return [];
    if (memo.has(i)) return memo.get(i)!;
    let best: string[] | null = null;
    for (const len of [4, 2, 3, 5]) {
      const piece = token.slice(i, i + len);
      if (piece.length === len && known.has(piece)) {
        const tail = walk(i + len);
        if (tail) {
          best = [piece, ...tail];
          break;
        }
      }
    }
    memo.set(i, best);
    return best;
  };
  return walk(0) ?? [token];
}
