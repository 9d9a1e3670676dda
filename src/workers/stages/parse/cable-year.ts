import type { EoLine } from './front-matter.js';
import type { Header } from './header.js';

/**
 * The year of a cable, for its canonical id, when the header may be missing (partial extracts,
 * corpus/FORMATS.md "Header block"): the DTG; wrapper dates (`Cable dated:`, `TELEGRAM June 03,
 * 2003`, `Sent: ...`, `Wednesday, 01 June 2005`); the page's CSV debris date (`2000-06-07`);
 * else the clues weighed together (inferredYear): the E.O. declassification date, references
 * written with their year, a weekday named with a date (`Saturday, July 9` leaves a few years in
 * the Cablegate span), the latest year the text names.
 */
const FIRST_YEAR = 1966;
const LAST_YEAR = 2010;
const DEBRIS_DATE = /^\s*((?:19|20)\d{2})-\d{2}-\d{2}\s*$/m;
/** The page's CSV row: `12055,11/12/2003 16:26,03THEHAGUE2835,"Embassy The Hague",...`. */
const CSV_DEBRIS_DATE = /^\d+,\d{1,2}\/\d{1,2}\/((?:19|20)\d{2}) \d{1,2}:\d{2},\d{2}[A-Z]/m;
/** Years from a cable to its declassification date, most common first (E.O. 12958's ten-year default). */
const DECLASSIFY_AFTER = [10, 5, 20, 25, 15, 9];
const WEEKDAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAY_DATE = /\b(MONDAY|TUESDAY|WEDNESDAY|THURSDAY|FRIDAY|SATURDAY|SUNDAY),?\s+(JAN|FEB|MAR|APR|MAY|JUNE?|JULY?|AUG|SEPT?|OCT|NOV|DEC)[A-Z]*\.?\s+(\d{1,2})\b(?!,?\s*(?:19|20)\d\d)/gi;
const YEAR_MENTION = /(?<![\d/.-])(19[6-9]\d|200\d|2010)(?![\d/-])/g;
/** Cues that a year is still to come where it is named: `by 2010`, `will take office in May 2006`, `FY2010`, `2005 - 2006`. */
const FUTURE_BEFORE_YEAR =
  /(?:\d{4}\s*[-–/]\s*|\bFY\s*|\b(?:by|until|till|through|before|from|beginning of|end of|start of|early|in early|run-up to(?: the)?|ahead of(?: the)?|for)\s+(?:(?:the\s+)?(?:January|February|March|April|May|June|July|August|September|October|November|December|mid-|late|early|spring|summer|fall|autumn|winter)\W+)?(?:\d{1,2},?\s+)?)$/i;
const FUTURE_WORD = /\b(?:will|would|shall|should|could|might|looking to|propos\w*|effective|aims?|seeks?|goals?|expect\w*|schedul\w*|plan\w*|upcoming|next|coming|due|target\w*|intends?|hopes?|projected|forecast\w*|anticipat\w*)\b/i;
const FUTURE_AFTER_YEAR = /^\W{0,3}(?:\w+\W+){0,3}?(?:will|would|is expected|are expected|budget)\b/i;

export function cableYear(header: Pick<Header, 'dtg' | 'wrapperYear'>, eo: EoLine | null, text: string, refYears: readonly number[] = []): number | null {
  if (header.dtg) return header.dtg.year;
  if (header.wrapperYear) return header.wrapperYear;
  const debris = DEBRIS_DATE.exec(text) ?? CSV_DEBRIS_DATE.exec(text);
  if (debris) return Number(debris[1]);
  return inferredYear(eo, text, refYears);
}

/**
 * No date on the cable itself: weigh the clues. Measured on the dev cables whose DTG gives the
 * year (npm run corpus:report prints it): the declassification date is the year plus ten in 83%
 * (plus 5, 20 or 25 in most of the rest); a reference written with its year (`2002 THE HAGUE
 * 03525`) is from an earlier year in 92%, the year before in 84%; a weekday named with a date
 * leaves a few years; the latest year the text names is right in only 37%.
 */
