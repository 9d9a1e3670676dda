import { failure } from '../../../shared/errors.js';
import { fail, ok, type Result } from '../../../shared/result.js';
import type { Classification, ParsedCable, Reference } from '../../../shared/stages.js';
import { classificationFromSecurityLetters, matchBanner, matchClassificationAlone, type Banner } from './banner.js';
import { findParagraphs, findSigners, findSummary, isPageMarker } from './body.js';
import { cableYear } from './cable-year.js';
import { filingTime, fullYear } from './dtg.js';
import {
  caveatsIn,
  CLASSIFIED_BY,
  matchEo,
  PARAGRAPH_START,
  parseClassifiedBy,
  REF_LINE,
  SUBJECT_LINE,
  TAGS_LINE,
  type ClassifiedBy,
  type EoLine,
} from './front-matter.js';
import { parseHeader, type Header } from './header.js';
import { readReferences, resolveReferences } from './references.js';
import { canonicalStation, stationFromPla } from './stations.js';
import { splitTags } from './tags.js';
import { normaliseLines, squash } from './text.js';

export const PARSER_VERSION = '0.2.0';

export interface ParseOptions {
  /** Known TAGS codes, used only to split glued entries such as `PHUMBA`. */
  knownTags?: ReadonlySet<string>;
  /** Station names as ids spell them, so that only real stations count as cable references. */
  knownStations?: ReadonlySet<string>;
}

const PARTIAL_EXTRACT = /This record is a partial extract of the original cable/i;
/** How many lines after the header the banner may sit (handling lines, wrappers). */
const BANNER_WINDOW = 40;
/** How far down a glued banner is split off its line: past the header window and the banner window after it. */
const GLUED_BANNER_WINDOW = 200;
/** How many lines the front matter (handling, E.O., TAGS, SUBJECT, REF) may span. */
const FRONT_MATTER_WINDOW = 80;

/** Keywords that start a field even in the middle of a line (newlines lost in run-ons). */
const RUN_ON_SPLIT =
  /\s+(?=(?:E\.?\s?O\.?\s?1\d{3,4}\s*[:.;]?\s*(?:DECL|N\/?A))|(?:TAGS?|TAGES|AGS):\s|SUBJECT:|SUBJ:|REFS?:\s|REFTEL:|CLASSIFIED\s+BY\b)|(?<=[A-Z]{3})(?=REF:\s)/gi;

/** How far into a line run-on fields are looked for: they open a cable, and some lines are whole cables (50 KB). */
const RUN_ON_HEAD = 4_000;

function splitRunOn(line: string): string[] {
  if (line.length <= RUN_ON_HEAD) return line.split(RUN_ON_SPLIT);
  const pieces = line.slice(0, RUN_ON_HEAD).split(RUN_ON_SPLIT);
  pieces[pieces.length - 1] += line.slice(RUN_ON_HEAD);
  return pieces;
}

/** Every RUN_ON_SPLIT keyword has a colon, the `1` of an E.O. number, or CLASSIFIED BY: most lines have none. */
function mayHoldRunOnFields(line: string): boolean {
  return line.includes(':') || line.includes('1') || /CLASSI?F?IED/i.test(line);
}

/**
 * A cablegate page saved whole: a preview cut short (`LIMA 2...`), the page's metadata table
 * (`id:`, `date:`, `refid:`, `origin:`, `classification:`, `destination:`, `header:`), then the
 * header and the full text. The cable is what follows `header:`; the preview only repeats its start.
 */
const PAGE_DUMP = /^id: \d+\ndate: [^\n]*\nrefid: [^\n]*\n(?:[a-z]+:[^\n]*\n){0,6}?header:[ \t]*\n/m;

function fullTextOfPageDump(text: string): string {
  const m = PAGE_DUMP.exec(text);
  if (!m) return text;
  const rest = text.slice(m.index + m[0].length);
  // Keep the partial-extract notice, which stands before the preview.
  const notice = text.slice(0, m.index).split('\n', 3).find((l) => PARTIAL_EXTRACT.test(l));
  return notice ? `${notice}\n\n${rest}` : rest;
}

