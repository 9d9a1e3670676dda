import { matchBanner } from './banner.js';
import { PARTIAL_EXTRACT } from './grammar.js';

/**
 * Text as it was published, put back into the lines the grammar reads: a saved cablegate page
 * cut down to its full text, and newlines that were lost (run-on fields, glued banners).
 */

/** How far down a glued banner is split off its line: past the header window and the banner window after it. */
const GLUED_BANNER_WINDOW = 200;

/** Keywords that start a field even in the middle of a line (newlines lost in run-ons). */
const RUN_ON_SPLIT =
  /\s+(?=(?:E\.?\s?O\.?\s?1\d{3,4}\s*[:.;]?\s*(?:DECL|N\/?A))|(?:TAGS?|TAGES|AGS):\s|SUBJECT:|SUBJ:|REFS?:\s|REFTEL:|CLASSIFIED\s+BY\b)|(?<=[A-Z]{3})(?=REF:\s)/gi;

/** How far into a line run-on fields are looked for: they open a cable, and some lines are whole cables (50 KB). */
export const RUN_ON_HEAD = 4_000;

export function splitRunOn(line: string): string[] {
  if (line.length <= RUN_ON_HEAD) return line.split(RUN_ON_SPLIT);
  const pieces = line.slice(0, RUN_ON_HEAD).split(RUN_ON_SPLIT);
  pieces[pieces.length - 1] += line.slice(RUN_ON_HEAD);
  return pieces;
}

/**
 * Where RUN_ON_SPLIT can cut, found in one cheaper scan: a keyword's first letters after white space
 * (`TAGS:`, `SUBJ`, `REF`, `CLASSIFIED`, an E.O. number), or `REF:` glued to a word. A field's own
 * label at the start of its line is no cut: most front-matter lines (`TAGS: PREL`) are passed over
 * without the split, whose look-ahead at every run of white space is the costlier search.
 */
const KEYWORD_AFTER_SPACE = /\s(?:E\.?\s?O\.?\s?1|T?AGS?:|TAGES:|SUBJ|REF|CLASSIFIED)/i;
/** `REF:` in any case (a literal: found without trying every letter, as `[A-Z]{3}REF:` would). */
const REF_COLON = /REF:/i;

export function mayHoldRunOnFields(line: string): boolean {
  // splitRunOn cuts only in a line's first RUN_ON_HEAD characters: beyond them no keyword can matter.
  const head = line.length <= RUN_ON_HEAD ? line : line.slice(0, RUN_ON_HEAD);
  return KEYWORD_AFTER_SPACE.test(head) || REF_COLON.test(head);
}

/**
 * Whether the text writes `refid:` (a saved page's metadata table) or `able dated:` (a
 * `Cable dated:` wrapper). One walk over the colons, which are few: searching the text for each
 * word costs as much as reading the whole cable, because its first letter is everywhere.
 */
export function colonLabels(text: string): { refid: boolean; cableDated: boolean } {
  let refid = false;
  let cableDated = false;
  for (let i = text.indexOf(':'); i >= 0 && !(refid && cableDated); i = text.indexOf(':', i + 1)) {
    // Both words end in `d`: most colons (`SUBJECT:`, `TAGS:`, `DECL:`) are ruled out by the letter before.
    if (text.charCodeAt(i - 1) !== 0x64) continue;
    if (!cableDated && text.startsWith('able dated', i - 10)) cableDated = true;
    else if (!refid && text.startsWith('refid', i - 5)) refid = true;
  }
  return { refid, cableDated };
}

/**
 * A cablegate page saved whole: a preview cut short (`LIMA 2...`), the page's metadata table
 * (`id:`, `date:`, `refid:`, `origin:`, `classification:`, `destination:`, `header:`), then the
 * header and the full text. The cable is what follows `header:`; the preview only repeats its start.
 */
const PAGE_DUMP = /^id: \d+\ndate: [^\n]*\nrefid: [^\n]*\n(?:[a-z]+:[^\n]*\n){0,6}?header:[ \t]*\n/m;

