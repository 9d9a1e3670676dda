import type { EoLine } from './front-matter.js';
import type { Header } from './header.js';

/**
 * The year of a cable, for its canonical id, when the header may be missing (partial extracts,
 * corpus/FORMATS.md "Header block"): the DTG; wrapper dates (`Cable dated:`, `TELEGRAM June 03,
 * 2003`, `Sent: ...`, `Wednesday, 01 June 2005`); the page's CSV debris date (`2000-06-07`);
 * the E.O. declassification date less the usual ten years; a weekday named with a date
 * (`Saturday, July 9` fixes the year within the Cablegate span); the latest year the text names.
 */
const FIRST_YEAR = 1966;
const LAST_YEAR = 2010;
const DEBRIS_DATE = /^\s*((?:19|20)\d{2})-\d{2}-\d{2}\s*$/m;
const WEEKDAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAY_DATE = /\b(MONDAY|TUESDAY|WEDNESDAY|THURSDAY|FRIDAY|SATURDAY|SUNDAY),?\s+(JAN|FEB|MAR|APR|MAY|JUNE?|JULY?|AUG|SEPT?|OCT|NOV|DEC)[A-Z]*\.?\s+(\d{1,2})\b(?!,?\s*(?:19|20)\d\d)/gi;
const YEAR_MENTION = /(?<![\d/.-])(19[6-9]\d|200\d|2010)(?![\d/-])/g;

export function cableYear(header: Header, eo: EoLine | null, text: string): number | null {
  if (header.dtg) return header.dtg.year;
  if (header.wrapperYear) return header.wrapperYear;
  const debris = DEBRIS_DATE.exec(text);
  if (debris) return Number(debris[1]);
  if (eo?.declassifyOn) {
    const y = Number(eo.declassifyOn.slice(0, 4)) - 10;
    if (y >= FIRST_YEAR && y <= LAST_YEAR) return y;
  }
  const mentioned = [...text.matchAll(YEAR_MENTION)].map((m) => Number(m[1]));
  const latestMention = mentioned.length > 0 ? Math.max(...mentioned) : null;
  const fits = weekdayYears(text);
  if (fits.length > 0) {
    // No year named: the latest that fits. Else the first that fits at or after the latest named.
    if (latestMention === null) return Math.max(...fits);
    const ok = fits.filter((y) => y >= latestMention);
    return ok.length > 0 ? Math.min(...ok) : Math.max(...fits);
  }
  return latestMention;
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
