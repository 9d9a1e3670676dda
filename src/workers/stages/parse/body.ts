import { PAGE_MARKERS, PARAGRAPH } from './grammar.js';
import { codeAt, isDigit, isWhiteSpace, isWordCharacter, squash } from './text.js';

/**
 * Paragraphs, page markers, summary and signers (corpus/FORMATS.md "Paragraphs",
 * "Page/section markers inside the body", "Trailer").
 */

export function isPageMarker(line: string): boolean {
  // Both forms end in a digit or `Z`: most lines are ruled out by their last character.
  const last = codeAt(line, line.length - 1);
  if (last >= 0x30 && last <= 0x39) return endsInPageCount(line) && PAGE_MARKERS[0]!.test(line);
  if (last === 0x5a) return PAGE_MARKERS[1]!.test(line);
  // White space at the end (lines not normalised): let the patterns decide.
  return isWhiteSpace(last) && PAGE_MARKERS.some((re) => re.test(line));
}

/**
 * Whether a line ending in a digit ends as the serial page marker does: white space, then three
 * digits (`... 002 OF 002`). Most lines that end in a digit end in a year or a longer number.
 */
function endsInPageCount(line: string): boolean {
  const n = line.length;
  return isDigit(codeAt(line, n - 2)) && isDigit(codeAt(line, n - 3)) && isWhiteSpace(codeAt(line, n - 4));
}

export interface Paragraph {
  number: number;
  portionMark: string | null;
  /** Its text: from after its number and mark to the next paragraph (page markers left out). */
  text: string;
}

/**
 * Numbered paragraphs. The seeds render `¶1.` as `11.` (`¶` read as `1`): when no `¶` is present
 * and the numbers read 11, 12, 13 ... with the leading 1 stripped they run 1, 2, 3 ..., strip it.
 */
