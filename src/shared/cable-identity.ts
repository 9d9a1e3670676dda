/**
 * Cable identity, one vocabulary for parsing and enrichment: how ids spell stations, the
 * canonical id (2-digit year + station + serial without leading zeros), the year of a two-digit
 * year, and the normal form of plain addresses the reference tables are keyed by.
 */

/** Two-digit cable years: 66-99 are 1966-1999, 00-65 are 2000-2065. */
export function fullYear(yy: number): number {
  if (yy >= 100) return yy;
  return yy >= 66 ? 1900 + yy : 2000 + yy;
}

/** The canonical id; null unless year, station and a positive serial are all known. */
export function cableIdOf(year: number | null, station: string | null, serial: number | null): string | null {
  return year !== null && station !== null && serial !== null && serial > 0
    ? `${String(year % 100).padStart(2, '0')}${station}${serial}`
    : null;
}

/**
 * Plain addresses are matched after normalising (reference/README.md "Looking an addressee up"):
 * drop a trailing precedence and serial, read `WASHDC` as `WASHINGTON DC`, collapse spaces.
 */
export function normalisePla(pla: string): string {
  return pla
    .toUpperCase()
    .replace(/\s+(?:NIACT\s+)?(?:IMMEDIATE|PRIORITY|PIORITY|ROUTINE|FLASH)\b.*$/, '')
    .replace(/\s+\d{3,5}$/, '')
    .replace(/\bWASHDC\b/g, 'WASHINGTON DC')
    .replace(/\bWASHINGTON\s+D\.?\s?C\.?/g, 'WASHINGTON DC')
    .replace(/[^A-Z0-9/&' -]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const PLACE_PREFIXES =
  /^(?:AMEMBASSY|AMCONSUL|AMCONSULATE|USMISSION|USINT|USLO|USOFFICE|USDEL|AIT|REO|RRT|PRT|APP|USEU|IRAN RPO|RPO)\s+/;

/**
 * The place a plain address names, as one word: `AMEMBASSY BUENOS AIRES` -> `BUENOSAIRES`,
 * `USEU BRUSSELS` -> `BRUSSELS`. The reference tables are keyed by it, so that a banner's or an
 * address's station finds its post. Not an id's spelling (see stationOfPla).
 */
export function placeOfPla(pla: string): string {
  return normalisePla(pla)
    .replace(PLACE_PREFIXES, '')
    .replace(/[^A-Z]/g, '');
}

/**
 * Station names as cable ids spell them: `THE HAGUE` -> `THEHAGUE`, `SECSTATE WASHDC` -> `STATE`,
 * and the abbreviations and misspellings that references and WikiLeaks ids carry (`PAUP`,
 * `RIO DE JAN`, `USUN`), from the canonical-id cases of heuer/cablemap's test suite.
 */
const ALIASES: Record<string, string> = {
  SECSTATE: 'STATE',
  SECSTATEWASHDC: 'STATE',
  SECTSTATE: 'STATE',
  SECTATE: 'STATE',
  STATEDEPT: 'STATE',
  SECDEFWASH: 'SECDEF',
  SECDEFWASHDC: 'SECDEF',
  RIO: 'RIODEJANEIRO',
  RIODEJAN: 'RIODEJANEIRO',
  RIODEJANIERO: 'RIODEJANEIRO',
  RIODEJANERIO: 'RIODEJANEIRO',
  PARISFR: 'UNESCOPARISFR',
  USUNESCOPARISFR: 'UNESCOPARISFR',
  UNESCOPARIS: 'UNESCOPARISFR',
  UNVIE: 'UNVIEVIENNA',
  USUN: 'USUNNEWYORK',
  USUNNY: 'USUNNEWYORK',
  USUNNEYORK: 'USUNNEWYORK',
  USEU: 'USEUBRUSSELS',
  USEUBRUSEELS: 'USEUBRUSSELS',
  PAUP: 'PORTAUPRINCE',
  PAP: 'PORTAUPRINCE',
  PORTA: 'PORTAUPRINCE',
  PORTAUPRINCE: 'PORTAUPRINCE',
  PORTOFSPAIN: 'PORTOFSPAIN',
  SANJSE: 'SANJOSE',
  HALIF: 'HALIFAX',
  KUALALUMP: 'KUALALUMPUR',
  BKK: 'BANGKOK',
  HK: 'HONGKONG',
  HCMC: 'HOCHIMINHCITY',
  HOCHIMINH: 'HOCHIMINHCITY',
  PANANA: 'PANAMA',
  PANAM: 'PANAMA',
  WELLINGOTN: 'WELLINGTON',
  WELLLINGTON: 'WELLINGTON',
  MADRIDSP: 'MADRID',
  KINSTON: 'KINGSTON',
  BISHTEK: 'BISHKEK',
  VAT: 'VATICAN',
  SAOPAUO: 'SAOPAULO',
  SAOPAUL: 'SAOPAULO',
  SCOPAULO: 'SAOPAULO',
  HAGUE: 'THEHAGUE',
  PHNOMPEN: 'PHNOMPENH',
  TRIPOLII: 'TRIPOLI',
  BRASILA: 'BRASILIA',
  BRASIIA: 'BRASILIA',
  BRAZIL: 'BRASILIA',
  BRAZILIA: 'BRASILIA',
  MEXICOCITY: 'MEXICO',
  BA: 'BUENOSAIRES',
  USDA: 'USDAFAS',
  CDCATLANTA: 'CDCATLANTAGA',
  USCUSTOMSA: 'USCBP',
  USDOCWASHDC: 'USDOC',
  BEIJINJG: 'BEIJING',
  // Page markers cut station names to 10 characters.
  ULAANBAATA: 'ULAANBAATAR',
  CAPET: 'CAPETOWN',
};

/** `RIO DE JAN` -> `RIODEJANEIRO`; null when nothing of a name is left. */
export function canonicalStation(words: string): string | null {
  let known = STATION_OF_WORDS.get(words);
  if (known === undefined) {
    // Few distinct spellings recur across cables; the bound keeps a long-lived worker's memory flat.
    if (STATION_OF_WORDS.size >= 4_096) STATION_OF_WORDS.clear();
    STATION_OF_WORDS.set(words, (known = stationOfWords(words)));
  }
  return known;
}
const STATION_OF_WORDS = new Map<string, string | null>();

function stationOfWords(words: string): string | null {
  let s = words.toUpperCase().replace(/^(?:AMEMBASSY|AMCONSUL|EMBASSY|CONSULATE)\s+/, '');
  s = s.replace(/[^A-Z]/g, '');
  if (s === '') return null;
  return ALIASES[s] ?? s;
}

const PLA_PREFIX = /^(?:AMEMBASSY|AMCONSUL(?:ATE)?|USMISSION|USINT|AIT|USOFFICE|USLO|REO|EMBASSY|CONSULATE)\s+/;

/**
 * The station part of a plain address, as ids spell it: `USMISSION GENEVA` -> `GENEVA`,
 * `SECSTATE WASHDC` -> `STATE`, `USEU BRUSSELS` -> `USEUBRUSSELS` (a mission keeps its own name).
 */
export function stationOfPla(pla: string): string | null {
  const p = pla.toUpperCase().replace(/\s+/g, ' ').trim();
  if (/^SECSTATE\b/.test(p)) return 'STATE';
  if (/^IRAN RPO\b/.test(p)) return canonicalStation(p.replace(/^IRAN /, ''));
  return canonicalStation(p.replace(PLA_PREFIX, ''));
}

/**
 * A cable id as references and WikiLeaks' file names spell it -> the canonical id
 * (2-digit year + station + serial without leading zeros): `07PAUP12` -> `07PORTAUPRINCE12`,
 * `08ECTION01OF02MANAMA492` -> `08MANAMA492`, `09EFTOLONDON2858` -> `09LONDON2858`,
 * `07SOIA828` -> `07SOFIA828` (a misspelt station is matched to the nearest known one).
 */
const ID = /^(\d{2})(?:\1)?([A-Z][A-Z-]*?)0*(\d+)(?:Z[A-Z]{2}\d+)?$/;
const GARBAGE_PREFIX =
  /^(?:[A-Z]{0,3}C?T?I?[A-Z]?N\d{1,2}[A-Z]?F?\d{1,2}|S?E?C?T?I?O?N?N?\w?\d{1,2}[OQ]?[FG]\d{1,2}|EFTO|NOFORN|SIFIED|AMEMBASSY|EMBASSY)/;

/** `SECTION01OF02`, `SECTIOQ1OF06`, `01OF02` between year and station: a banner's section, garbled in. */
const SECTION_GARBAGE = /^(\d{2})[A-Z]{0,8}[0-9Q]{1,2}[A-Z]{0,2}\d{1,2}(?=[A-Z]{2})/;

export function canonicalCableId(id: string, knownStations?: ReadonlySet<string>): string | null {
  const up = id
    .toUpperCase()
    .replace(/\s+/g, '')
    .replace(SECTION_GARBAGE, '$1')
    .replace(/TOSEC\d+$/, '');
  const m = ID.exec(up);
  if (!m) return null;
  const year = m[1]!;
  let station = m[2]!.replace(/-/g, '');
  const serial = String(Number(m[3]));
  const stripped = station.replace(GARBAGE_PREFIX, '');
  if (stripped !== station && stripped.length >= 3) station = stripped;
  const canon = canonicalStation(station) ?? station;
  if (!knownStations || knownStations.has(canon)) return `${year}${canon}${serial}`;
  return `${year}${nearestStation(canon, knownStations) ?? canon}${serial}`;
}

const nearestCache = new WeakMap<ReadonlySet<string>, Map<string, string | null>>();

/** The known station within two edits (one for short names), if exactly one is nearest. Memoised per vocabulary. */
export function nearestStation(name: string, known: ReadonlySet<string>): string | null {
  let cache = nearestCache.get(known);
  if (!cache) nearestCache.set(known, (cache = new Map()));
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  const found = searchNearest(name, known);
  if (cache.size < 50_000) cache.set(name, found);
  return found;
}

function searchNearest(name: string, known: ReadonlySet<string>): string | null {
  const limit = name.length <= 5 ? 1 : 2;
  let best: string | null = null;
  let bestDistance = limit + 1;
  let tie = false;
  for (const k of known) {
    if (Math.abs(k.length - name.length) > limit) continue;
    const d = editDistance(name, k, limit);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
      tie = false;
    } else if (d === bestDistance) tie = true;
  }
  return best !== null && !tie ? best : null;
}

function editDistance(a: string, b: string, limit: number): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length]!;
}
