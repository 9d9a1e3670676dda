import { failure } from '#shared/errors.js';
import { fail, ok, type Result } from '#shared/result.js';
import type { Classification, ParsedCable } from '#shared/stages.js';
import { classificationFromSecurityLetters, matchBanner, matchClassificationAlone, type Banner } from './banner.js';
import { findParagraphs, findSigners, findSummary, isPageMarker } from './body.js';
import { cableYear } from './cable-year.js';
import { cableIdOf, canonicalStation, fullYear, stationOfPla } from '#shared/cable-identity.js';
import { filingTime } from './dtg.js';
import { parseClassifiedBy } from './front-matter.js';
import { CLASSIFIED_BY, PARTIAL_EXTRACT } from './grammar.js';
import { readFrontMatter, type FrontMatter } from './front-matter-reader.js';
import { findLooseDtg, parseHeader, type Header } from './header.js';
import { colonLabels, fullTextOfPageDump, restoreLostLineBreaks } from './line-repair.js';
import { readReferences, resolveReferences } from './references.js';
import { codeAt, normalisedCable, squash } from './text.js';
import type { YearClues } from './year-inference.js';

export const PARSER_VERSION = '0.5.0';

export interface ParseOptions {
  /** Known TAGS codes: glued entries such as `PHUMBA` are split, unlabelled TAGS lines recognised. */
  knownTags?: ReadonlySet<string>;
  /** Station names as ids spell them, so that only real stations count as cable references. */
  knownStations?: ReadonlySet<string>;
  /** Sees the clues of a cable whose year is inferred (the corpus scorer learns the year model from them). */
  onYearClues?: (clues: YearClues) => void;
}

/** How many lines after the header the banner may sit (handling lines, wrappers). */
const BANNER_WINDOW = 40;

/**
 * RawCable text -> ParsedCable. Pure: no I/O, no clock. Never throws on any input; text with
 * none of a cable's marks is a `no_cable_header` failure.
 */
export function parseCable(text: string, options: ParseOptions = {}): Result<ParsedCable> {
  const { normalisedLines, lines, digitOrZEnds } = cableLines(text);
  const partialExtract = lines.slice(0, 5).some((l) => PARTIAL_EXTRACT.test(l));
  const header = headerOf(lines);
  const bannerAt = findBanner(lines, header.found ? header.bodyStart : 0);
  const banner = bannerAt ? bannerAt.banner : null;
  const bodyStart = bannerAt ? bannerAt.index : header.bodyStart;

  const front = readFrontMatter(lines, bannerAt ? bannerAt.index + 1 : bodyStart, options.knownTags);
  if (!header.found && !banner && front.tags.length === 0 && front.subject === null && front.eo === null) {
    return fail(failure('no_cable_header', 'no header, banner, E.O., TAGS or SUBJECT line found'));
  }
  const bodyLines = bodyLinesOf(lines, bodyStart, digitOrZEnds);
  const body = trimNewlines(bodyLines.join('\n'));

  const { station, serial } = cableStationAndSerial(banner, header);
  const bodyIsAnotherCable =
    banner !== null && station !== null && banner.station !== null && canonicalStation(banner.station) !== station;
  const classification =
    bodyIsAnotherCable && header.securityLine
      ? classificationFromSecurityLetters(header.securityLine.letters)
      : classify(banner, header, front, lines, bodyStart);

  // References written with their year (`2002 THE HAGUE 03525`) bound the citing cable's year.
  const refItems = front.refText ? readReferences(front.refText, options.knownStations) : [];
  const refYears = refItems.flatMap((r) =>
    r.cable && r.cable.writtenYear !== null ? [fullYear(r.cable.writtenYear)] : [],
  );
  const known = cableYear(header, front.eo, () => normalisedLines.join('\n'), refYears, options.onYearClues);
  const cableId = cableIdOf(known?.year ?? null, station, serial);
  const { filedAt, warnings } = filing(header);

  return ok({
    cableId,
    idBasis: cableId === null ? null : known!.basis,
    partialExtract,
    transmission: header.transmission,
    relay: header.relay,
    originStation: header.originStation,
    securityLine: header.securityLine,
    precedence: header.precedence,
    dtg: header.dtg ? { raw: header.dtg.raw, sentAt: header.dtg.sentAt } : null,
    filedAt,
    from: header.from,
    to: header.to,
    info: header.info,
    banner: banner
      ? {
          raw: banner.raw,
          station: banner.station,
          serial: banner.serial,
          section: banner.section,
          sectionCount: banner.sectionCount,
        }
      : null,
    classification,
    caveats: caveatsOf(front, banner, classification),
    handling: front.handling,
    eo: front.eo,
    tags: front.tags,
    tagsRaw: front.tagsRaw,
    subject: front.subject,
    references: resolveReferences(refItems, known?.year ?? null),
    classifiedBy: front.classifiedBy ?? classifiedByInFirstParagraph(lines, front.endLine),
    // From the cable's own lines: `front.endLine` counts them, page markers included, where the
    // body's lines have lost theirs (a marker in the front matter cost the first paragraph).
    paragraphs: findParagraphs(lines.slice(Math.max(front.endLine, bodyStart))),
    summary: findSummary(body),
    signers: findSigners(bodyLines),
    body,
    warnings,
  });
}

