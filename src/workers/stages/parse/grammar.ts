import type { Classification } from '#shared/stages.js';
import { codeAt } from './text.js';

/**
 * The cable grammar's line patterns, named, in one place (corpus/FORMATS.md section 5 describes
 * each form). LINE_GRAMMAR lists every one with an example line and its FORMATS.md section; a
 * unit test holds each pattern to its example. The readers (header, front matter, body, banner,
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
/** Whether a trimmed line can match TAGS_LINE: it opens with `T` or `A` (`TAGS`, `AGS`). */
export function mayOpenTags(t: string): boolean {
  const first = codeAt(t, 0) | 0x20;
  return first === 0x74 || first === 0x61;
}

/** Whether a trimmed line can match SUBJECT_LINE: it opens with `S` or `U` (`SUBJECT`, `UBJ`). */
export function mayOpenSubject(t: string): boolean {
  const first = codeAt(t, 0) | 0x20;
  return first === 0x73 || first === 0x75;
}

export const REF_LINE = /^\s*(?:REF(?:S|TEL|TELS)?|Ref\(s\))\s*[:.;]?\s*(.*)$/i;

export const CLASSIFIED_BY = /\bCLASSI?F?IED\s+BY\s*[:.]?\s*(.*)$/i;

/** A line where the paragraphs begin: `¶1.`, `1. (C)`, `1.(SBU)`, or a portion mark. */
export const PARAGRAPH_START =
  /^\s*(?:¶\s?\d{1,3}|\d{1,3}\s?\.(?=\s|\())|^\s*\((?:U|C|S|SBU|LOU|TS|S\/NF|C\/NF)[^)]{0,10}\)\s/;

// ---- body
/** A numbered paragraph and its portion mark: `¶2. (S)`, `3. (C)`, `11. (S)` (the seeds' `¶` read as `1`). */
export const PARAGRAPH = /^\s*(?:¶\s?(\d{1,3})|(\d{1,3}))\s?\.\s*(?:\(([A-Z/ ]{1,14})\))?/;

