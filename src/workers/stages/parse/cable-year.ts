import type { EoLine } from './front-matter.js';
import type { Header } from './header.js';
import { inferYear, YEAR_MODEL, yearClues, yearCluesFor, type YearClues } from './year-inference.js';

/**
 * The year of a cable, for its canonical id, when the header may be missing (partial extracts,
 * corpus/FORMATS.md "Header block"): the DTG; wrapper dates (`Cable dated:`, `TELEGRAM June 03,
 * 2003`, `Sent: ...`, `Wednesday, 01 June 2005`); the page's CSV debris date (`2000-06-07`);
 * else the year inferred from clues (year-inference.ts), or none.
 */
export const DEBRIS_DATE = /^\s*((?:19|20)\d{2})-\d{2}-\d{2}\s*$/m;
/** The page's CSV row: `12055,11/12/2003 16:26,03THEHAGUE2835,"Embassy The Hague",...`. */
const CSV_DEBRIS_DATE = /^\d+,\d{1,2}\/\d{1,2}\/((?:19|20)\d{2}) \d{1,2}:\d{2},\d{2}[A-Z]/m;
export interface CableYear {
  year: number;
  /** `read`: a date of the cable is written in the text; `inferred`: weighed from clues. */
  basis: 'read' | 'inferred';
}

export function cableYear(
  header: Pick<Header, 'dtg' | 'wrapperYear'>,
  eo: EoLine | null,
  /** The cable's text, joined only when no written date settles the year. */
  textOf: () => string,
  refYears: readonly number[] = [],
  /** Sees the clues of a cable whose year is inferred (the corpus scorer learns from them). */
  onClues?: (clues: YearClues) => void,
): CableYear | null {
  if (header.dtg) return { year: header.dtg.year, basis: 'read' };
  if (header.wrapperYear) return { year: header.wrapperYear, basis: 'read' };
  const text = textOf();
  const debris = DEBRIS_DATE.exec(text) ?? CSV_DEBRIS_DATE.exec(text);
  if (debris) return { year: Number(debris[1]), basis: 'read' };
  const declassifyOn = eo?.declassifyOn ?? null;
  // The learning sees every clue; the shipped model needs fewer of them read.
  const clues = onClues
    ? yearClues(declassifyOn, text, refYears)
    : yearCluesFor(YEAR_MODEL, declassifyOn, text, refYears);
  onClues?.(clues);
  const inferred = inferYear(clues);
  return inferred === null ? null : { year: inferred.year, basis: 'inferred' };
}