export function findParagraphs(lines: readonly string[]): Paragraph[] {
  const raw: Array<{ digits: string; pilcrow: boolean; portionMark: string | null; line: number; at: number }> = [];
  for (const [index, line] of lines.entries()) {
    const m = PARAGRAPH.exec(line);
    if (!m) continue;
    const pilcrow = m[1] !== undefined;
    const digits = (m[1] ?? m[2])!;
    // A bare number needs a portion mark or a capital after it to count as a paragraph.
    if (!pilcrow && !m[3] && !/^\s*\d{1,3}\s?\.\s+[A-Z"(]/.test(line)) continue;
    raw.push({ digits, pilcrow, portionMark: m[3] ? portionMark(m[3]) : null, line: index, at: m[0].length });
  }
  const anyPilcrow = raw.some((p) => p.pilcrow);
  const stripped = raw.map((p) => (p.digits.length >= 2 && p.digits.startsWith('1') ? Number(p.digits.slice(1)) : -1));
  const pilcrowArtefact =
    !anyPilcrow && raw.length > 0 && stripped[0] === 1 && stripped.every((n, i) => i === 0 || n > 0);
  const kept: Array<{ number: number; portionMark: string | null; line: number; at: number }> = [];
  const numbers = raw.map((p, i) => (pilcrowArtefact ? stripped[i]! : Number(p.digits)));
  let last = 0;
  raw.forEach((p, i) => {
    const n = numbers[i]!;
    // Numbered list items inside a paragraph restart at 1; keep the paragraph sequence. A number
    // that skips ahead counts when it is marked as a paragraph (`¶`, or a portion mark) and the
    // number it skips is not still to come: a paragraph lost (cut, or run into a heading's rule)
    // does not take the rest with it, and a stray `¶8.` does not swallow 4 to 7.
    const skipsAhead = n > last + 1 && (p.pilcrow || p.portionMark !== null) && !numbers.includes(last + 1, i + 1);
    if (n === last + 1 || skipsAhead) {
      kept.push({ number: n, portionMark: p.portionMark, line: p.line, at: p.at });
      last = n;
    }
  });
  return kept.map((p, k) => {
    const end = kept[k + 1]?.line ?? lines.length;
    const own = [lines[p.line]!.slice(p.at)];
    for (let i = p.line + 1; i < end; i++) if (!isPageMarker(lines[i]!)) own.push(lines[i]!);
    return { number: p.number, portionMark: p.portionMark, text: own.join('\n').trim() };
  });
}

/** A portion mark's letters (`[A-Z/ ]`) squashed: most (`C`, `S/NF`) have no space to collapse. */
function portionMark(letters: string): string {
  const spaced = letters.charCodeAt(0) === 0x20 || letters.charCodeAt(letters.length - 1) === 0x20;
  return spaced || letters.includes('  ') ? squash(letters) : letters;
}

/*
 * Every summary mark holds the word SUMMARY: each mark's pattern is tried only where the word
 * stands (patterns run over the whole text try every position). The words are found in order, as
 * far as a question needs them: a summary that ends early leaves the rest of a long body unsearched.
 *   label    `Summary:`, `SUMMARY AND COMMENT:`, `Summary and Action Request.`, `Summary/Comment:`
 *   heading  `SUMMARY` as a line, underlined or framed: `-------- SUMMARY --------`, `Summary -------`
 *   end      `END SUMMARY`, `END OF SUMMARY AND COMMENT.`
 */
const SUMMARY_WORD = /SUMMARY/gi;
const LABEL_AT =
  /SUMMARY(?:\s*(?:AND|&|\/)\s*(?:COMMENT|ACTION\s+REQUESTS?|INTRODUCTION|ANALYSIS))?\s*(?::|\.|-{1,2}(?!-))\s*/iy;
const HEADING_FROM_LINE_START =
  /^[\s\-‐‑‒–—=_*]*SUMMARY(?:\s*(?:AND|&|\/)\s*(?:COMMENT|INTRODUCTION|ANALYSIS))?[\s\-‐‑‒–—=_*:]*$/imy;
const END_AT = /SUMMARY(?:\s*(?:AND|&|\/)\s*(?:COMMENT|ACTION\s+REQUESTS?|INTRODUCTION|ANALYSIS))?\b\.?/iy;
const END_BEFORE = /\bEND\s+(?:OF\s+)?$/i;
/** A paragraph's own marks at the start of the summary text: `1. (C)`, `¶2.`, `(SBU)`. */
const LEADING_MARKS = /^(?:(?:¶\s?)?\d{1,3}\s?\.\s*)?(?:\([A-Z/ ]{1,12}\)\s*)?/;

const PARAGRAPH_MARKS = /\n\s*(?:¶\s?)?\d{1,3}\s?\.\s*(?:\([A-Z/ ]{1,12}\)\s*)?(?=\S)/g;

interface Mark {
  index: number;
  end: number;
}

export class SummaryMarks {
  /** Where the words found so far stand, in order. */
  private readonly words: number[] = [];
  /** Where the search for the next word starts; -1 once the text holds no more. */
  private searchFrom = 0;

  constructor(private readonly text: string) {}

  /** Where the k-th word stands (from 0), or -1 when the text holds fewer. */
  private wordAt(k: number): number {
    while (k >= this.words.length && this.searchFrom >= 0) {
      SUMMARY_WORD.lastIndex = this.searchFrom;
      const m = SUMMARY_WORD.exec(this.text);
      if (m) this.words.push(m.index);
      this.searchFrom = m ? SUMMARY_WORD.lastIndex : -1;
    }
    return k < this.words.length ? this.words[k]! : -1;
  }

  /** The word at `at` is preceded by `END ` / `END OF `: returns where END starts. */
  private endStart(at: number, from: number): number | null {
    // END and the white space after it: 40 characters are plenty, and the pattern tries each one.
    const before = this.text.slice(Math.max(from, at - 40), at);
    const m = END_BEFORE.exec(before);
    return m ? at - before.length + m.index : null;
  }

  private isWordStart(at: number, from: number): boolean {
    return at === from || !isWordCharacter(codeAt(this.text, at - 1));
  }

  firstLabel(from = 0): Mark | null {
    for (let k = 0, at = this.wordAt(0); at >= 0; at = this.wordAt(++k)) {
      if (at < from || !this.isWordStart(at, from) || this.endStart(at, from) !== null) continue;
      LABEL_AT.lastIndex = at;
      const m = LABEL_AT.exec(this.text);
      if (m) return { index: at, end: at + m[0].length };
    }
    return null;
  }

  /**
   * The label that starts at `at`, if one does: what firstLabel(at) finds when it stands at `at`.
   * Asked where a summary's text begins; firstLabel would read every word to the end of the text
   * when none stands there (a summary's own END SUMMARY is no label).
   */
  labelAt(at: number): Mark | null {
    LABEL_AT.lastIndex = at;
    const m = LABEL_AT.exec(this.text);
    return m ? { index: at, end: at + m[0].length } : null;
  }

  /**
   * The first heading that starts at or before `until`. A heading starts where the line of its word
   * starts, with nothing but rules and white space before the word: a word after `until` can only
   * start a heading after it (a word before it on the same line would stand in the way).
   */
  firstHeading(until = Infinity): Mark | null {
    for (let k = 0, at = this.wordAt(0); at >= 0 && at <= until; at = this.wordAt(++k)) {
      HEADING_FROM_LINE_START.lastIndex = this.text.lastIndexOf('\n', at) + 1;
      const m = HEADING_FROM_LINE_START.exec(this.text);
      if (m) return { index: m.index, end: m.index + m[0].length };
    }
    return null;
  }

  firstEnd(from = 0): Mark | null {
    for (let k = 0, at = this.wordAt(0); at >= 0; at = this.wordAt(++k)) {
      if (at < from) continue;
      const start = this.endStart(at, from);
      if (start === null) continue;
      END_AT.lastIndex = at;
      const m = END_AT.exec(this.text);
      if (m) return { index: start, end: at + m[0].length };
    }
    return null;
  }
}

/**
 * The summary (corpus/FORMATS.md, cablemap's summaries): after a `Summary:` label, or under a
 * `SUMMARY` heading, or the paragraph that ends in `END SUMMARY`; it runs to `END SUMMARY` or to
 * the end of its paragraph.
 */
export function findSummary(fullText: string): string | null {
  // Summaries open a cable: look in its first 30,000 characters (bodies run to 100 KB).
  const bodyText = fullText.length > 30_000 ? fullText.slice(0, 30_000) : fullText;
  const marks = new SummaryMarks(bodyText);
  let start: number;
  const label = marks.firstLabel();
  // Only a heading before the label can win.
  const heading = marks.firstHeading(label ? label.index : Infinity);
  if (heading && (!label || heading.index <= label.index)) {
    start = heading.end;
  } else if (label) {
    start = label.end;
  } else {
    // No label: the paragraph that ends in END SUMMARY, or else the first numbered paragraph (the lead).
    const endOnly = marks.firstEnd();
    const before = endOnly ? bodyText.slice(0, endOnly.index) : bodyText;
    const paragraph = /(?:^|\n)\s*(?:¶\s?)?\d{1,3}\s?\.\s*(?=\(|[A-Z"])/g;
    const para = endOnly ? [...before.matchAll(paragraph)].at(-1) : paragraph.exec(before);
    if (!para) return null;
    start = para.index;
  }
  // The summary's text is a suffix of bodyText: marks found in bodyText from `offset` on are its own.
  let offset = start + (bodyText.slice(start).match(/^[\s\-‐‑‒–—=_*]+/)?.[0].length ?? 0);
  offset += LEADING_MARKS.exec(bodyText.slice(offset))![0].length;
  // `1. (C) Summary: ...` under a heading, or `Summary: (SBU) ...`.
  const own = marks.labelAt(offset);
  if (own) offset = own.end;
  offset += /^\([A-Z/ ]{1,12}\)\s*/.exec(bodyText.slice(offset, offset + 40))?.[0].length ?? 0;
  const endMark = marks.firstEnd(offset);
  let text = endMark ? bodyText.slice(offset, endMark.index) : bodyText.slice(offset);
  if (!endMark) {
    // To the end of the paragraph: a blank line before the next numbered paragraph or heading.
    const stop = text.search(/\n\s*\n\s*(?:¶\s?\d|\d{1,3}\s?\.|[-=]{3,}|[A-Z][A-Z ,'-]{3,}(?:\n|$))/);
    if (stop >= 0) text = text.slice(0, stop);
    const heading2 = dashRuleAt(text);
    if (heading2 >= 0) text = text.slice(0, heading2);
  }
  // A summary over several paragraphs keeps their text, not their numbers and portion marks.
  const t = squash(text.replace(PARAGRAPH_MARKS, '\n'));
  return t.length > 0 ? t : null;
}

/**
 * Where a rule of four or more dashes between white space stands (`Summary ... ---- Comment`), or
 * -1. The pattern tries every white space; four dashes, found by a character search, are rarer.
 */
export function dashRuleAt(text: string): number {
  return text.includes('----') ? text.search(/\s-{4,}\s/) : -1;
}

/**
 * `BURNS.`, `MINTON,` `#`: the trailing `.`, `,` and `#` off (a `$`-anchored pattern would be tried at
 * every position).
 */
function withoutTrailingPunctuation(t: string): string {
  let end = t.length;
  for (let c = codeAt(t, end - 1); c === 0x2e || c === 0x2c || c === 0x23; c = codeAt(t, end - 1)) end--;
  return end === t.length ? t : t.slice(0, end);
}

const NOT_SIGNER =
  /^(?:S\s?E\s?C\s?R\s?E\s?T|C\s?O\s?N\s?F\s?I\s?D\s?E\s?N\s?T\s?I\s?A\s?L|UNCLAS(?:SIFIED)?|NOFORN|SIPDIS|NNNN|BT|END|SECRET|CONFIDENTIAL|NODIS|EXDIS|LIMITED OFFICIAL USE|SENSITIVE|NOTE|COMMENT|END COMMENT|END SUMMARY|SUMMARY|TEXT|NNNNN?)$/i;

/**
 * Quotes and backslashes alone, the archive's `2003ROME1234 - Classification` line, and its stamps
 * after the trailer (`Declassified/Released US Department of State EO Systematic`, `Review 12 MAR
 * 2013`). Each form has its own first character: the patterns run only on lines that open with it.
 */
function isTrailerDebris(t: string): boolean {
  const c = codeAt(t, 0);
  if (c === 0x22 || c === 0x5c) return /^["\\]+$/.test(t);
  if (c >= 0x30 && c <= 0x39) return /^\d{4}[A-Z]+\d+ - Classification/.test(t);
  const lower = c | 0x20;
  return (lower === 0x64 || lower === 0x72) && /^(?:Declassified\/Released|Review \d{1,2} [A-Z]{3} \d{4})/i.test(t);
}

/** A signature run on after the last sentence: `BEIRUT MINIMIZE CONSIDERED.  EAGLETON`. */
export const RUN_ON_SIGNER = /[.!?]\s+([A-Z][A-Z'’-]{2,24})$/;

/** The trailer's signature: the last short line of capitals (`BURNS`, `MINTON`, `KEEGANPAAL`). */
export function findSigners(lines: readonly string[]): string[] {
  let seen = 0;
  for (let i = lines.length - 1; i >= 0 && seen < 6; i--) {
    const line = lines[i]!.trim();
    const first = codeAt(line, 0);
    const t = withoutTrailingPunctuation(first === 0x2d || first === 0x2013 ? line.replace(/^[-–]+\s*/, '') : line);
    if (t === '' || isPageMarker(t) || isTrailerDebris(t)) continue;
    seen++;
    if (NOT_SIGNER.test(t)) continue;
    // A signature run on after the last sentence: `BEIRUT MINIMIZE CONSIDERED.  EAGLETON`.
    const runOn = RUN_ON_SIGNER.exec(t);
    if (runOn && t === t.toUpperCase() && !NOT_SIGNER.test(runOn[1]!)) return [runOn[1]!];
    if (/^[A-Z][A-Za-z'’-]{1,24}(?:\s+[A-Z][A-Za-z'’-]{1,24}){0,2}$/.test(t) && t === t.toUpperCase()) {
      return t.split(/\s*\/\s*/).filter((s) => s.length > 0);
    }
    if (t.length > 40 && /[a-z]{3}/.test(t)) break;
  }
  return [];
}