/**
 * RawCable text -> ParsedCable. Pure: no I/O, no clock. Never throws on any input; text with
 * none of a cable's marks is a `no_cable_header` failure.
 */
export function parseCable(text: string, options: ParseOptions = {}): Result<ParsedCable> {
  let normalisedLines = normaliseLines(text);
  if (normalisedLines.some((l) => l.startsWith('refid: '))) normalisedLines = fullTextOfPageDump(normalisedLines.join('\n')).split('\n');
  const lines = restoreLostLineBreaks(normalisedLines, text.includes('able dated:'));
  const partialExtract = lines.slice(0, 5).some((l) => PARTIAL_EXTRACT.test(l));
  const header = parseHeader(lines);

  const bannerAt = findBanner(lines, header.found ? header.bodyStart : 0);
  const banner = bannerAt ? bannerAt.banner : null;
  const bodyStart = bannerAt ? bannerAt.index : header.bodyStart;

  const front = readFrontMatter(lines, bannerAt ? bannerAt.index + 1 : bodyStart, options);
  if (!header.found && !banner && front.tags.length === 0 && front.subject === null && front.eo === null) {
    return fail(failure('no_cable_header', 'no header, banner, E.O., TAGS or SUBJECT line found'));
  }

  // The body: page markers out, and the partial-extract notice among its first three lines.
  const bodyLines: string[] = [];
  for (let i = bodyStart, kept = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (isPageMarker(l)) continue;
    if (kept++ < 3 && PARTIAL_EXTRACT.test(l)) continue;
    bodyLines.push(l);
  }
  const body = trimNewlines(bodyLines.join('\n'));
  const paragraphs = findParagraphs(bodyLines.slice(Math.max(0, front.endLine - bodyStart)));
  let classifiedBy = front.classifiedBy;
  if (!classifiedBy) {
    // Inside paragraph 1: `¶1. (U) CLASSIFIED BY DCM ROBERT S. DEUTSCH; REASONS 1.5 (B) AND (D).`
    for (const l of lines.slice(front.endLine, front.endLine + 6)) {
      const m = CLASSIFIED_BY.exec(l);
      if (m) {
        classifiedBy = parseClassifiedBy(m[1]!);
        break;
      }
    }
  }

  const { station, serial } = cableStationAndSerial(banner, header);
  const bodyIsAnotherCable = banner !== null && station !== null && banner.station !== null && canonicalStation(banner.station) !== station;
  const classification =
    bodyIsAnotherCable && header.securityLine
      ? classificationFromSecurityLetters(header.securityLine.letters)
      : classify(banner, header, front, lines, bodyStart);
  const caveats = [...front.caveats];
  // NOFORN also stands in the banner's modifiers (`SECRET//NOFORN`). Portion marks (`(S/NF)`) mark
  // paragraphs, not the cable: measured on the dev corpus, reading them as the cable's caveat is wrong.
  if (banner && /NOFORN|NF/.test(banner.modifiers) && !caveats.includes('NOFORN')) caveats.unshift('NOFORN');
  // NOFORN controls classified information. An unclassified (SBU) cable marked NOFORN carries the
  // SBU NOFORN handling marking, which the archive's classification field never shows as NOFORN
  // (`UNCLASSIFIED//FOR OFFICIAL USE ONLY`): keep it under its own name.
  const noforn = caveats.indexOf('NOFORN');
  if (noforn >= 0 && (classification === 'UNCLASSIFIED' || classification === 'SENSITIVE BUT UNCLASSIFIED')) caveats[noforn] = 'SBU-NOFORN';

  // References written with their year (`2002 THE HAGUE 03525`) bound the citing cable's year.
  const refItems = front.refText ? readReferences(front.refText, options.knownStations) : [];
  const refYears = refItems.flatMap((r) => (r.cable?.writtenYear != null ? [fullYear(r.cable.writtenYear)] : []));
  const year = header.dtg ? header.dtg.year : cableYear(header, front.eo, normalisedLines.join('\n'), refYears);
  const cableId =
    year !== null && station !== null && serial !== null && serial > 0
      ? `${String(year % 100).padStart(2, '0')}${station}${serial}`
      : null;

  const references: Reference[] = resolveReferences(refItems, year);
  const warnings: string[] = [];
  const filedAt =
    header.originStation?.julianDay && header.originStation.time
      ? filingTime(header.originStation.julianDay, header.originStation.time, header.dtg)
      : null;
  if (filedAt && header.dtg) {
    const hours = Math.abs(Date.parse(filedAt) - Date.parse(header.dtg.sentAt)) / 3_600_000;
    if (hours > 72) warnings.push(`filing time ${filedAt} is ${Math.round(hours)} h from the DTG ${header.dtg.sentAt}`);
  }

  const parsed: ParsedCable = {
    cableId,
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
      ? { raw: banner.raw, station: banner.station, serial: banner.serial, section: banner.section, sectionCount: banner.sectionCount }
      : null,
    classification,
    caveats,
    handling: front.handling,
    eo: front.eo,
    tags: front.tags,
    tagsRaw: front.tagsRaw,
    subject: front.subject,
    references,
    classifiedBy,
    paragraphs,
    summary: findSummary(body),
    signers: findSigners(bodyLines),
    body,
    warnings,
  };
  return ok(parsed);
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
function cableStationAndSerial(banner: Banner | null, header: Header): { station: string | null; serial: number | null } {
  const headerStation = header.from ? stationFromPla(header.from.pla) : null;
  const deSerial = header.originStation ? Number(header.originStation.serial) : null;
  const bannerStation = banner?.station && !/^X+$/.test(banner.station.replace(/\s/g, '')) ? canonicalStation(banner.station) : null;
  const bannerSerial = banner?.serial ? Number(banner.serial) : null;
  // Only an embassy or consulate's FM names a station for certain (`USDEL SECRETARY//MEXICO//` does not).
  const headerIsPost = header.from !== null && /^(?:AMEMBASSY|AMCONSUL)\s/.test(header.from.pla);
  const agree = deSerial === null || deSerial === (bannerSerial ?? 0) % 10_000 || bannerStation === headerStation;
  if (bannerStation && bannerSerial !== null && (agree || !headerIsPost)) {
    return { station: bannerStation, serial: bannerSerial };
  }
  return { station: headerStation ?? bannerStation, serial: deSerial ?? bannerSerial };
}

/**
 * Lines whose newlines were lost (corpus/FORMATS.md "Cable dated: run-ons"):
 * `Cable dated:2002-11-15T12:40:00S E C R E T SECTION 01 OF 05 ANKARA 008305S/CT FOR REAPE.O. ...`.
 */
function restoreLostLineBreaks(lines: string[], anyCableDated: boolean): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!anyCableDated || !line.includes('able dated:')) {
      // A banner with its caveats glued on: `... ISLAMABAD 022025SIPDISNOFORN SIPDISE.O. 12958: ...`.
      // Only where a banner can be read as the cable's (header, then banner window); below, a line is body.
      const b = i < GLUED_BANNER_WINDOW ? matchBanner(line) : null;
      const after = b ? line.slice(line.indexOf(b.raw) + b.raw.length) : '';
      // Text after the banner on its line is more front matter (`UNCLAS TALLINN 000128 SIPDIS ... TAGS: ...`).
      if (b && after.trim() !== '') out.push(line.slice(0, line.length - after.length), ...splitGluedFields(after));
      else out.push(line);
      continue;
    }
    const m = /^(.*?Cable dated:\s*\S+?\d{2}:\d{2}:\d{2}\]?)(.*)$/i.exec(line);
    if (!m) {
      out.push(line);
      continue;
    }
    out.push(m[1]!);
    let rest = m[2]!;
    const b = matchBanner(rest);
    if (b) {
      const cut = rest.indexOf(b.raw) + b.raw.length;
      out.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    out.push(...splitGluedFields(rest));
  }
  return out;
}

