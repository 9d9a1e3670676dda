import type { Addressee, Precedence } from '#shared/stages.js';
import { parseAddressLine } from './addressees.js';
import { parseDtg, type Dtg } from './dtg.js';
import {
  DE_LINE,
  DTG_ALONE,
  FM_LINE,
  BARE_LIST,
  INFO_LINE,
  MAIL_FROM,
  PAGE_MARK,
  PRECEDENCE_DTG,
  RELAY,
  SECURITY,
  TO_LINE,
  TRANSMISSION,
  WRAPPER_DATES,
  XMT_LINE,
} from './grammar.js';
import { HeaderLine, HeaderLineLabels } from './line-labels.js';

/**
 * The telegram header (corpus/FORMATS.md "Header block"; reference/codes.md section 1):
 *   VZCZCXRO1733                 transmission id
 *   RR RUEHGH RUEHLMC            precedence prosigns + relay routing indicators
 *   DE RUEHUM #0693/01 3480901   origin RI, station serial, section, Julian filing day + time
 *   ZNY CCCCC ZZH                security line
 *   R 140901Z DEC 07             precedence + date-time group
 *   FM / TO / INFO / XMT         addressees, continuation lines, page breaks inside the lists
 * Also: old print forms (`PAGE 01 CAPE T 00097 01 OF 03 182017Z`, `ACTION AF-00`), `INFO LOG-00`
 * distribution blocks, e-mail and mail-client wrappers, and headers with no routing indicators.
 */
export interface Header {
  transmission: { id: string; channel: string | null; sequence: string | null } | null;
  relay: { prosign: string; ris: string[] } | null;
  originStation: {
    ri: string;
    serial: string;
    section: string | null;
    julianDay: number | null;
    time: string | null;
  } | null;
  securityLine: { signal: string; letters: string } | null;
  precedence: Precedence | null;
  dtg: Dtg | null;
  from: Addressee | null;
  to: Addressee[];
  info: Addressee[];
  /** Dates found in wrappers (`Cable dated:2002-11-15`, `TELEGRAM June 03, 2003`, `Sent: ...`). */
  wrapperYear: number | null;
  /** Index of the first line after the header: where the body starts. */
  bodyStart: number;
  found: boolean;
}

export const PROSIGN_PRECEDENCE: Record<string, Precedence> = {
  Z: 'FLASH',
  O: 'IMMEDIATE',
  P: 'PRIORITY',
  R: 'ROUTINE',
  Y: 'EMERGENCY',
  W: 'CRITIC',
};

/** How far into a file a header can start (mail wrappers, distribution blocks). */
const HEADER_WINDOW = 120;

type ListName = 'to' | 'info' | 'xmt';
/** What one line did: go on to the next, the body starts at this line, or no header can follow. */
type Step = 'next' | 'body' | 'stop';

const H = HeaderLine;
/** Lines that continue the address lists after a blank line. */
const MORE_ADDRESSES = H.info | H.xmt | H.to | H.riPla;

export function parseHeader(lines: readonly string[]): Header {
  return new HeaderReader(lines).read();
}

/**
 * The header's second pass: each line of the window labelled (HeaderLineLabels, each form tested
 * at most once, when asked), then read
 * in order by the part of the header it can belong to: wrappers, the routing lines before FM, the
 * date, FM and the address lists, and what may stand before any of them.
 */
class HeaderReader {
  private readonly h: Header = {
    transmission: null,
    relay: null,
    originStation: null,
    securityLine: null,
    precedence: null,
    dtg: null,
    from: null,
    to: [],
    info: [],
    wrapperYear: null,
    bodyStart: 0,
    found: false,
  };
  private list: ListName | null = null;
  private inDistribution = false;
  private mailFrom: Addressee | null = null;
  private readonly limit: number;

  constructor(private readonly lines: readonly string[]) {
    this.limit = Math.min(lines.length, HEADER_WINDOW);
  }

  read(): Header {
    const h = this.h;
    let headerEnd = -1;
    for (let i = 0; i < this.limit; i++) {
      const step = this.line(i, this.lines[i]!.trim());
      if (step === 'body') headerEnd = i;
      if (step !== 'next') break;
    }
    if (!h.from && this.mailFrom) h.from = this.mailFrom;
    // No blank line closed the address lists within the window: the body starts after the window.
    if (h.found && headerEnd < 0 && (h.from || h.dtg)) headerEnd = this.limit;
    h.bodyStart = h.found && headerEnd >= 0 ? headerEnd : 0;
    return h;
  }

  private line(i: number, line: string): Step {
    const h = this.h;
    // A wrapper's date only matters without a DTG (cableYear): stop looking once one is read.
    if (h.wrapperYear === null && h.dtg === null) this.wrapperDate(line);
    const is = new HeaderLineLabels(line);
    if (is.is(H.blank)) return this.blank(i);
    if (is.is(H.distributionBlock)) {
      this.inDistribution = true;
      return 'next';
    }
    if (this.inDistribution && is.is(H.distributionCont)) return 'next';
    this.inDistribution = false;
    if (is.is(H.printBreak)) return 'next';
    // Inside the address lists (after FM) only addresses and the lists' own keywords follow.
    if ((this.list === null || h.from === null) && this.routingLine(is)) return 'next';
    if (!h.dtg && !h.from && is.is(H.precedenceDtg) && this.dateLine(line)) return 'next';
    if (is.is(H.from) && !h.from) {
      h.from = parseAddressLine(FM_LINE.exec(line)![1]!);
      h.found = true;
      this.list = null;
      return 'next';
    }
    if (h.from || this.list !== null) return this.addressLists(is);
    return this.beforeFrom(is);
  }