/** `ULAANBAATA 00000693 002 OF 002`, `BRASILIA 00001255 001.2 OF 002`, `PAGE 02 CAPE T 00097 01 OF 03 182017Z`. */
export const PAGE_MARKERS = [
  /^\s*[A-Z][A-Z .'-]{0,14}\s+\d{8}\s+\d{3}(?:\.\d+)?\s+OF\s+\d{3}\s*$/,
  /^\s*PAGE\s+\d{2,3}\s+.*\d{6}Z\s*$/,
];

export const PARTIAL_EXTRACT = /This record is a partial extract of the original cable/i;

/** Whether a line holds PARTIAL_EXTRACT: one shorter than the notice cannot (most lines are). */
export function holdsPartialExtractNotice(line: string): boolean {
  return line.length >= PARTIAL_EXTRACT_LENGTH && PARTIAL_EXTRACT.test(line);
}
const PARTIAL_EXTRACT_LENGTH = 'This record is a partial extract of the original cable'.length;

export interface GrammarEntry {
  name: string;
  pattern: RegExp;
  /** A line of that form, as cables write it. */
  example: string;
  /** The bullet of corpus/FORMATS.md section 5 that describes the form. */
  section: string;
}

export const LINE_GRAMMAR: readonly GrammarEntry[] = [
  { name: 'transmission', pattern: TRANSMISSION, example: 'VZCZCXRO4127', section: 'Header block' },
  { name: 'relay', pattern: RELAY, example: 'PP RUEHCHI RUEHDT RUEHHM RUEHNH', section: 'Header block' },
  { name: 'routing line (DE)', pattern: DE_LINE, example: 'DE RUEHMO #0584 0401117', section: 'Header block' },
  { name: 'security line', pattern: SECURITY, example: 'ZNY SSSSS ZZH', section: 'Header block' },
  { name: 'precedence and DTG', pattern: PRECEDENCE_DTG, example: 'R 091117Z FEB 07', section: 'Header block' },
  { name: 'DTG alone', pattern: DTG_ALONE, example: '061428Z Jun 03', section: 'Header block' },
  {
    name: 'DTG',
    pattern: DTG_PATTERN,
    example: '... /38 O 271459Z SEP 00 FM AMEMBASSY HARARE',
    section: 'Header block',
  },
  { name: 'FM', pattern: FM_LINE, example: 'FM AMEMBASSY MOSCOW', section: 'Header block' },
  { name: 'TO', pattern: TO_LINE, example: 'TO RUEHC/SECSTATE WASHDC 7329', section: 'Header block' },
  { name: 'INFO', pattern: INFO_LINE, example: 'INFO RUEHBJ/AMEMBASSY BEIJING 4174', section: 'Header block' },
  { name: 'XMT', pattern: XMT_LINE, example: 'XMT AMCONSUL JERUSALEM', section: 'Header block' },
  { name: 'RI/plain address', pattern: RI_PLA, example: 'RUEHBK/AMEMBASSY BANGKOK 0726', section: 'Header block' },
  {
    name: 'distribution block',
    pattern: DISTRIBUTION_BLOCK,
    example: 'INFO LOG-00 NP-00 ACQ-00 CIAE-00',
    section: 'Header block',
  },
  {
    name: 'distribution continued',
    pattern: DISTRIBUTION_CONT,
    example: 'DODE-00 SRPP-00 DS-00 /38',
    section: 'Header block',
  },
  {
    name: 'page break in the address lists',
    pattern: PAGE_MARK,
    example: 'TO PAGE 02 STATE 015113 182333Z',
    section: 'Header block',
  },
  {
    name: 'dashed sequence line',
    pattern: DASH_SEQ,
    example: '------------------352654  200910Z /23',
    section: 'Header block',
  },
  {
    name: 'print page start',
    pattern: PAGE_START,
    example: 'PAGE 02 CAPE T 00097 01 OF 03 182017Z',
    section: 'Header block',
  },
  { name: 'end of message', pattern: END_OF_MESSAGE, example: 'NNNN', section: 'Trailer:' },
  {
    name: 'TO or INFO without FM',
    pattern: BARE_LIST,
    example: 'INFO AMEMBASSY BEIJING PRIORITY',
    section: 'Header block',
  },
  {
    name: 'classification word first',
    pattern: CLASSIFICATION_START,
    example: 'C O N F I D E N T I A L SECTION 01 OF 02',
    section: 'Banner:',
  },
  { name: 'a front-matter field first', pattern: BODY_FIELD_START, example: 'TAGS: PREF PREL', section: 'TAGS:' },
  {
    name: 'E.O. or paragraph first',
    pattern: EO_OR_PARAGRAPH_START,
    example: 'E.O. 12958: DECL: 02/08/2017',
    section: 'E.O. line:',
  },
  { name: 'e-mail wrapper sender', pattern: MAIL_FROM, example: 'From: AMEMBASSY TRIPOLI', section: 'Header block' },
  {
    name: 'wrapper date: Cable dated',
    pattern: WRAPPER_DATES[0]!,
    example: 'Cable dated:2002-11-15T12:40:00',
    section: '"Cable dated:" run-ons',
  },
  {
    name: 'wrapper date: mail-client TELEGRAM',
    pattern: WRAPPER_DATES[1]!,
    example: 'TELEGRAM June 03, 2003',
    section: 'Header block',
  },
  {
    name: 'wrapper date: Outlook Sent',
    pattern: WRAPPER_DATES[2]!,
    example: 'Sent: Monday, March 17, 2008 10:15 AM',
    section: 'Header block',
  },
  {
    name: 'wrapper date: weekday line',
    pattern: WRAPPER_DATES[3]!,
    example: 'Wednesday, 01 June 2005, 08:39',
    section: 'Header block',
  },
  {
    name: 'partial extract notice',
    pattern: PARTIAL_EXTRACT,
    example:
      'This record is a partial extract of the original cable. The full text of the original cable is not available.',
    section: 'Header block',
  },
  {
    name: 'banner',
    pattern: BANNER,
    example: 'C O N F I D E N T I A L SECTION 01 OF 02 ULAANBAATAR 000693',
    section: 'Banner:',
  },
  { name: 'classification alone', pattern: CLASS_ALONE, example: 'CONFIDENTIAL', section: 'Banner:' },
  { name: 'E.O.', pattern: EO_PATTERN, example: 'E.O. 12958: DECL: 02/08/2017', section: 'E.O. line:' },
  { name: 'TAGS', pattern: TAGS_LINE, example: 'TAGS: PREF PREL PHUM PGOV RS KN', section: 'TAGS:' },
  {
    name: 'SUBJECT',
    pattern: SUBJECT_LINE,
    example: 'SUBJECT: UNHCR COMPLETES INTERVIEWS OF NORTH KOREANS',
    section: 'SUBJECT:',
  },
  { name: 'REF', pattern: REF_LINE, example: 'REF: MOSCOW 211', section: 'REF:' },
  {
    name: 'Classified By',
    pattern: CLASSIFIED_BY,
    example: 'Classified By: Political Minister-Counselor Alice Wells.',
    section: 'Classified By:',
  },
  {
    name: 'paragraphs begin',
    pattern: PARAGRAPH_START,
    example: '¶1. (S) UNHCR has completed its interviews',
    section: 'Paragraphs:',
  },
  { name: 'paragraph', pattern: PARAGRAPH, example: '¶2. (S) Li said the most pressing issue', section: 'Paragraphs:' },
  {
    name: 'section marker',
    pattern: PAGE_MARKERS[0]!,
    example: 'ULAANBAATA 00000693 002 OF 002',
    section: 'Page/section markers inside the body:',
  },
  {
    name: 'print page marker',
    pattern: PAGE_MARKERS[1]!,
    example: 'PAGE 02 CAPE T 00097 01 OF 03 182017Z',
    section: 'Page/section markers inside the body:',
  },
];