/**
 * The text as lines (a saved page cut to its full text, lost line breaks put back), and as normalised
 * before the repair; and, while the lines are those normalised, which of them may be page markers
 * (null once a page was cut or a line repaired).
 */
function cableLines(text: string): { normalisedLines: string[]; lines: string[]; digitOrZEnds: number[] | null } {
  const labels = colonLabels(text);
  const normalised = normalisedCable(text);
  let digitOrZEnds: number[] | null = normalised.digitOrZEnds;
  let mayOpenBanner: number[] | null = normalised.mayOpenBanner;
  let lines = normalised.lines;
  if (labels.refid && lines.some((l) => l.startsWith('refid: '))) {
    lines = fullTextOfPageDump(lines.join('\n')).split('\n');
    digitOrZEnds = null;
    mayOpenBanner = null;
  }
  const repaired = restoreLostLineBreaks(lines, labels.cableDated, mayOpenBanner);
  return { normalisedLines: lines, lines: repaired, digitOrZEnds: repaired === lines ? digitOrZEnds : null };
}

/** The header; with no DTG in it as read, the cable's own may still stand alone or in a run-on line. */
function headerOf(lines: readonly string[]): Header {
  const read = parseHeader(lines);
  const loose = read.dtg ? null : findLooseDtg(lines);
  return loose ? { ...read, dtg: loose.dtg, precedence: read.precedence ?? loose.precedence } : read;
}

/**
 * The body: page markers out, and the partial-extract notice among its first three lines. With the
 * lines that may be page markers known, the body is its lines as they are between the markers.
 */
export function bodyLinesOf(
  lines: readonly string[],
  bodyStart: number,
  digitOrZEnds: readonly number[] | null,
): string[] {
  if (digitOrZEnds === null) return bodyLinesReadOneByOne(lines, bodyStart);
  // The first three lines that are no marker may hold the notice.
  const cuts: number[] = [];
  for (const k of digitOrZEnds) if (k >= bodyStart && isPageMarker(lines[k]!)) cuts.push(k);
  for (let i = bodyStart, seen = 0, m = 0; i < lines.length && seen < 3; i++) {
    if (m < cuts.length && cuts[m] === i) {
      m++;
      continue;
    }
    seen++;
    if (PARTIAL_EXTRACT.test(lines[i]!)) cuts.splice(m++, 0, i);
  }
  if (cuts.length === 0) return lines.slice(bodyStart);
  const bodyLines = lines.slice(bodyStart, cuts[0]);
  for (let m = 0; m < cuts.length; m++) {
    const end = m + 1 < cuts.length ? cuts[m + 1]! : lines.length;
    for (let i = cuts[m]! + 1; i < end; i++) bodyLines.push(lines[i]!);
  }
  return bodyLines;
}

/** bodyLinesOf where the lines that may be page markers are not known (a page cut, a line repaired). */
function bodyLinesReadOneByOne(lines: readonly string[], bodyStart: number): string[] {
  const bodyLines: string[] = [];
  for (let i = bodyStart, kept = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (isPageMarker(l)) continue;
    if (kept++ < 3 && PARTIAL_EXTRACT.test(l)) continue;
    bodyLines.push(l);
  }
  return bodyLines;
}

/** Inside paragraph 1: `¶1. (U) CLASSIFIED BY DCM ROBERT S. DEUTSCH; REASONS 1.5 (B) AND (D).` */
function classifiedByInFirstParagraph(lines: readonly string[], from: number): ParsedCable['classifiedBy'] {
  for (const l of lines.slice(from, from + 6)) {
    const m = CLASSIFIED_BY.exec(l);
    if (m) return parseClassifiedBy(m[1]!);
  }
  return null;
}

