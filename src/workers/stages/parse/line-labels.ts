import { matchBanner } from './banner.js';
import {
  BARE_LIST,
  BODY_FIELD_START,
  CLASSIFICATION_START,
  DASH_SEQ,
  DE_LINE,
  DISTRIBUTION_BLOCK,
  DISTRIBUTION_CONT,
  END_OF_MESSAGE,
  EO_OR_PARAGRAPH_START,
  FM_LINE,
  INFO_LINE,
  MAIL_FROM,
  PAGE_START,
  PRECEDENCE_DTG,
  RELAY,
  RI_PLA,
  SECURITY,
  TO_LINE,
  TRANSMISSION,
  XMT_LINE,
} from './grammar.js';

/**
 * The first pass of the grammar: each line labelled once with the forms it takes, so that the
 * readers (header, front matter, body) ask a bit instead of trying every pattern on every line.
 * A pattern is tried only on lines whose first character it can start with (the patterns are
 * anchored at the line's start, or need a character the line lacks): most lines meet one or two.
 * A label says the pattern matches; a reader that needs the groups runs it again on that line
 * (only lines that match, a few per header).
 */

/** Labels of a header line (trimmed): which of the header's forms it matches. */
export const HeaderLine = {
  blank: 1 << 0,
  /** `INFO LOG-00 NP-00 ...`, `ACTION AF-00` */
  distributionBlock: 1 << 1,
  /** `DODE-00 SRPP-00 DS-00 /38` */
  distributionCont: 1 << 2,
  /** `PAGE 02 ...`, `----- 352654 200910Z /23`, `BT`, `NNNN`: print-form lines that carry nothing */
  printBreak: 1 << 3,
  transmission: 1 << 4,
  relay: 1 << 5,
  /** `DE RUEHMO #0584 0401117` */
  routing: 1 << 6,
  security: 1 << 7,
  precedenceDtg: 1 << 8,
  from: 1 << 9,
  to: 1 << 10,
  info: 1 << 11,
  xmt: 1 << 12,
  riPla: 1 << 13,
  /** `TO RUEHC/...`, `INFO AMEMBASSY ...` with no FM before (an excerpt starting mid-header) */
  bareList: 1 << 14,
  mailFrom: 1 << 15,
  /** A line that cannot be an address: banner, E.O., TAGS, SUBJECT, paragraph, `Cable dated:` */
  bodyStart: 1 << 16,
  /** A banner, an E.O. line or a numbered paragraph: the body, before any header line */
  bodyFirst: 1 << 17,
} as const;

type Test = (line: string, first: string) => boolean;

/** Each label's test: the pattern, tried only when the line's first character allows it. */
const HEADER_TESTS: ReadonlyArray<readonly [number, Test]> = [
  [HeaderLine.blank, (l) => l === ''],
  [HeaderLine.distributionBlock, (l, c) => (c === 'I' || c === 'A') && DISTRIBUTION_BLOCK.test(l)],
  [
    HeaderLine.distributionCont,
    (l, c) => (c === '/' || (/[A-Z0-9]/.test(c) && l.includes('-'))) && DISTRIBUTION_CONT.test(l),
  ],
  [
    HeaderLine.printBreak,
    (l, c) =>
      (c === 'P' && PAGE_START.test(l)) ||
      (c === '-' && DASH_SEQ.test(l)) ||
      ((c === 'B' || c === 'N') && END_OF_MESSAGE.test(l)),
  ],
  [HeaderLine.transmission, (l) => l.includes('VZCZC') && TRANSMISSION.test(l)],
  [HeaderLine.relay, (l, c) => 'ZOPRWY'.includes(c) && c !== '' && RELAY.test(l)],
  [HeaderLine.routing, (l, c) => c === 'D' && DE_LINE.test(l)],
  [HeaderLine.security, (l, c) => c === 'Z' && SECURITY.test(l)],
  // Every DTG holds a `Z` (the pattern ignores case).
  [HeaderLine.precedenceDtg, (l) => (l.includes('Z') || l.includes('z')) && PRECEDENCE_DTG.test(l)],
  [HeaderLine.from, (l, c) => c === 'F' && FM_LINE.test(l)],
  [HeaderLine.to, (l, c) => c === 'T' && TO_LINE.test(l)],
  [HeaderLine.info, (l, c) => c === 'I' && INFO_LINE.test(l)],
  [HeaderLine.xmt, (l, c) => c === 'X' && XMT_LINE.test(l)],
  [HeaderLine.riPla, (l, c) => c === 'R' && RI_PLA.test(l)],
  [HeaderLine.bareList, (l, c) => (c === 'T' || c === 'I') && BARE_LIST.test(l)],
  [HeaderLine.mailFrom, (l, c) => (c === 'F' || c === 'f') && MAIL_FROM.test(l)],
  [
    HeaderLine.bodyStart,
    (l, c) =>
      'SCULTE¶'.includes(c.toUpperCase()) && c !== '' && (CLASSIFICATION_START.test(l) || BODY_FIELD_START.test(l)),
  ],
  [
    HeaderLine.bodyFirst,
    (l, c) => matchBanner(l) !== null || ((c === 'E' || c === 'e' || c === '¶') && EO_OR_PARAGRAPH_START.test(l)),
  ],
];
const TEST_OF = new Map(HEADER_TESTS);

/**
 * A trimmed header line and its labels. Each label is tested the first time a reader asks for it
 * and kept: no pattern runs twice on a line, and none runs on a line no reader asks about.
 */
export class HeaderLineLabels {
  private tested = 0;
  private found = 0;
  private readonly first: string;

  constructor(readonly text: string) {
    this.first = text.charAt(0);
  }

  /** Whether the line takes any of the forms in `labels` (HeaderLine bits), in the order given. */
  is(labels: number): boolean {
    for (let bit = 1; bit <= labels; bit <<= 1) {
      if (!(labels & bit)) continue;
      if (!(this.tested & bit)) {
        this.tested |= bit;
        if (TEST_OF.get(bit)!(this.text, this.first)) this.found |= bit;
      }
      if (this.found & bit) return true;
    }
    return false;
  }
}
