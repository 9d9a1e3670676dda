/**
 * Text clean-up before the grammar runs. Pure.
 * - CRLF / CR line ends (textonly/ corpus) become LF.
 * - Markdown renderings of cablegate pages (the seeds): `[PREF](#)` links, two trailing spaces.
 * - The original charset's `,s` for `'s` (`Kabuye,s`, corpus/FORMATS.md "Characters").
 * - Unicode line and paragraph separators, read as spaces.
 */
export function normaliseText(text: string): string {
  // U+2028/U+2029/NEL inside lines: JavaScript's `.` stops at them, and the pages show them as spaces.
  let t = text.replace(/\r\n?/g, '\n').replace(/^\uFEFF/, '').replace(/[\u2028\u2029\u0085]/g, ' ');
  // Markdown links as the seeds render TAGS: `[PREF](#)` -> `PREF`.
  t = t.replace(/\[([^\]\n]{1,80})\]\((?:#|[^)\s]{0,200})\)/g, '$1');
  // Trailing white space, including markdown's two-space line breaks.
  t = t.replace(/[ \t\u00a0]+$/gm, '');
  // `Kabuye,s` -> `Kabuye's`: a comma glued between a letter and a lone s.
  t = t.replace(/([A-Za-z]),s\b/g, "$1's");
  return t;
}

/** Collapse runs of white space: the form used to compare and to store short fields. */
export function squash(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