function caveatsOf(front: FrontMatter, banner: Banner | null, classification: Classification | null): string[] {
  const caveats = [...front.caveats];
  // NOFORN also stands in the banner's modifiers (`SECRET//NOFORN`). Portion marks (`(S/NF)`) mark
  // paragraphs, not the cable: measured on the dev corpus, reading them as the cable's caveat is wrong.
  if (banner && /NOFORN|NF/.test(banner.modifiers) && !caveats.includes('NOFORN')) caveats.unshift('NOFORN');
  // NOFORN controls classified information. An unclassified (SBU) cable marked NOFORN carries the
  // SBU NOFORN handling marking, which the archive's classification field never shows as NOFORN
  // (`UNCLASSIFIED//FOR OFFICIAL USE ONLY`): keep it under its own name.
  const noforn = caveats.indexOf('NOFORN');
  if (noforn >= 0 && (classification === 'UNCLASSIFIED' || classification === 'SENSITIVE BUT UNCLASSIFIED'))
    caveats[noforn] = 'SBU-NOFORN';
  return caveats;
}

/** The DE line's filing time as a timestamp, and a warning when it stands far from the DTG. */
function filing(header: Header): { filedAt: string | null; warnings: string[] } {
  const warnings: string[] = [];
  const filedAt =
    header.originStation?.julianDay && header.originStation.time
      ? filingTime(header.originStation.julianDay, header.originStation.time, header.dtg)
      : null;
  if (filedAt && header.dtg) {
    const hours = Math.abs(Date.parse(filedAt) - Date.parse(header.dtg.sentAt)) / 3_600_000;
    if (hours > 72) warnings.push(`filing time ${filedAt} is ${Math.round(hours)} h from the DTG ${header.dtg.sentAt}`);
  }
  return { filedAt, warnings };
}

/** Leading and trailing blank lines off (a regex would try every newline for the end). */
function trimNewlines(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) === 0x0a) start++;
  while (end > start && s.charCodeAt(end - 1) === 0x0a) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/**
 * Station and serial of the canonical id: the banner's, unless the header's DE line disagrees
 * (a page whose body is another cable's: the header is the transmission's own identity; DE keeps
 * only the last four digits of the serial) or the
 * banner's station is redacted (`XXXXXXXXXXXX`); then FM's station with DE's serial.
 */
function cableStationAndSerial(
  banner: Banner | null,
  header: Header,
): { station: string | null; serial: number | null } {
  const headerStation = header.from ? stationOfPla(header.from.pla) : null;
  const deSerial = header.originStation ? Number(header.originStation.serial) : null;
  const bannerStation = banner?.station && !isRedacted(banner.station) ? canonicalStation(banner.station) : null;
  const bannerSerial = banner?.serial ? Number(banner.serial) : null;
  // Only an embassy or consulate's FM names a station for certain (`USDEL SECRETARY//MEXICO//` does not).
  const headerIsPost = header.from !== null && /^(?:AMEMBASSY|AMCONSUL)\s/.test(header.from.pla);
  const agree = deSerial === null || deSerial === (bannerSerial ?? 0) % 10_000 || bannerStation === headerStation;
  if (bannerStation && bannerSerial !== null && (agree || !headerIsPost)) {
    return { station: bannerStation, serial: bannerSerial };
  }
  return { station: headerStation ?? bannerStation, serial: deSerial ?? bannerSerial };
}

/** `XXXXXXXXXXXX`, `XXX XXX`: a station the archive blanked (a banner's station opens with a letter). */
function isRedacted(station: string): boolean {
  return codeAt(station, 0) === 0x58 && /^X+$/.test(station.replace(/\s/g, ''));
}

function findBanner(lines: readonly string[], from: number): { banner: Banner; index: number } | null {
  const scan = (start: number, end: number): { banner: Banner; index: number } | null => {
    for (let i = start; i < Math.min(lines.length, end); i++) {
      const l = lines[i]!;
      if (l.trim() === '') continue;
      const b = matchBanner(l);
      if (b) return { banner: b, index: i };
    }
    return null;
  };
  return scan(from, from + BANNER_WINDOW) ?? (from > 0 ? null : scan(0, BANNER_WINDOW * 3));
}

function classify(
  banner: Banner | null,
  header: Header,
  front: FrontMatter,
  lines: readonly string[],
  bodyStart: number,
): Classification | null {
  let c: Classification | null = banner?.classification ?? null;
  if (c === null) {
    for (const l of lines.slice(bodyStart, bodyStart + 8)) {
      const alone = matchClassificationAlone(l.trim());
      if (alone) {
        c = alone;
        break;
      }
    }
  }
  if (c === null && header.securityLine) c = classificationFromSecurityLetters(header.securityLine.letters);
  if (c === 'UNCLASSIFIED' && (front.sensitive || /SENSITIVE|SBU/.test(banner?.modifiers ?? ''))) {
    c = 'SENSITIVE BUT UNCLASSIFIED';
  }
  return c;
}

export { fullYear, squash };
