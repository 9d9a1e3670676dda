import type { Classification } from '#shared/stages.js';

/**
 * The cable grammar's line patterns, named, in one place (corpus/FORMATS.md section 5 describes
 * each form). bench/scoring/line-grammar.ts lists every one with an example line and its FORMATS.md
 * section, and a unit test holds each pattern to its example. The readers (header, front matter, body, banner,
 * dates) take their patterns from here.
 */

/** `091117Z FEB 07` (also `091117Z FEB 2007`, `091117ZFEB07`). */
export const DTG_PATTERN =
  /\b(\d{2})(\d{2})(\d{2})\s?Z\s?(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)\s?(\d{4}|\d{2})\b/i;

// ---- header block
export const TRANSMISSION = /\bVZCZC([A-Z]{3})?(\d{3,5})?\b/;
export const RELAY = /^([ZOPRWY]{2})((?:\s+R[A-Z]{3,7})+)$/;
export const DE_LINE = /^DE\s+(R[A-Z]{3,7})\s*#\s*(\d{1,6})(?:\s*\/\s*(\d{1,3}))?(?:\s+(\d{3})(\d{4}))?/;
export const SECURITY = /^(ZN[YR])\s+([A-Z]{3,6})\b/;
export const PRECEDENCE_DTG = new RegExp(`(?:^|\\s)([ZOPRWY])\\s+(${DTG_PATTERN.source.replace(/^\\b/, '')})`, 'i');
// An address is capitals: `FM Ahern said` in a paragraph is the Foreign Minister, not a header.
export const FM_LINE = /^FM\s+([A-Z0-9][A-Z0-9 .,'&/()-]*)$/;
export const TO_LINE = /^TO(?:\s+(.*)|(R[A-Z]{3,7}\/.*))?$/;
export const INFO_LINE = /^INFO(?:\s+(.*))?$/;
export const XMT_LINE = /^XMT(?:\s*\/\s*|\s+)(.*)$/;
export const DISTRIBUTION_BLOCK = /^(?:INFO|ACTION)\s+[A-Z0-9]+-\d\d\b/;
export const DISTRIBUTION_CONT = /^(?:[A-Z0-9]+-\d\d\s*)+(?:\/\d+[A-Z]?(?:\s+[A-Z])?)?$|^\/\d+[A-Z]?(?:\s+[A-Z])?$/;
export const PAGE_MARK = /\bPAGE\s+\d{2,3}\s+.*?\d{6}Z\s*$/;
export const DASH_SEQ = /^-{4,}\s*\d+\s+\d{6}Z\s*\/\d+/;
export const MAIL_FROM =
  /^From:\s+((?:AMEMBASSY|AMCONSUL|USMISSION|SECSTATE|USINT|AIT|USDEL|USEU|USOFFICE|REO|USLO)\b[^(]*)/i;
export const RI_PLA = /^R[A-Z]{3,7}\s*\/\s*\S/;
/** A print page's first line (`PAGE 02 ...`) and the end-of-message prosigns: nothing to read. */
export const PAGE_START = /^PAGE\s+\d{2,3}\b/;
export const END_OF_MESSAGE = /^(?:BT|NNNN)$/;
/** TO or INFO with no FM before (an excerpt starting mid-header): an address must follow. */
export const BARE_LIST = /^(TO|INFO)\s+((?:R[A-Z]{3,7}\/|AMEMBASSY\s|AMCONSUL\s|SECSTATE\s|USMISSION\s|PAGE\s+\d).*)$/;
/** Lines that cannot be addresses: a classification word first, or a field of the front matter. */
export const CLASSIFICATION_START =
  /^(?:S\s?E\s?C\s?R\s?E\s?T|C\s?O\s?N\s?F\s?I\s?D|U\s?N\s?C\s?L\s?A\s?S|LIMITED OFFICIAL|TOP SECRET|SENSITIVE)/i;
export const BODY_FIELD_START = /^(?:E\.?\s?O\.?\s?\d|TAGS?\b|SUBJ(?:ECT)?\b|¶|Cable dated:)/i;
/** An E.O. line or a numbered paragraph: with a banner, the body begun before any header line. */
export const EO_OR_PARAGRAPH_START = /^(?:E\.?\s?[O0]\.?\s?1\d{3,4}|¶\s?\d)/i;
const MONTH_NAMES = 'January|February|March|April|May|June|July|August|September|October|November|December';
export const WRAPPER_DATES = [
  /Cable dated:\s*(\d{4})-\d{2}-\d{2}/i,
  new RegExp(`TELEGRAM\\s+(?:${MONTH_NAMES})\\s+\\d{1,2},\\s+(\\d{4})`, 'i'),
  new RegExp(`^Sent:\\s+\\w+,\\s+(?:${MONTH_NAMES})\\s+\\d{1,2},\\s+(\\d{4})`, 'i'),
  // The newspaper-style date line of some partial extracts: `Wednesday, 01 June 2005, 08:39`.
  new RegExp(
    `^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),\\s+\\d{1,2}\\s+(?:${MONTH_NAMES})\\s+(\\d{4})`,
    'i',
  ),
];

/** A DTG alone on its line, in any letter case, perhaps after its precedence prosign: `061428Z Jun 03`. */
export const DTG_ALONE = new RegExp(`^\\s*(?:([ZOPRWY])\\s+)?(${DTG_PATTERN.source})\\s*$`, 'i');

// ---- banner
function spaced(word: string): string {
  return word
    .split('')
    .map((c) => (c === ' ' ? '\\s+' : `${c}\\s?`))
    .join('')
    .replace(/\\s\?$/, '');
}

export const CLASS_WORDS: ReadonlyArray<[string, Classification]> = [
  ['TOP SECRET', 'TOP SECRET'],
  ['SECRET', 'SECRET'],
  ['CONFIDENTIAL', 'CONFIDENTIAL'],
  ['SENSITIVE BUT UNCLASSIFIED', 'SENSITIVE BUT UNCLASSIFIED'],
  ['LIMITED OFFICIAL USE', 'LIMITED OFFICIAL USE'],
  ['UNCLASSIFIED', 'UNCLASSIFIED'],
  ['UNCLAS', 'UNCLASSIFIED'],
];
const CLASS_ALT = CLASS_WORDS.map(([w]) => spaced(w)).join('|');

export const BANNER = new RegExp(
  `^[\\s"'*,]*(${CLASS_ALT})((?:\\s*/{0,2}\\s*(?:NOFORN|NF|EFTO|E\\s?F\\s?T\\s?O|SENSITIVE|SBU|FOUO|SIPDIS)\\b)*)\\s*,?\\s+` +
    `(?:S?E?C?TION\\s+(\\d{1,3})\\s+OF\\s+(\\d{1,3})\\s+)?` +
    `([A-Z][A-Z .'()&-]{0,40}?)\\s+0*(\\d{1,8})(?!\\d)`,
  'i',
);

/** A classification word alone (spaced or not), as a line by itself. */
export const CLASS_ALONE = new RegExp(`^\\W{0,3}(${CLASS_ALT})\\W{0,3}$`, 'i');

// ---- front matter
/** `E.O. 12958: DECL: 02/08/2017`, `EO 12958 DECL: 11/01/2014`, `E.O. 12958: N/A`, `E.O. 12356: DECL: OADR`. */
export const EO_PATTERN =
  /\bE\.?\s?[O0]\.?\s*(1\d{3,4})?\s*[:.;]?\s*(?:(?:DECL(?:ASSIFY)?\.?\s*(?:ON)?\s*[:.]?\s*([^\n]*?))|(N\/?A))\s*$/i;

/** `TAGS: PREF PREL`, `TAGS PREL, EPET`, `TAG PTER`, `Tags:`, and the garbled `TAS:`, `TGS:`, `AGS:`. */
export const TAGS_LINE = /^\s*(?:T?AGS?|TAGES|TAS|TGS|TABS)\s*[:;,.]?\s+(.*)$|^\s*TAGS?\s*[:;,]\s*(.*)$/i;

export const SUBJECT_LINE = /^\s*S?UBJ(?:ECT)?\s*[:.;]?\s*(.*)$/i;

/*
 * TAGS_LINE and SUBJECT_LINE are anchored at the start of a line: on a trimmed line its first letter
 * rules most lines out without running them (any case: the patterns ignore it).
 */
export const REF_LINE = /^\s*(?:REF(?:S|TEL|TELS)?|Ref\(s\))\s*[:.;]?\s*(.*)$/i;

export const CLASSIFIED_BY = /\bCLASSI?F?IED\s+BY\s*[:.]?\s*(.*)$/i;

/** A line where the paragraphs begin: `¶1.`, `1. (C)`, `1.(SBU)`, or a portion mark. */
export const PARAGRAPH_START =
  /^\s*(?:¶\s?\d{1,3}|\d{1,3}\s?\.(?=\s|\())|^\s*\((?:U|C|S|SBU|LOU|TS|S\/NF|C\/NF)[^)]{0,10}\)\s/;

// ---- body
/**
 * A numbered paragraph and its portion mark: `¶2. (S)`, `3. (C)`, `11. (S)` (the seeds' `¶` read as `1`).
 * A heading's rule may run into the paragraph after it (`-------1.(U) Even before ...`).
 */
export const PARAGRAPH = /^\s*(?:-{3,})?(?:¶\s?(\d{1,3})|(\d{1,3}))\s?\.\s*(?:\(([A-Z/ ]{1,14})\))?/;

/** `ULAANBAATA 00000693 002 OF 002`, `BRASILIA 00001255 001.2 OF 002`, `PAGE 02 CAPE T 00097 01 OF 03 182017Z`. */
export const PAGE_MARKERS = [
  /^\s*[A-Z][A-Z .'-]{0,14}\s+\d{8}\s+\d{3}(?:\.\d+)?\s+OF\s+\d{3}\s*$/,
  /^\s*PAGE\s+\d{2,3}\s+.*\d{6}Z\s*$/,
];

export const PARTIAL_EXTRACT = /This record is a partial extract of the original cable/i;
