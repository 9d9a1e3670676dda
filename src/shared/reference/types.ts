import type { GeoPoint } from '../stages.js';

export interface Post {
  ri: string | null;
  pla: string;
  type: string;
  city: string | null;
  country: string | null;
  countryCode: string | null;
  location: GeoPoint | null;
}

export interface SubjectTag {
  code: string;
  meaning: string;
  category: string;
}

export interface GeoTag {
  code: string;
  name: string;
  iso2: string | null;
  kind: 'country' | 'region' | 'organization';
}

/** Everything enrichment decodes with; loaded once at start, then read-only. */
export interface ReferenceData {
  byRiAndPla: ReadonlyMap<string, Post>;
  byPla: ReadonlyMap<string, Post>;
  byRi: ReadonlyMap<string, Post>;
  /** `MOSCOW` -> the post whose address ends in that station name (for banners without FM). */
  byStation: ReadonlyMap<string, Post>;
  /** Indicators shared by many addressees: decode only with their plain address. */
  sharedRis: ReadonlySet<string>;
  subjectTags: ReadonlyMap<string, SubjectTag>;
  geoTags: ReadonlyMap<string, GeoTag>;
  /** Station names as cable ids spell them (`MOSCOW`, `THEHAGUE`, `USUNNEWYORK`, `STATE`). */
  stations: ReadonlySet<string>;
  /** Every TAGS code the tables know: the parser uses it to split glued entries. */
  knownTags: ReadonlySet<string>;
}
