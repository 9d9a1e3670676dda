import type { Addressee, Precedence } from '../../../shared/stages.js';
import { parseAddressLine } from './addressees.js';
import { matchBanner } from './banner.js';
import { parseDtg, type Dtg } from './dtg.js';
import {
  DASH_SEQ,
  DE_LINE,
  DISTRIBUTION_BLOCK,
  DISTRIBUTION_CONT,
  DTG_ALONE,
  FM_LINE,
  INFO_LINE,
  MAIL_FROM,
  PAGE_MARK,
  PRECEDENCE_DTG,
  RELAY,
  RI_PLA,
  SECURITY,
  TO_LINE,
  TRANSMISSION,
  WRAPPER_DATES,
  XMT_LINE,
} from './grammar.js';

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
  originStation: { ri: string; serial: string; section: string | null; julianDay: number | null; time: string | null } | null;
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

export function parseHeader(lines: readonly string[]): Header {
  const h: Header = {
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
  let list: ListName | null = null;
  let inDistribution = false;
  let headerEnd = -1;
  let mailFrom: Addressee | null = null;
  const limit = Math.min(lines.length, HEADER_WINDOW);

  const addTo = (name: ListName, text: string): void => {
    const cleaned = (text.includes('PAGE') ? text.replace(PAGE_MARK, '') : text).trim();
    if (cleaned === '' || /^(?:BT|NNNN)$/.test(cleaned)) return;
    const a = parseAddressLine(cleaned, name === 'xmt');
    if (!a) return;
    (name === 'xmt' ? h.to : h[name]).push(a);
  };

  for (let i = 0; i < limit; i++) {
    const line = lines[i]!.trim();
    // A wrapper's date only matters without a DTG (cableYear): stop looking once one is read.
    if (h.wrapperYear === null && h.dtg === null) {
      for (const re of WRAPPER_DATES) {
        const m = re.exec(line);
        if (m) h.wrapperYear = Number(m[1]);
      }
    }
    if (line === '') {
      inDistribution = false;
      if (list !== null) {
        // A blank line ends the address lists unless more addresses follow it.
        const next = nextNonBlank(lines, i + 1, limit);
        if (next === null || !(INFO_LINE.test(next) || XMT_LINE.test(next) || TO_LINE.test(next) || RI_PLA.test(next))) {
          headerEnd = i;
          break;
        }
      }
      continue;
    }
    if (DISTRIBUTION_BLOCK.test(line)) {
      inDistribution = true;
      continue;
    }
    if (inDistribution && DISTRIBUTION_CONT.test(line)) continue;
    inDistribution = false;
    if (/^PAGE\s+\d{2,3}\b/.test(line) || DASH_SEQ.test(line) || /^(?:BT|NNNN)$/.test(line)) continue;

    // Inside the address lists (after FM) only addresses and the lists' own keywords follow.
    if (list === null || h.from === null) {
      const tm = TRANSMISSION.exec(line);
      if (tm && !h.transmission) {
        h.transmission = { id: tm[0], channel: tm[1] ?? null, sequence: tm[2] ?? null };
        h.found = true;
        continue;
      }
      const relay = RELAY.exec(line);
      if (relay && !h.relay && !h.from) {
        h.relay = { prosign: relay[1]!, ris: relay[2]!.trim().split(/\s+/) };
        h.found = true;
        continue;
      }
      const de = DE_LINE.exec(line);
      if (de && !h.originStation) {
        h.originStation = {
          ri: de[1]!,
          serial: de[2]!,
          section: de[3] ?? null,
          julianDay: de[4] && Number(de[4]) >= 1 && Number(de[4]) <= 366 ? Number(de[4]) : null,
          time: de[5] ?? null,
        };
        h.found = true;
        continue;
      }
      const sec = SECURITY.exec(line);
      if (sec && !h.securityLine) {
        h.securityLine = { signal: sec[1]!, letters: sec[2]! };
        h.found = true;
        continue;
      }
    }
    if (!h.dtg && !h.from) {
      const pd = PRECEDENCE_DTG.exec(line);
      if (pd) {
        const dtg = parseDtg(pd[2]!);
        if (dtg) {
          h.dtg = dtg;
          h.precedence = PROSIGN_PRECEDENCE[pd[1]!.toUpperCase()] ?? null;
          h.found = true;
          continue;
        }
      }
    }
    const fm = FM_LINE.exec(line);
    if (fm && !h.from) {
      h.from = parseAddressLine(fm[1]!);
      h.found = true;
      list = null;
      continue;
    }
    if (h.from || list !== null) {
      const to = TO_LINE.exec(line);
      if (to && list !== 'to' && h.to.length === 0) {
        list = 'to';
        addTo('to', to[1] ?? to[2] ?? '');
        continue;
      }
      const info = INFO_LINE.exec(line);
      if (info) {
        list = 'info';
        addTo('info', info[1] ?? '');
        continue;
      }
      const xmt = XMT_LINE.exec(line);
      if (xmt) {
        list = 'xmt';
        addTo('xmt', xmt[1]!);
        continue;
      }
      if (list !== null) {
        if (looksLikeBodyStart(line)) {
          headerEnd = i;
          break;
        }
        addTo(list, line);
        continue;
      }
      // After FM, before TO: something else starts the body.
      if (looksLikeBodyStart(line)) {
        headerEnd = i;
        break;
      }
      continue;
    }
    // TO / INFO with no FM before them (an excerpt that starts mid-header): an address must follow.
    const bare = /^(TO|INFO)\s+((?:R[A-Z]{3,7}\/|AMEMBASSY\s|AMCONSUL\s|SECSTATE\s|USMISSION\s|PAGE\s+\d).*)$/.exec(line);
    if (bare && !h.from && h.to.length === 0) {
      list = bare[1] === 'TO' ? 'to' : 'info';
      addTo(list, bare[2]!);
      h.found = true;
      continue;
    }
    const mf = MAIL_FROM.exec(line);
    if (mf && !mailFrom) {
      mailFrom = parseAddressLine(mf[1]!);
      continue;
    }
    // The body began before any header line: a header cannot follow (partial extracts).
    // (Mail wrappers carry `Subject:` and `TAGS:` lines before the header, so only a banner, an
    // E.O. line or a numbered paragraph counts here.)
    if (!h.found && (matchBanner(line) || /^(?:E\.?\s?[O0]\.?\s?1\d{3,4}|¶\s?\d)/i.test(line))) break;
  }
  if (!h.from && mailFrom) h.from = mailFrom;
  if (h.found && headerEnd < 0 && (h.from || h.dtg)) headerEnd = findBlankAfterHeader(lines, limit);
  h.bodyStart = h.found && headerEnd >= 0 ? headerEnd : 0;
  return h;
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
    if (!DTG_ANYWHERE.test(line)) continue;
    const m = DTG_ALONE.exec(line) ?? PRECEDENCE_DTG.exec(line);
    if (!m) continue;
    const dtg = parseDtg(m[2]!);
    if (dtg) return { dtg, precedence: m[1] ? PROSIGN_PRECEDENCE[m[1].toUpperCase()] ?? null : null };
  }
  return null;
}

/** A cheap prefilter: `Z` after six digits. */
const DTG_ANYWHERE = /\d{6}\s?Z/i;

function nextNonBlank(lines: readonly string[], from: number, limit: number): string | null {
  for (let j = from; j < limit; j++) {
    const t = lines[j]!.trim();
    if (t !== '') return t;
  }
  return null;
}

/** A line that cannot be an address: banner, E.O., TAGS, SUBJECT, paragraph. */
function looksLikeBodyStart(line: string): boolean {
  return (
    /^(?:S\s?E\s?C\s?R\s?E\s?T|C\s?O\s?N\s?F\s?I\s?D|U\s?N\s?C\s?L\s?A\s?S|LIMITED OFFICIAL|TOP SECRET|SENSITIVE)/i.test(line) ||
    /^(?:E\.?\s?O\.?\s?\d|TAGS?\b|SUBJ(?:ECT)?\b|¶|Cable dated:)/i.test(line)
  );
}

function findBlankAfterHeader(lines: readonly string[], limit: number): number {
  // No blank line closed the address list within the window: the body starts after the window.
  return Math.min(lines.length, limit);
}
