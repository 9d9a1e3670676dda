import { normalisedText } from '#shared/text.js';
/**
 * Text clean-up before the grammar runs. Pure.
 * - CRLF / CR line ends (textonly/ corpus) become LF.
 * - Markdown renderings of cablegate pages (the seeds): `[PREF](#)` links, two trailing spaces.
 * - The original charset's `,s` for `'s` (`Kabuye,s`, corpus/FORMATS.md "Characters").
 * - Unicode line and paragraph separators, read as spaces.
 * - HTML entities a page export may leave (`&#8217;`), and CSV debris (a backslash ending a line).
 * Each rewrite runs only when its trigger character occurs: this runs on every cable.
 */
const ENTITIES: Record<string, string> = { amp: '&', quot: '"', lt: '<', gt: '>', apos: "'", nbsp: ' ' };

export function normaliseText(text: string): string {
  return normaliseLines(text).join('\n');
}

/** normaliseText, as lines (what the grammar reads). */
export function normaliseLines(text: string): string[] {
  return normalisedCable(text).lines;
}

export interface NormalisedLines {
  lines: string[];
  /**
   * The lines that end in a digit, a `Z` or white space, in order: the only ones that can be page
   * markers (body.ts isPageMarker), noted while the text is cut, so that a body without any is
   * taken whole rather than read again line by line.
   */
  digitOrZEnds: number[];
  /**
   * The lines whose first character may open a banner (mayOpenBanner), in order: the only ones a
   * glued banner can be split off (line-repair.ts), noted while the text is cut.
   */
  mayOpenBanner: number[];
}

/**
 * normaliseLines, with the lines that may be page markers noted. The text is first what
 * shared/text.ts says the text is (BOM, line ends, trailing white space): the one normaliser; what
 * follows here only undoes page-export artefacts for the grammar. On text the pipeline normalised
 * already, that first step finds nothing to do.
 */
