import { createHash } from 'node:crypto';

/**
 * What "the text" of a cable file is, decided once: the decoded characters with the byte-order
 * mark dropped, LF line ends, no white space at a line's end and no blank lines at the end. Two
 * files with the same text are the same text (their versions share `text_sha256`, cable-versions.ts),
 * and this text is what the parser reads (parse/text.ts only goes on to undo page-export artefacts:
 * markdown links, entities, `,s` for `'s`). The pipeline normalises each file once and hands the
 * result to both.
 */
/** The text as compared between files: LF line ends, no trailing white space on a line, no trailing blank lines. */
export function normalisedText(text: string): string {
  let t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (t.includes('\r')) t = t.replace(/\r\n?/g, '\n');
  // Most files end no line in white space: then the text is kept as it is, not split and joined.
  if (anyLineEndsInWhiteSpace(t))
    t = t
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n');
  // Trailing blank lines are, once trimmed, the trailing line feeds.
  let end = t.length;
  while (end > 0 && t.charCodeAt(end - 1) === 0x0a) end--;
  return end === t.length ? t : t.slice(0, end);
}

function anyLineEndsInWhiteSpace(t: string): boolean {
  let start = 0;
  while (start <= t.length) {
    let end = t.indexOf('\n', start);
    if (end < 0) end = t.length;
    if (end > start) {
      const c = t.charCodeAt(end - 1);
      // What trimEnd takes: ASCII space, tab to carriage return, and beyond U+00A0 as it says.
      if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) return true;
      if (c >= 0xa0 && t.slice(start, end).trimEnd().length !== end - start) return true;
    }
    start = end + 1;
  }
  return false;
}

/** SHA-256 (hex) and length of the normalised text: what makes two files the same text. */
export function textIdentity(text: string): { textSha256: string; textLength: number } {
  return identityOfNormalised(normalisedText(text));
}

/** textIdentity of a text already normalised (the pipeline's, which the parser reads too). */
export function identityOfNormalised(normalised: string): { textSha256: string; textLength: number } {
  return { textSha256: createHash('sha256').update(normalised).digest('hex'), textLength: normalised.length };
}