  private wrapperDate(line: string): void {
    // Every wrapper date is written after a label's `:` or a date's `,` (`Cable dated:`, `June 03, 2003`):
    // most header lines (addresses, routing) hold neither.
    if (!line.includes(':') && !line.includes(',')) return;
    for (const re of WRAPPER_DATES) {
      const m = re.exec(line);
      if (m) this.h.wrapperYear = Number(m[1]);
    }
  }

  /** A blank line ends the address lists unless more addresses follow it. */
  private blank(i: number): Step {
    this.inDistribution = false;
    if (this.list === null) return 'next';
    for (let j = i + 1; j < this.limit; j++) {
      const next = this.lines[j]!.trim();
      if (next !== '') return new HeaderLineLabels(next).is(MORE_ADDRESSES) ? 'next' : 'body';
    }
    return 'body';
  }

  /** Transmission id, relay, DE and security lines, each taken once. */
  private routingLine(is: HeaderLineLabels): boolean {
    const h = this.h;
    const line = is.text;
    if (is.is(H.transmission) && !h.transmission) {
      const tm = TRANSMISSION.exec(line)!;
      h.transmission = { id: tm[0], channel: tm[1] ?? null, sequence: tm[2] ?? null };
    } else if (!h.relay && !h.from && is.is(H.relay)) {
      const relay = RELAY.exec(line)!;
      h.relay = { prosign: relay[1]!, ris: relay[2]!.trim().split(/\s+/) };
    } else if (!h.originStation && is.is(H.routing)) {
      const de = DE_LINE.exec(line)!;
      const day = de[4] ? Number(de[4]) : 0;
      h.originStation = {
        ri: de[1]!,
        serial: de[2]!,
        section: de[3] ?? null,
        julianDay: day >= 1 && day <= 366 ? day : null,
        time: de[5] ?? null,
      };
    } else if (!h.securityLine && is.is(H.security)) {
      const sec = SECURITY.exec(line)!;
      h.securityLine = { signal: sec[1]!, letters: sec[2]! };
    } else return false;
    h.found = true;
    return true;
  }

  /** `R 091117Z FEB 07`: the precedence prosign and the date-time group. */
  private dateLine(line: string): boolean {
    const pd = PRECEDENCE_DTG.exec(line)!;
    const dtg = parseDtg(pd[2]!);
    if (!dtg) return false;
    this.h.dtg = dtg;
    this.h.precedence = PROSIGN_PRECEDENCE[pd[1]!.toUpperCase()] ?? null;
    this.h.found = true;
    return true;
  }

  /** After FM: TO, INFO and XMT open their lists; other lines continue the open list, until the body. */
  private addressLists(is: HeaderLineLabels): Step {
    const h = this.h;
    const line = is.text;
    if (this.list !== 'to' && h.to.length === 0 && is.is(H.to)) {
      const to = TO_LINE.exec(line)!;
      this.open('to', to[1] ?? to[2] ?? '');
    } else if (is.is(H.info)) this.open('info', INFO_LINE.exec(line)![1] ?? '');
    else if (is.is(H.xmt)) this.open('xmt', XMT_LINE.exec(line)![1]!);
    else if (is.is(H.bodyStart)) return 'body';
    else if (this.list !== null) this.add(this.list, line);
    // (After FM and before TO, a line that starts no body is passed over.)
    return 'next';
  }

  /** Before FM: a list with no FM (an excerpt starting mid-header), a mail wrapper's sender, or the body already. */
  private beforeFrom(is: HeaderLineLabels): Step {
    const h = this.h;
    const line = is.text;
    if (!h.from && h.to.length === 0 && is.is(H.bareList)) {
      const bare = BARE_LIST.exec(line)!;
      this.open(bare[1] === 'TO' ? 'to' : 'info', bare[2]!);
      h.found = true;
      return 'next';
    }
    if (!this.mailFrom && is.is(H.mailFrom)) {
      this.mailFrom = parseAddressLine(MAIL_FROM.exec(line)![1]!);
      return 'next';
    }
    // The body began before any header line: a header cannot follow (partial extracts). Mail
    // wrappers carry `Subject:` and `TAGS:` before the header, so only a banner, an E.O. line or
    // a numbered paragraph counts here.
    return !h.found && is.is(H.bodyFirst) ? 'stop' : 'next';
  }

  private open(list: ListName, first: string): void {
    this.list = list;
    this.add(list, first);
  }

  private add(list: ListName, text: string): void {
    const cleaned = (text.includes('PAGE') ? text.replace(PAGE_MARK, '') : text).trim();
    if (cleaned === '' || cleaned === 'BT' || cleaned === 'NNNN') return;
    const a = parseAddressLine(cleaned, list === 'xmt');
    if (a) (list === 'xmt' ? this.h.to : this.h[list]).push(a);
  }
}

/**
 * The cable's DTG where the header reading did not reach it (corpus/FORMATS.md "Header block"):
 * a partial extract's first line after the notice (`061428Z Jun 03`), a run-on distribution line
 * (`... PM-00 /38 O 271459Z SEP 00 FM AMEMBASSY HARARE ...`), the header repeated after a page
 * marker. Only a DTG alone on its line or after a precedence prosign counts: a DTG inside prose
 * (`DATED 150910Z DEC 09`) names another message. The first such line wins.
 */
export function findLooseDtg(lines: readonly string[]): { dtg: Dtg; precedence: Precedence | null } | null {
  for (const line of lines) {
    const m = DTG_ALONE.exec(line) ?? PRECEDENCE_DTG.exec(line);
    if (!m) continue;
    const dtg = parseDtg(m[2]!);
    if (dtg) return { dtg, precedence: m[1] ? (PROSIGN_PRECEDENCE[m[1].toUpperCase()] ?? null) : null };
  }
  return null;
}
