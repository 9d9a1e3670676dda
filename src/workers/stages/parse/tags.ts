import { squash } from './text.js';

/**
 * TAGS entries, in order, raw (corpus/FORMATS.md "TAGS"):
 *   `PREF PREL PHUM`, `PTER, PGOV, ASEC` (commas), `OVIP (CLINTON, HILLARY)` (person tags),
 *   `India-Burma`, `HUMAN RIGHTS` (free text), `PHUMBA` (glued: split when the vocabulary knows the parts).
 */
const CODE = /^[A-Z]{2,5}$/;

export function splitTags(raw: string, knownTags?: ReadonlySet<string>): string[] {
  const text = squash(raw).replace(/[;.]+$/, '');
  const out: string[] = [];
  const push = (t: string): void => {
    const v = squash(t).replace(/^[,;.]+|[,;.]+$/g, '').trim();
    if (v === '' || out.includes(v)) return;
    out.push(v);
  };
  // Person tags keep their parenthesised name as one entry: `OVIP (RICE, CONDOLEEZZA)`.
  const parts: string[] = [];
  let rest = text;
  for (const m of text.matchAll(/\(([^()]{2,60})\)/g)) {
    const before = rest.slice(0, rest.indexOf(m[0]));
    parts.push(before, `\u0000${m[1]!}`);
    rest = rest.slice(rest.indexOf(m[0]) + m[0].length);
  }
  parts.push(rest);
  for (const part of parts) {
    if (part.startsWith('\u0000')) {
      push(part.slice(1).toUpperCase());
      continue;
    }
    const hasCommas = part.includes(',');
    const items = hasCommas ? part.split(',') : [part];
    for (const item of items) {
      const words = squash(item).split(' ').filter((w) => w.length > 0);
      if (words.length === 0) continue;
      const allCodes = words.every((w) => CODE.test(w.toUpperCase()) && w === w.toUpperCase());
      if (hasCommas && !allCodes && words.length > 1) {
        push(item.toUpperCase());
        continue;
      }
      let freeText: string[] = [];
      const flush = (): void => {
        if (freeText.length > 0) push(freeText.join(' '));
        freeText = [];
      };
      for (const w of words) {
        const up = w.toUpperCase();
        if (CODE.test(up) && (w === up || words.length <= 12) && !(freeText.length > 0 && up.length === 5)) {
          flush();
          for (const t of splitGlued(up, knownTags)) push(t);
        } else if (/^[A-Z]{6,}$/.test(up) && knownTags && splitGlued(up, knownTags).length > 1) {
          flush();
          for (const t of splitGlued(up, knownTags)) push(t);
        } else {
          freeText.push(up);
        }
      }
      flush();
    }
  }
  return out;
}

/** `PHUMBA` -> `PHUM`, `BA` when both are known codes; otherwise the token unchanged. */
export function splitGlued(token: string, known?: ReadonlySet<string>): string[] {
  if (!known || known.has(token) || token.length < 6) return [token];
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
