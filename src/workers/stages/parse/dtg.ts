/**
 * Date-time groups and filing times.
 * DTG `091117Z FEB 07` = 9 Feb 2007 11:17 UTC (reference/codes.md section 2);
 * DE-line filing time `0401117` = Julian day 040 at 11:17 (same year as the DTG, or the one before
 * when the DTG is early January and the filing day late December).
 */
import { fullYear } from '#shared/cable-identity.js';
import { DTG_PATTERN } from './grammar.js';

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

export function monthIndex(mon: string): number {
  return MONTHS.indexOf(mon.toUpperCase().slice(0, 3));
}

function iso(year: number, month: number, day: number, hour: number, minute: number): string | null {
  if (month < 0 || month > 11 || day < 1 || day > 31 || hour > 23 || minute > 59) return null;
  if (day > 28 && day > daysInMonth(year, month)) return null;
  return `${isoDate(year, month + 1, day)}T${two(hour)}:${two(minute)}:00Z`;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

const two = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/**
 * `YYYY-MM-DD` for a checked date of a four-digit year (written out: toISOString costs a Date and a
 * rewrite per call).
 */
function isoDate(year: number, month: number, day: number): string {
  return `${year}-${two(month)}-${two(day)}`;
}

export interface Dtg {
  raw: string;
  sentAt: string;
  year: number;
}

export function parseDtg(text: string): Dtg | null {
  const m = DTG_PATTERN.exec(text);
  if (!m) return null;
  const [raw, dd, hh, mi, mon, yy] = m as unknown as [string, string, string, string, string, string];
  const year = fullYear(Number(yy));
  const sentAt = iso(year, monthIndex(mon), Number(dd), Number(hh), Number(mi));
  return sentAt ? { raw: raw.toUpperCase(), sentAt, year } : null;
}

/** Julian day + HHMM, anchored to the DTG's year; null when impossible. */
export function filingTime(julianDay: number, hhmm: string, dtg: Dtg | null): string | null {
  if (!dtg) return null;
  const hour = Number(hhmm.slice(0, 2));
  const minute = Number(hhmm.slice(2, 4));
  if (hour > 23 || minute > 59 || julianDay < 1 || julianDay > 366) return null;
  const dtgMonth = Number(dtg.sentAt.slice(5, 7)) - 1; // sentAt is ISO: YYYY-MM-...
  // Filed late in December for a DTG in early January: the previous year.
  const year =
    dtgMonth === 0 && julianDay > 300 ? dtg.year - 1 : dtgMonth === 11 && julianDay < 60 ? dtg.year + 1 : dtg.year;
  const d = new Date(Date.UTC(year, 0, julianDay));
  if (d.getUTCFullYear() !== year) return null;
  return `${isoDate(year, d.getUTCMonth() + 1, d.getUTCDate())}T${two(hour)}:${two(minute)}:00Z`;
}

/** `02/08/2017`, `1/29/2019`, `06/03/08` -> `2017-02-08`; null when not a date. */
export function parseUsDate(text: string): string | null {
  // `2020/02/23`: the ISO order with slashes, seen in E.O. lines.
  const iso = /\b((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})\b/.exec(text);
  if (iso) {
    return checkedDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  }
  const m = /(\d{1,2})\s*([/-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})\b/.exec(text);
  if (!m) return null;
  const month = Number(m[1]);
  const day = Number(m[3]);
  const year = m[4]!.length === 2 ? 2000 + Number(m[4]) : Number(m[4]);
  return checkedDate(year, month, day);
}

/** `YYYY-MM-DD` when month and day make a date of that year, else null. */
function checkedDate(year: number, month: number, day: number): string | null {
  // Date.UTC reads years 0-99 as 1900-1999: those keep its reading.
  if (year < 1000) {
    const d = new Date(Date.UTC(year, month - 1, day));
    return d.getUTCMonth() === month - 1 && d.getUTCDate() === day ? d.toISOString().slice(0, 10) : null;
  }
  if (month < 1 || month > 12 || day < 1 || (day > 28 && day > daysInMonth(year, month - 1))) return null;
  return isoDate(year, month, day);
}