/** A banner line with its caveats and E.O. glued on: `ISLAMABAD 022025SIPDISNOFORN SIPDISE.O. 12958: ...`. */
function splitGluedFields(rest: string): string[] {
  {
    // Caveats lose their line breaks too: `SIPDISSIPDISNOFORNE.O. 12958`.
    const r = rest.replace(/(SIPDIS|NOFORN)(?=[A-Z])/g, '$1\n');
    return r.replace(/(E\.?\s?O\.?\s?1\d{3,4})/g, '\n$1').replace(/(TAGS?:|SUBJECT:)/g, '\n$1').split('\n');
  }
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

export interface FrontMatter {
  caveats: string[];
  handling: string[];
  sensitive: boolean;
  eo: EoLine | null;
  tags: string[];
  tagsRaw: string | null;
  subject: string | null;
  refText: string | null;
  classifiedBy: ClassifiedBy | null;
  /** First line after the front matter. */
  endLine: number;
}

/** Two or more words, every one a known TAGS code. */
function isUnlabelledTagsLine(line: string, knownTags?: ReadonlySet<string>): boolean {
  if (!knownTags || line.length > 120) return false;
  const words = line.split(/[\s,]+/).filter(Boolean);
  return words.length >= 2 && words.every((w) => /^[A-Z]{2,6}$/.test(w) && knownTags.has(w));
}

/** The REF list so far ends inside an item: a bullet with nothing after it, a year or a name still waiting for its serial. */
function refItemDangles(refText: string): boolean {
  const t = refText.trimEnd();
  if (/(?:^|[\s;,])(?:\(?[A-Z]\)|[A-Z]\.)$/.test(t)) return true;
  const lastItem = t.split(/(?:^|[\s;,])(?:\(?[A-Z]\)|[A-Z]\.)\s/).at(-1)!.trim();
  if (/^(?:19|20)?\d{2}$/.test(lastItem)) return true;
  return lastItem !== '' && !/\d/.test(lastItem) && /^[A-Za-z][A-Za-z .'-]{1,30}$/.test(lastItem) && lastItem.split(/\s+/).length <= 3;
}

/** A paragraph that starts on the REF line (its line breaks lost): `... 124006   1.  In response to reftel, ...`. */
const PARAGRAPH_IN_LINE = /\s(?:¶\s?)?\d{1,3}\s?\.\s+(?:\([A-Z/ ]{1,12}\)\s*)?[A-Z][a-z]/;
/** Longer than any REF list seen (the longest of the dev corpus is under 1,000 characters): the rest is run-on text. */
const REF_TEXT_LIMIT = 2_000;

/** A field's text without the body that a run-on line carries after it. */
function untilParagraph(text: string): string {
  const para = PARAGRAPH_IN_LINE.exec(text);
  return para ? text.slice(0, para.index) : text;
}

/** The REF list without the body that a run-on line carries after it. */
function endOfRefList(refText: string): string {
  const cut = untilParagraph(refText);
  return cut.length > REF_TEXT_LIMIT ? cut.slice(0, REF_TEXT_LIMIT) : cut;
}

/** The letter a lettered REF list would use next (`B` after `(A) ...`), or null. */
function nextRefLetter(refLines: readonly string[]): string | null {
  const letters = [...refLines.join(' ').matchAll(/(?:^|[\s;,])(?:¶\s?)?\(?([A-Z])[.)]/g)].map((m) => m[1]!);
  const last = letters.at(-1);
  return last ? String.fromCharCode(last.charCodeAt(0) + 1) : null;
}

const SUBJECT_PORTION_MARK = /^\((U|C|S|SBU|LOU|TS|C\/NF|S\/NF|S\/\/NF|C\/\/NF|TS\/\/NF|U\/\/FOUO|FOUO|SBU\/NF)\)\s*/i;

type OpenField = 'tags' | 'subject' | 'ref' | 'classifiedBy' | null;

export function readFrontMatter(lines: readonly string[], start: number, options: ParseOptions): FrontMatter {
  const fm: FrontMatter = {
    caveats: [],
    handling: [],
    sensitive: false,
    eo: null,
    tags: [],
    tagsRaw: null,
    subject: null,
    refText: null,
    classifiedBy: null,
    endLine: start,
  };
  let open: OpenField = null;
  const subjectLines: string[] = [];
  const refLines: string[] = [];
  const tagLines: string[] = [];
  const classifiedLines: string[] = [];
  let sawField = false;
  const end = Math.min(lines.length, start + FRONT_MATTER_WINDOW);
  let i = start;
  for (; i < end; i++) {
    const rawLine = lines[i]!;
    if (rawLine.trim() === '') {
      // Lettered references often stand apart: `REF: A. PANAMA 651`, blank, `¶B. PANAMA 1213`.
      const next = open === 'ref' ? lines.slice(i + 1, i + 4).find((l) => l.trim() !== '') : undefined;
      if (open === 'ref' && next !== undefined && !PARAGRAPH_START.test(next)) {
        if (/^\s*[-–]?\s*(?:¶\s?)?(?:\(?[A-Z]\)|[A-Z][.)]|\[[A-Z]\])\s*\S/.test(next)) continue;
        // A page break inside an item: `C) RIO`, blank, `DE JANEIRO 1291`; `D)`, blank, `Taipei 03196`.
        if (refItemDangles(refLines.join(' ')) && next.length < 120) continue;
      }
      if (open === 'classifiedBy' || open === 'ref' || open === 'subject' || open === 'tags') open = null;
      continue;
    }
    // `(C) Sao Paulo 42` continues a lettered REF list (`(A) ...; (B) ...;`), it is not a paragraph.
    const nextLetter: string | null = open === 'ref' ? nextRefLetter(refLines) : null;
    const refBullet = nextLetter !== null && new RegExp(`^\\s*(?:¶\\s?)?\\(?${nextLetter}[.)]`).test(rawLine);
    if (!refBullet && PARAGRAPH_START.test(rawLine) && (sawField || i > start + 30)) break;
    // Fields whose newlines were lost sit on one line: split them apart.
    const pieces: string[] = mayHoldRunOnFields(rawLine) ? splitRunOn(rawLine).filter((p) => p.trim() !== '') : rawLine.trim() === '' ? [] : [rawLine];
    // SUBJECT keeps its whole line, run-ons included (as the page titles do); REF and Classified By
    // on the same line are still read from the pieces after it.
    const wholeSubject = fm.subject === null && subjectLines.length === 0 ? SUBJECT_LINE.exec(rawLine.trim()) : null;
    if (wholeSubject) {
      // `SUBJECT:` alone, the subject on the next line after a blank.
      let subjectText = wholeSubject[1]!;
      if (subjectText.trim() === '') {
        const j = lines.findIndex((l, k) => k > i && l.trim() !== '');
        if (j > i && j <= i + 3 && !PARAGRAPH_START.test(lines[j]!)) {
          subjectText = lines[j]!;
          i = j;
        }
      }
      subjectLines.push(subjectText);
      sawField = true;
      open = pieces.length > 1 ? null : 'subject';
      pieces.shift();
    }
    for (const piece of pieces) {
      const t = piece.trim();
      const eo = fm.eo === null ? matchEo(t) : null;
      if (eo) {
        fm.eo = eo;
        sawField = true;
        open = null;
        continue;
      }
      const tg = fm.tagsRaw === null && !/^TAG(?!ES\b)[A-Z]{2,}/i.test(t) ? TAGS_LINE.exec(t) : null;
      if (tg && (fm.subject === null || open === null)) {
        tagLines.push((tg[1] ?? tg[2] ?? '').trim());
        fm.tagsRaw = '';
        open = 'tags';
        sawField = true;
        continue;
      }
      // A TAGS line that lost its label, between the E.O. line and SUBJECT: `EFIN, ECON, EINV, PGOV, CH`.
      if (fm.tagsRaw === null && fm.eo !== null && subjectLines.length === 0 && open === null && isUnlabelledTagsLine(t, options.knownTags)) {
        tagLines.push(t);
        fm.tagsRaw = '';
        open = 'tags';
        sawField = true;
        continue;
      }
      const sj = fm.subject === null && subjectLines.length === 0 ? SUBJECT_LINE.exec(t) : null;
      if (sj) {
        subjectLines.push(sj[1]!);
        open = 'subject';
        sawField = true;
        continue;
      }
      // `A. REF AMMAN 222` opens a lettered list with its first bullet.
      const bulletFirst = fm.refText === null && refLines.length === 0 ? /^A[.)]\s*(?=REF\b)/.exec(t) : null;
      const rf = fm.refText === null && refLines.length === 0 ? REF_LINE.exec(bulletFirst ? t.slice(bulletFirst[0].length) : t) : null;
      if (rf && (sawField || bulletFirst || /^REF/i.test(t))) {
        refLines.push(bulletFirst ? `A. ${rf[1]!}` : rf[1]!);
        open = 'ref';
        sawField = true;
        continue;
      }
      const cb = fm.classifiedBy === null && classifiedLines.length === 0 ? CLASSIFIED_BY.exec(t) : null;
      if (cb) {
        classifiedLines.push(cb[1]!);
        open = 'classifiedBy';
        sawField = true;
        continue;
      }
      switch (open) {
        case 'tags':
          // A wrapped TAGS line continues with codes (`NATO, UK, CN`, `CLEARANCE`), not with prose;
          // after a trailing comma, whatever the case (`Tags: prel, parm,` / `etra, mnuc`).
          if (tagLines.at(-1)?.trimEnd().endsWith(',') && t.length < 120 && !t.includes(':')) {
            tagLines.push(t);
            continue;
          }
          if (/^[A-Z0-9 ,;()/.&'-]+$/.test(t) && t.length < 120 && (t.split(/[\s,]+/).length <= 3 || t.split(/[\s,]+/).every((w) => w.length <= 5))) {
            tagLines.push(t);
            continue;
          }
          open = null;
          break;
        case 'subject':
          if (subjectLines.length < 6) {
            subjectLines.push(t);
            continue;
          }
          open = null;
          break;
        case 'ref':
          if (refLines.length < 12) {
            refLines.push(t);
            continue;
          }
          open = null;
          break;
        case 'classifiedBy':
          if (classifiedLines.length < 4) {
            classifiedLines.push(t);
            continue;
          }
          open = null;
          break;
        case null:
          break;
      }
      // Before the fields: caveat and handling lines (`SIPDIS`, `NOFORN`, `DEPT FOR EAP/CM`, `SENSITIVE`).
      if (!sawField || subjectLines.length === 0) {
        const cav = caveatsIn(t);
        for (const c of cav) if (!fm.caveats.includes(c)) fm.caveats.push(c);
        if (/^(?:SIPDIS\s+)?SENSITIVE\b/i.test(t)) fm.sensitive = true;
        if (!sawField && fm.handling.length < 10) {
          const leftover = t.replace(/\b(?:NOFORN|SIPDIS|SENSITIVE|NOT FOR INTERNET DISTRIBUTION|EXDIS|NODIS|LIMDIS|STADIS)\b/gi, '').replace(/[\s,;/.-]+/g, '');
          if (leftover.length > 2) fm.handling.push(squash(t));
        }
      }
    }
  }
  fm.endLine = i;
  if (tagLines.length > 0) {
    fm.tagsRaw = squash(tagLines.join(' '));
    fm.tags = splitTags(fm.tagsRaw, options.knownTags);
  } else {
    fm.tagsRaw = null;
  }
  if (subjectLines.length > 0) {
    const joined = squash(subjectLines.join(' '));
    const mark = SUBJECT_PORTION_MARK.exec(joined);
    const s = mark ? joined.slice(mark[0].length) : joined;
    fm.subject = s.length > 0 ? s : null;
    // The subject line's own portion mark `(C/NF)` marks the cable NOFORN.
    if (mark && /NF\b/i.test(mark[1]!) && !fm.caveats.includes('NOFORN')) fm.caveats.push('NOFORN');
  }
  if (refLines.length > 0) fm.refText = endOfRefList(squash(refLines.join(' ')));
  if (classifiedLines.length > 0) fm.classifiedBy = parseClassifiedBy(untilParagraph(classifiedLines.join(' ')));
  return fm;
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
