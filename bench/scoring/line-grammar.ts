import * as G from '../../src/workers/stages/parse/grammar.js';

/**
 * The cable grammar's line patterns (src/workers/stages/parse/grammar.ts), each with a line of its
 * form as cables write it and the FORMATS.md section that describes it: the grammar's
 * documentation, held to the patterns by test/unit/line-grammar.test.ts and by the corpus tests.
 */
export interface GrammarEntry {
  name: string;
  pattern: RegExp;
  /** A line of that form, as cables write it. */
  example: string;
  /** The bullet of corpus/FORMATS.md section 5 that describes the form. */
  section: string;
}

export const LINE_GRAMMAR: readonly GrammarEntry[] = [
  { name: 'transmission', pattern: G.TRANSMISSION, example: 'VZCZCXRO4127', section: 'Header block' },
  { name: 'relay', pattern: G.RELAY, example: 'PP RUEHCHI RUEHDT RUEHHM RUEHNH', section: 'Header block' },
  { name: 'routing line (DE)', pattern: G.DE_LINE, example: 'DE RUEHMO #0584 0401117', section: 'Header block' },
  { name: 'security line', pattern: G.SECURITY, example: 'ZNY SSSSS ZZH', section: 'Header block' },
  { name: 'precedence and DTG', pattern: G.PRECEDENCE_DTG, example: 'R 091117Z FEB 07', section: 'Header block' },
  { name: 'DTG alone', pattern: G.DTG_ALONE, example: '061428Z Jun 03', section: 'Header block' },
  {
    name: 'DTG',
    pattern: G.DTG_PATTERN,
    example: '... /38 O 271459Z SEP 00 FM AMEMBASSY HARARE',
    section: 'Header block',
  },
  { name: 'FM', pattern: G.FM_LINE, example: 'FM AMEMBASSY MOSCOW', section: 'Header block' },
  { name: 'TO', pattern: G.TO_LINE, example: 'TO RUEHC/SECSTATE WASHDC 7329', section: 'Header block' },
  { name: 'INFO', pattern: G.INFO_LINE, example: 'INFO RUEHBJ/AMEMBASSY BEIJING 4174', section: 'Header block' },
  { name: 'XMT', pattern: G.XMT_LINE, example: 'XMT AMCONSUL JERUSALEM', section: 'Header block' },
  { name: 'RI/plain address', pattern: G.RI_PLA, example: 'RUEHBK/AMEMBASSY BANGKOK 0726', section: 'Header block' },
  {
    name: 'distribution block',
    pattern: G.DISTRIBUTION_BLOCK,
    example: 'INFO LOG-00 NP-00 ACQ-00 CIAE-00',
    section: 'Header block',
  },
  {
    name: 'distribution continued',
    pattern: G.DISTRIBUTION_CONT,
    example: 'DODE-00 SRPP-00 DS-00 /38',
    section: 'Header block',
  },
  {
    name: 'page break in the address lists',
    pattern: G.PAGE_MARK,
    example: 'TO PAGE 02 STATE 015113 182333Z',
    section: 'Header block',
  },
  {
    name: 'dashed sequence line',
    pattern: G.DASH_SEQ,
    example: '------------------352654  200910Z /23',
    section: 'Header block',
  },
  {
    name: 'print page start',
    pattern: G.PAGE_START,
    example: 'PAGE 02 CAPE T 00097 01 OF 03 182017Z',
    section: 'Header block',
  },
  { name: 'end of message', pattern: G.END_OF_MESSAGE, example: 'NNNN', section: 'Trailer:' },
  {
    name: 'TO or INFO without FM',
    pattern: G.BARE_LIST,
    example: 'INFO AMEMBASSY BEIJING PRIORITY',
    section: 'Header block',
  },
  {
    name: 'classification word first',
    pattern: G.CLASSIFICATION_START,
    example: 'C O N F I D E N T I A L SECTION 01 OF 02',
    section: 'Banner:',
  },
  { name: 'a front-matter field first', pattern: G.BODY_FIELD_START, example: 'TAGS: PREF PREL', section: 'TAGS:' },
  {
    name: 'E.O. or paragraph first',
    pattern: G.EO_OR_PARAGRAPH_START,
    example: 'E.O. 12958: DECL: 02/08/2017',
    section: 'E.O. line:',
  },
  { name: 'e-mail wrapper sender', pattern: G.MAIL_FROM, example: 'From: AMEMBASSY TRIPOLI', section: 'Header block' },
  {
    name: 'wrapper date: Cable dated',
    pattern: G.WRAPPER_DATES[0]!,
    example: 'Cable dated:2002-11-15T12:40:00',
    section: '"Cable dated:" run-ons',
  },
  {
    name: 'wrapper date: mail-client TELEGRAM',
    pattern: G.WRAPPER_DATES[1]!,
    example: 'TELEGRAM June 03, 2003',
    section: 'Header block',
  },
  {
    name: 'wrapper date: Outlook Sent',
    pattern: G.WRAPPER_DATES[2]!,
    example: 'Sent: Monday, March 17, 2008 10:15 AM',
    section: 'Header block',
  },
  {
    name: 'wrapper date: weekday line',
    pattern: G.WRAPPER_DATES[3]!,
    example: 'Wednesday, 01 June 2005, 08:39',
    section: 'Header block',
  },
  {
    name: 'partial extract notice',
    pattern: G.PARTIAL_EXTRACT,
    example:
      'This record is a partial extract of the original cable. The full text of the original cable is not available.',
    section: 'Header block',
  },
  {
    name: 'banner',
    pattern: G.BANNER,
    example: 'C O N F I D E N T I A L SECTION 01 OF 02 ULAANBAATAR 000693',
    section: 'Banner:',
  },
  { name: 'classification alone', pattern: G.CLASS_ALONE, example: 'CONFIDENTIAL', section: 'Banner:' },
  { name: 'E.O.', pattern: G.EO_PATTERN, example: 'E.O. 12958: DECL: 02/08/2017', section: 'E.O. line:' },
  { name: 'TAGS', pattern: G.TAGS_LINE, example: 'TAGS: PREF PREL PHUM PGOV RS KN', section: 'TAGS:' },
  {
    name: 'SUBJECT',
    pattern: G.SUBJECT_LINE,
    example: 'SUBJECT: UNHCR COMPLETES INTERVIEWS OF NORTH KOREANS',
    section: 'SUBJECT:',
  },
  { name: 'REF', pattern: G.REF_LINE, example: 'REF: MOSCOW 211', section: 'REF:' },
  {
    name: 'Classified By',
    pattern: G.CLASSIFIED_BY,
    example: 'Classified By: Political Minister-Counselor Alice Wells.',
    section: 'Classified By:',
  },
  {
    name: 'paragraphs begin',
    pattern: G.PARAGRAPH_START,
    example: '¶1. (S) UNHCR has completed its interviews',
    section: 'Paragraphs:',
  },
  {
    name: 'paragraph',
    pattern: G.PARAGRAPH,
    example: '¶2. (S) Li said the most pressing issue',
    section: 'Paragraphs:',
  },
  {
    name: 'section marker',
    pattern: G.PAGE_MARKERS[0]!,
    example: 'ULAANBAATA 00000693 002 OF 002',
    section: 'Page/section markers inside the body:',
  },
  {
    name: 'print page marker',
    pattern: G.PAGE_MARKERS[1]!,
    example: 'PAGE 02 CAPE T 00097 01 OF 03 182017Z',
    section: 'Page/section markers inside the body:',
  },
];
