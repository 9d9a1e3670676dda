import { squash } from './text.js';

/**
 * Paragraphs, page markers, summary and signers (corpus/FORMATS.md "Paragraphs",
 * "Page/section markers inside the body", "Trailer").
 */

/** `ULAANBAATA 00000693 002 OF 002`, `BRASILIA 00001255 001.2 OF 002`, `PAGE 02 CAPE T 00097 01 OF 03 182017Z`. */
const PAGE_MARKERS = [
  /^\s*[A-Z][A-Z .'-]{0,14}\s+\d{8}\s+\d{3}(?:\.\d+)?\s+OF\s+\d{3}\s*$/,
  /^\s*PAGE\s+\d{2,3}\s+.*\d{6}Z\s*$/,
];

export function isPageMarker(line: string): boolean {
  return PAGE_MARKERS.some((re) => re.test(line));
}

export function removePageMarkers(lines: readonly string[]): string[] {
  return lines.filter((l) => !isPageMarker(l));
}

const PARAGRAPH = /^\s*(?:¶\s?(\d{1,3})|(\d{1,3}))\s?\.\s*(?:\(([A-Z/ ]{1,14})\))?/;

export interface Paragraph {
  number: number;
  portionMark: string | null;
}

/**
 * Numbered paragraphs. The seeds render `¶1.` as `11.` (`¶` read as `1`): when no `¶` is present
 * and the numbers read 11, 12, 13 ... with the leading 1 stripped they run 1, 2, 3 ..., strip it.
 */
export function findParagraphs(lines: readonly string[]): Paragraph[] {
  const raw: Array<{ digits: string; pilcrow: boolean; portionMark: string | null }> = [];
  for (const line of lines) {
    const m = PARAGRAPH.exec(line);
    if (!m) continue;
    const pilcrow = m[1] !== undefined;
    const digits = (m[1] ?? m[2])!;
    // A bare number needs a portion mark or a capital after it to count as a paragraph.
    if (!pilcrow && !m[3] && !/^\s*\d{1,3}\s?\.\s+[A-Z"(]/.test(line)) continue;
    raw.push({ digits, pilcrow, portionMark: m[3] ? squash(m[3]) : null });
  }
  const anyPilcrow = raw.some((p) => p.pilcrow);
  const stripped = raw.map((p) => (p.digits.length >= 2 && p.digits.startsWith('1') ? Number(p.digits.slice(1)) : -1));
  const pilcrowArtefact =
    !anyPilcrow && raw.length > 0 && stripped[0] === 1 && stripped.every((n, i) => i === 0 || n > 0);
  const out: Paragraph[] = [];
  let last = 0;
  raw.forEach((p, i) => {
    const n = pilcrowArtefact ? stripped[i]! : Number(p.digits);
    // Numbered list items inside a paragraph restart at 1; keep the paragraph sequence.
    if (n === last + 1 || (p.pilcrow && n > last)) {
      out.push({ number: n, portionMark: p.portionMark });
      last = n;
    }
  });
  return out;
}

const SUMMARY = /\bSUMMARY\s*[:.\-]+\s*(.*?)(?:\bEND\s+(?:OF\s+)?SUMMARY\b|$)/is;

export function findSummary(bodyText: string): string | null {
  const m = SUMMARY.exec(bodyText);
  if (!m) return null;
  let s = m[1]!;
  const endPara = s.search(/\n\s*\n\s*(?:¶\s?\d|\d{1,3}\s?\.)/);
  if (endPara > 0) s = s.slice(0, endPara);
  const t = squash(s);
  return t.length > 0 ? t : null;
}

const NOT_SIGNER = /^(?:S\s?E\s?C\s?R\s?E\s?T|C\s?O\s?N\s?F\s?I\s?D\s?E\s?N\s?T\s?I\s?A\s?L|UNCLAS(?:SIFIED)?|NOFORN|SIPDIS|NNNN|BT|END|SECRET|CONFIDENTIAL|NODIS|EXDIS|LIMITED OFFICIAL USE|SENSITIVE|NOTE|COMMENT|END COMMENT|END SUMMARY|SUMMARY|TEXT|NNNNN?)$/i;

/** The trailer's signature: the last short line of capitals (`BURNS`, `MINTON`, `KEEGANPAAL`). */
export function findSigners(lines: readonly string[]): string[] {
  let seen = 0;
  for (let i = lines.length - 1; i >= 0 && seen < 6; i--) {
    const t = lines[i]!.trim().replace(/^[-–]+\s*/, '').replace(/[.,]$/, '');
    if (t === '' || isPageMarker(t) || /^["\\]+$/.test(t) || /^\d{4}[A-Z]+\d+ - Classification/.test(t)) continue;
    seen++;
    if (NOT_SIGNER.test(t)) continue;
    if (/^[A-Z][A-Za-z'’-]{1,24}(?:\s+[A-Z][A-Za-z'’-]{1,24}){0,2}$/.test(t) && t === t.toUpperCase()) {
      return t.split(/\s*\/\s*/).filter((s) => s.length > 0);
    }
    if (/[a-z]{3}/.test(t) && t.length > 40) break;
  }
  return [];
}
