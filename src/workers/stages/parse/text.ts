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
  // HTML entities a page export may leave: `&#8217;`, `&amp;`.
  t = t.replace(/&#(\d{2,6});/g, (_, n: string) => String.fromCodePoint(Number(n))).replace(/&#x([0-9a-f]{2,5});/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)));
  t = t.replace(/&(amp|quot|lt|gt|apos|nbsp);/g, (_, e: string) => ({ amp: '&', quot: '"', lt: '<', gt: '>', apos: "'", nbsp: ' ' })[e] ?? '');
  // CSV debris: a backslash closing a line (corpus/FORMATS.md "CSV escaping debris").
  t = t.replace(/[ \t]*\\$/gm, '');
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