export function inferredYear(eo: EoLine | null, text: string, refYears: readonly number[] = []): number | null {
  const fits = weekdayYears(text);
  const floor = refYears.length > 0 ? Math.max(...refYears) + 1 : null;
  // A weekday date may be the coming one (`Friday Jan 2` in a cable of December 31): this year or the next.
  const possible = (y: number): boolean => y >= FIRST_YEAR && y <= LAST_YEAR && (fits.length === 0 || fits.includes(y) || fits.includes(y + 1));
  if (eo?.declassifyOn) {
    const decl = Number(eo.declassifyOn.slice(0, 4));
    for (const offset of DECLASSIFY_AFTER) {
      const y = decl - offset;
      if (possible(y) && (floor === null || y >= floor)) return y;
    }
    // Every usual span lands before a cable it cites: the citation is the firmer clue.
    if (floor !== null && floor <= LAST_YEAR && possible(floor)) return floor;
    if (possible(decl - 10)) return decl - 10;
  }
  if (floor !== null && floor <= LAST_YEAR) {
    // References only bound the year from below: a later year the text names as present is better.
    if (fits.length === 0) return Math.max(floor, latestPresentYear(text) ?? floor);
    const after = fits.filter((y) => y >= floor);
    return after.length > 0 ? Math.min(...after) : Math.max(...fits);
  }
  const latestMention = latestPresentYear(text);
  if (fits.length > 0) {
    // No year named: the latest that fits. Else the first that fits at or after the latest named.
    if (latestMention === null) return Math.max(...fits);
    const ok = fits.filter((y) => y >= latestMention);
    return ok.length > 0 ? Math.min(...ok) : Math.max(...fits);
  }
  return latestMention;
}

/**
 * The latest year the text names, or the one before it when every mention of that year looks
 * ahead (`elections scheduled for 2006`, `available from 2003`): cables name the coming year
 * often. Measured on the dev cables with their headers taken off (npm run corpus:report, "year
 * from the text alone"), the dev cables without a declassification date: the latest year named is
 * the cable's year in 47%, with this rule (and references as a floor) 59%.
 */
export function latestPresentYear(text: string): number | null {
  let latest: number | null = null;
  let allFuture = true;
  for (const m of text.matchAll(YEAR_MENTION)) {
    const year = Number(m[1]);
    if (latest !== null && year < latest) continue;
    const future = looksAhead(text, m.index);
    if (latest === null || year > latest) {
      latest = year;
      allFuture = future;
    } else allFuture &&= future;
  }
  return latest === null ? null : allFuture ? latest - 1 : latest;
}

function looksAhead(text: string, at: number): boolean {
  // The sentence around the year: from the last full stop before it to the next after it.
  const before = text.slice(Math.max(0, at - 70), at).split(/[.;!?]\s/).pop()!;
  const after = text.slice(at + 4, at + 60).split(/[.;!?](?:\s|$)/)[0]!;
  return FUTURE_BEFORE_YEAR.test(before) || FUTURE_WORD.test(before) || FUTURE_AFTER_YEAR.test(after);
}

/** Years in the Cablegate span in which every `Saturday, July 9` the text names falls on that weekday. */
export function weekdayYears(text: string): number[] {
  let years: number[] | null = null;
  for (const m of text.matchAll(WEEKDAY_DATE)) {
    const weekday = WEEKDAYS.indexOf(m[1]!.toUpperCase());
    const month = MONTHS.indexOf(m[2]!.toUpperCase().slice(0, 3));
    const day = Number(m[3]);
    if (month < 0 || day < 1 || day > 31) continue;
    const fit: number[] = [];
    for (let y = FIRST_YEAR; y <= LAST_YEAR; y++) {
      const d = new Date(Date.UTC(y, month, day));
      if (d.getUTCMonth() === month && d.getUTCDay() === weekday) fit.push(y);
    }
    years = years === null ? fit : years.filter((y) => fit.includes(y));
  }
  return years ?? [];
}