export function fullTextOfPageDump(text: string): string {
  const m = PAGE_DUMP.exec(text);
  if (!m) return text;
  const rest = text.slice(m.index + m[0].length);
  // Keep the partial-extract notice, which stands before the preview.
  const notice = text
    .slice(0, m.index)
    .split('\n', 3)
    .find((l) => PARTIAL_EXTRACT.test(l));
  return notice ? `${notice}\n\n${rest}` : rest;
}

/**
 * Lines whose newlines were lost (corpus/FORMATS.md "Cable dated: run-ons"):
 * `Cable dated:2002-11-15T12:40:00S E C R E T SECTION 01 OF 05 ANKARA 008305S/CT FOR REAPE.O. ...`.
 */
export function restoreLostLineBreaks(
  lines: string[],
  anyCableDated: boolean,
  mayOpenBanner: readonly number[] | null = null,
): string[] {
  if (!anyCableDated && mayOpenBanner !== null) return withGluedBannersSplit(lines, mayOpenBanner);
  // Most cables need no repair: the lines are copied only from the first one that does.
  let out: string[] | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const repaired = i < GLUED_BANNER_WINDOW || anyCableDated ? repairLine(line, i, anyCableDated) : null;
    if (repaired === null) {
      out?.push(line);
      continue;
    }
    out ??= lines.slice(0, i);
    out.push(...repaired);
  }
  return out ?? lines;
}

/**
 * restoreLostLineBreaks without `Cable dated:` run-ons, where only a glued banner can be split: only
 * the lines whose first character may open a banner (noted while the text was cut) are read.
 */
function withGluedBannersSplit(lines: string[], mayOpenBanner: readonly number[]): string[] {
  let out: string[] | null = null;
  let copied = 0;
  for (const i of mayOpenBanner) {
    if (i >= GLUED_BANNER_WINDOW) break;
    const repaired = repairLine(lines[i]!, i, false);
    if (repaired === null) continue;
    out ??= [];
    for (let k = copied; k < i; k++) out.push(lines[k]!);
    out.push(...repaired);
    copied = i + 1;
  }
  if (out === null) return lines;
  for (let k = copied; k < lines.length; k++) out.push(lines[k]!);
  return out;
}

/** The lines one line stands for once its lost line breaks are back, or null when it is whole. */
function repairLine(line: string, i: number, anyCableDated: boolean): string[] | null {
  if (!anyCableDated || !line.includes('able dated:')) {
    // A banner with its caveats glued on: `... ISLAMABAD 022025SIPDISNOFORN SIPDISE.O. 12958: ...`.
    // Only where a banner can be read as the cable's (header, then banner window); below, a line is body.
    const b = i < GLUED_BANNER_WINDOW ? matchBanner(line) : null;
    const after = b ? line.slice(line.indexOf(b.raw) + b.raw.length) : '';
    // Text after the banner on its line is more front matter (`UNCLAS TALLINN 000128 SIPDIS ... TAGS: ...`).
    return b && after.trim() !== '' ? [line.slice(0, line.length - after.length), ...splitGluedFields(after)] : null;
  }
  const m = /^(.*?Cable dated:\s*\S+?\d{2}:\d{2}:\d{2}\]?)(.*)$/i.exec(line);
  if (!m) return null;
  const out = [m[1]!];
  let rest = m[2]!;
  const b = matchBanner(rest);
  if (b) {
    const cut = rest.indexOf(b.raw) + b.raw.length;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  out.push(...splitGluedFields(rest));
  return out;
}

/** A banner line with its caveats and E.O. glued on: `ISLAMABAD 022025SIPDISNOFORN SIPDISE.O. 12958: ...`. */
function splitGluedFields(rest: string): string[] {
  {
    // Caveats lose their line breaks too: `SIPDISSIPDISNOFORNE.O. 12958`.
    const r = rest.replace(/(SIPDIS|NOFORN)(?=[A-Z])/g, '$1\n');
    return r
      .replace(/(E\.?\s?O\.?\s?1\d{3,4})/g, '\n$1')
      .replace(/(TAGS?:|SUBJECT:)/g, '\n$1')
      .split('\n');
  }
}