export function normalisedCable(text: string): NormalisedLines {
  let t = normalisedText(text);
  // U+2028/U+2029/NEL inside lines: JavaScript's `.` stops at them, and the pages show them as spaces.
  if (t.includes('\u2028') || t.includes('\u2029') || t.includes('\u0085')) t = t.replace(/[\u2028\u2029\u0085]/g, ' ');
  if (t.includes('](')) t = t.replace(/\[([^\]\n]{1,80})\]\((?:#|[^)\s]{0,200})\)/g, '$1');
  // `&` is common in prose (`R&D`, `Trade & Investment`): each pass runs only when its entity form is there.
  if (t.includes('&#')) {
    t = t
      .replace(/&#(\d{2,6});/g, (_, n: string) => String.fromCodePoint(Math.min(Number(n), 0x10ffff)))
      .replace(/&#x([0-9a-f]{2,5});/gi, (_, h: string) => String.fromCodePoint(Math.min(parseInt(h, 16), 0x10ffff)));
  }
  if (holdsNamedEntity(t)) t = t.replace(NAMED_ENTITY, (_, e: string) => ENTITIES[e] ?? '');
  if (t.includes(',s')) t = withApostrophes(t);
  return trimmedLines(t);
}

/**
 * The lines of `t` (as `t.split('\n')`) without trailing white space (markdown's two-space line
 * breaks) and without one trailing CSV backslash and the white space before it: each line is cut
 * once, at its trimmed end, rather than split off and then copied again without its end.
 */
function trimmedLines(t: string): NormalisedLines {
  const lines: string[] = [];
  const digitOrZEnds: number[] = [];
  // Stored by index, not pushed: V8 compiles these pushes (a string array, a small-integer array) to
  // a call of the push builtin, about twice the cost of a store past the end for each of ~130 lines.
  const bannerStarts: number[] = [];
  let lineCount = 0;
  let markerCount = 0;
  let bannerCount = 0;
  let start = 0;
  for (;;) {
    const newline = t.indexOf('\n', start);
    const lineEnd = newline < 0 ? t.length : newline;
    let end = lineEnd;
    // Most lines end in neither: their last character rules them out without a scan.
    if (mayEndInSpaceOrBackslash(t.charCodeAt(end - 1)) && end > start) {
      while (end > start && isWhiteSpace(t.charCodeAt(end - 1))) end--;
      if (end > start && t.charCodeAt(end - 1) === 0x5c) {
        end--;
        while (end > start && isWhiteSpace(t.charCodeAt(end - 1))) end--;
      }
    }
    if (end > start && mayEndPageMarker(t.charCodeAt(end - 1))) digitOrZEnds[markerCount++] = lineCount;
    // Stored at every line and kept by the count: no branch on the line's first character, which
    // the processor cannot predict from one line to the next.
    bannerStarts[bannerCount] = lineCount;
    bannerCount += end > start ? OPENS_BANNER[Math.min(t.charCodeAt(start), 0x80)]! : 0;
    lines[lineCount++] = t.slice(start, end);
    if (newline < 0) {
      bannerStarts.length = bannerCount;
      return { lines, digitOrZEnds, mayOpenBanner: bannerStarts };
    }
    start = newline + 1;
  }
}

const NAMED_ENTITY = /&(amp|quot|lt|gt|apos|nbsp);/g;
const NAMED_ENTITY_AT = /&(?:amp|quot|lt|gt|apos|nbsp);/y;

/** Whether any `&` opens a named entity: a pattern run over the whole text would try every position. */
function holdsNamedEntity(t: string): boolean {
  for (let i = t.indexOf('&'); i >= 0; i = t.indexOf('&', i + 1)) {
    NAMED_ENTITY_AT.lastIndex = i;
    if (NAMED_ENTITY_AT.test(t)) return true;
  }
  return false;
}

/**
 * `Kabuye,s` -> `Kabuye's`: what `t.replace(/([A-Za-z]),s\b/g, "$1's")` gives, found from each `,s`
 * (a pattern that opens with a letter is tried at every letter of the text).
 */
function withApostrophes(t: string): string {
  let out = '';
  let copied = 0;
  let matchEnd = 0;
  for (let i = t.indexOf(',s'); i >= 0; i = t.indexOf(',s', i + 1)) {
    // The letter before must not belong to the previous match (`a,s,s` -> `a's,s`).
    if (i - 1 < matchEnd || !isAsciiLetter(t.charCodeAt(i - 1)) || isWordCharacter(t.charCodeAt(i + 2))) continue;
    out += t.slice(copied, i) + "'";
    copied = i + 1;
    matchEnd = i + 2;
  }
  return matchEnd === 0 ? t : out + t.slice(copied);
}

function isAsciiLetter(c: number): boolean {
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x7a;
}

/** An ASCII digit (NaN, past the end, is not). */
export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** What `\w` matches (NaN, past the end, is not). */
export function isWordCharacter(c: number): boolean {
  return isAsciiLetter(c) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
}

/**
 * `s.charCodeAt(i)`, for code that reads the lines one character at a time. The lines come in
 * several string representations (sliced or flat, one or two bytes a character, empty): a
 * `line.charCodeAt` call site that meets more than four of them looks the method up in V8's
 * megamorphic cache at every call, where a call through String.prototype is compiled inline.
 */
export function codeAt(s: string, i: number): number {
  // `s + ''` is the string itself, known to V8 as a string: its length is read without a lookup, and
  // a read checked against it is compiled inline (one past the end would make every read a call).
  const str = s + '';
  return i >= 0 && i < str.length ? String.prototype.charCodeAt.call(str, i) : NaN;
}

/** `s.includes(part)`, called through String.prototype for the reason codeAt is. */
export function holds(s: string, part: string): boolean {
  return String.prototype.includes.call(s + '', part);
}

/** What `\\s` matches and `trimEnd` takes (WhiteSpace and LineTerminator), by character code. */
export function isWhiteSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * Whether a line's first character may open a banner (banner.ts mayOpenWithClassification): white
 * space, the marks a banner may stand after (`"'*,`), the first letter of a classification word in
 * either case, or any character past ASCII (white space such as U+00A0 is skipped).
 */
export function mayOpenBanner(c: number): boolean {
  return OPENS_BANNER[Math.min(c, 0x80)] === 1;
}
/** 1 for the ASCII characters a banner may open with; the last entry stands for every character past ASCII. */
const OPENS_BANNER = new Uint8Array(0x81);
for (const ch of ' \t\n\v\f\r"\'*,tTsScClLuU') OPENS_BANNER[ch.charCodeAt(0)] = 1;
OPENS_BANNER[0x80] = 1;

/** A digit, `Z` or white space: how every page marker ends (body.ts isPageMarker). */
export function mayEndPageMarker(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x5a || isWhiteSpace(c);
}

function mayEndInSpaceOrBackslash(c: number): boolean {
  return c === 0x5c || isWhiteSpace(c);
}

/** Collapse runs of white space: the form used to compare and to store short fields. */
export function squash(s: string): string {
  // Same result as replacing every `\s+` by a space, but single spaces (most of them) are left alone: about 3x faster.
  // (A character loop that returns the string when nothing needs collapsing was measured slower: 0.92x.)
  return s.replace(/\s{2,}|[^\S ]/g, ' ').trim();
}
