import { normalisePla, placeOfPla } from '#shared/cable-identity.js';
import type { Post, ReferenceData } from '#shared/reference/types.js';
import type { Addressee, DecodedAddress, DecodedAddressee } from '#shared/stages.js';

/**
 * Routing indicators and plain addresses -> posts (reference/README.md "Looking an addressee up"):
 * RI/PLA lines match (ri, pla), then pla, then ri; shared indicators (RUEHC, RHMFISS ...) decode
 * only with their plain address. Unknown codes are returned so the document can list them.
 */
export function findPost(ref: ReferenceData, ri: string | null, pla: string): Post | null {
  const p = normalisePla(pla);
  if (ri && p) {
    const both = ref.byRiAndPla.get(`${ri}|${p}`);
    if (both) return both;
  }
  if (p) {
    const byPla = ref.byPla.get(p);
    if (byPla) return byPla;
  }
  if (ri && !ref.sharedRis.has(ri)) return ref.byRi.get(ri) ?? null;
  if (ri && !p) return ref.byRi.get(ri) ?? null;
  return null;
}

const UPPER_WORDS = new Set([
  'USNATO',
  'USUN',
  'UNVIE',
  'USOSCE',
  'USEU',
  'REO',
  'RPO',
  'USAU',
  'UNESCO',
  'FAO',
  'OECD',
  'ICAO',
  'CD',
  'USTR',
  'DC',
  'PRT',
  'RRT',
  'AIT',
  'ELSO',
  'FSC',
  'FRC',
  'US',
  'USDA',
  'USAID',
  'NSC',
  'CIA',
  'DIA',
  'CDC',
  'II',
  'III',
]);

function titleCase(words: string): string {
  return words
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .map((w) => (UPPER_WORDS.has(w.toUpperCase()) ? w.toUpperCase() : w.charAt(0).toUpperCase() + w.slice(1)))
    .join(' ');
}

/**
 * The conventional label of a sending post, as Cablegate names origins:
 * "Embassy Moscow", "Consulate Shenyang", "Secretary of State", "Mission USNATO", "USUN New York".
 */
export function postLabel(pla: string): string {
  const p = normalisePla(pla);
  const rules: Array<[RegExp, (m: RegExpExecArray) => string]> = [
    [/^SECSTATE\b/, () => 'Secretary of State'],
    [/^AMEMBASSY\s+(.+)$/, (m) => `Embassy ${titleCase(m[1]!)}`],
    [/^AMCONSUL(?:ATE)?\s+(.+)$/, (m) => `Consulate ${titleCase(m[1]!)}`],
    [/^USMISSION\s+USUN\b.*$/, () => 'USUN New York'],
    [/^USMISSION\s+UNVIE\b.*$/, () => 'UNVIE'],
    [/^USMISSION\s+(US[A-Z]+)$/, (m) => `Mission ${m[1]!}`],
    [/^USMISSION\s+(.+)$/, (m) => `US Mission ${titleCase(m[1]!)}`],
    [/^USINT\s+(.+)$/, (m) => `US Interests Section ${titleCase(m[1]!)}`],
    [/^AIT\s+(.+)$/, (m) => `American Institute Taiwan, ${titleCase(m[1]!)}`],
    [/^USDEL\s+(.+)$/, (m) => `US Delegation, ${titleCase(m[1]!)}`],
    [/^(?:IRAN\s+)?RPO\s+(.+)$/, (m) => `Iran RPO ${titleCase(m[1]!)}`],
    [/^REO\s+(.+)$/, (m) => `REO ${titleCase(m[1]!)}`],
    [/^USEU\s+(.+)$/, (m) => `USEU ${titleCase(m[1]!)}`],
    [/^USOFFICE\s+(.+)$/, (m) => `US Office ${titleCase(m[1]!)}`],
  ];
  for (const [re, label] of rules) {
    const m = re.exec(p);
    if (m) return label(m);
  }
  return titleCase(p);
}

export interface Decoding<T> {
  value: T;
  unknown: readonly string[];
}

/**
 * What a plain address says of itself when no table row matches: a collective is a distribution
 * list; an address in Washington DC is a Washington agency; `AMEMBASSY X` is the post at station X.
 */
function postFromAddress(ref: ReferenceData, pla: string): Post | null {
  const p = normalisePla(pla);
  if (p === '') return null;
  if (/\bCOLLECTIVE$|\bPOSTS$|\bDIPL(?:OMATIC)? POSTS\b/.test(p)) {
    return { ri: null, pla, type: 'collective', city: null, country: null, countryCode: null, location: null };
  }
  if (
    /\bWASH\w* DC$/.test(p) ||
    /^(?:DEPT|DEPARTMENT) OF\b|^(?:NSC|CIA|DIA|FBI|DHS|USDA|USAID|OSD|JCS|SECDEF|NGA|DIRNSA|TREASURY)\b/.test(p)
  ) {
    const dc = ref.byPla.get('SECSTATE WASHINGTON DC');
    return {
      ri: null,
      pla,
      type: 'agency',
      city: 'Washington',
      country: 'United States',
      countryCode: 'US',
      location: dc?.location ?? null,
    };
  }
  const station = /^(?:AMEMBASSY|AMCONSUL|USMISSION)\s+(.+)$/.exec(p);
  if (station) return ref.byStation.get(placeOfPla(p)) ?? null;
  if (/^USDEL\b/.test(p))
    return { ri: null, pla, type: 'delegation', city: null, country: null, countryCode: null, location: null };
  if (MILITARY.test(p)) return militaryPost(ref, pla, p);
  return null;
}

/** Military addressees: `HQ USCENTCOM MACDILL AFB FL`, `COMUSKOREA J2 SEOUL KOR`, `COMSIXTHFLT`. */
const MILITARY =
  /^(?:HQ|COM|CDR|CINC|USCINC|US\w*COM|CCGD|USNMR|CJTF|JTF|MNF|ODC|TLO|\d+\w*)|\b(?:AFB|AB|FLT|NAVCENT|USAREUR)\b/;
const US_STATES = new Set(
  'AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC'.split(
    ' ',
  ),
);
const COUNTRY_WORDS: Record<string, string> = { KOR: 'KR', JPN: 'JP', GER: 'DE', ITA: 'IT' };

function militaryPost(ref: ReferenceData, pla: string, p: string): Post {
  const words = p.split(' ');
  const last = words.at(-1) ?? '';
  const geo = ref.geoTags.get(last);
  const countryCode = US_STATES.has(last) ? 'US' : (COUNTRY_WORDS[last] ?? (geo?.kind === 'country' ? geo.iso2 : null));
  // A known station named in the address gives the place (`SEOUL`, `ANKARA`, `NAPLES`).
  let at: Post | null = null;
  for (let i = words.length - 1; i >= 0 && !at; i--) at = ref.byStation.get(words[i]!) ?? null;
  return {
    ri: null,
    pla,
    type: 'military',
    city: at?.city ?? null,
    country: at?.country ?? (countryCode === 'US' ? 'United States' : (geo?.name ?? null)),
    countryCode: at?.countryCode ?? countryCode,
    location: at?.location ?? null,
  };
}

/**
 * Addresses repeat across cables (the same posts and collectives in every header): decoded once
 * per reference data and kept, up to a bound. The values are shared, so they are never mutated.
 */
const MEMO_LIMIT = 20_000;
const memo = new WeakMap<ReferenceData, Map<string, Decoding<DecodedAddress>>>();

export function decodeAddress(ref: ReferenceData, ri: string | null, pla: string): Decoding<DecodedAddress> {
  let known = memo.get(ref);
  if (!known) memo.set(ref, (known = new Map()));
  const key = `${ri ?? ''}\u0000${pla}`;
  let d = known.get(key);
  if (!d) {
    if (known.size >= MEMO_LIMIT) known.clear();
    const once = decodeAddressOnce(ref, ri, pla);
    // Shared by every cable that names this address: frozen, so no caller can change another's.
    d = Object.freeze({ value: Object.freeze(once.value), unknown: Object.freeze(once.unknown) });
    known.set(key, d);
  }
  return d;
}

function decodeAddressOnce(ref: ReferenceData, ri: string | null, pla: string): Decoding<DecodedAddress> {
  const post = findPost(ref, ri, pla) ?? postFromAddress(ref, pla);
  const unknown: string[] = [];
  if (!post) {
    if (ri && !ref.sharedRis.has(ri) && !ref.byRi.has(ri)) unknown.push(`ri:${ri}`);
    if (pla) unknown.push(`pla:${normalisePla(pla)}`);
  }
  const shownPla = pla || post?.pla || '';
  return {
    value: {
      ri,
      pla: shownPla,
      label: shownPla ? postLabel(shownPla) : post ? postLabel(post.pla) : null,
      type: post?.type ?? null,
      city: post?.city ?? null,
      country: post?.country ?? null,
      country_code: post?.countryCode ?? null,
      location: post?.location ?? null,
    },
    unknown,
  };
}

export function decodeAddressee(ref: ReferenceData, a: Addressee): Decoding<DecodedAddressee> {
  const d = decodeAddress(ref, a.ri, a.pla);
  return {
    value: { ...d.value, precedence: a.precedence, serial: a.serial, excluded: a.excluded },
    unknown: d.unknown,
  };
}

/** The sender when the header has no FM line: the DE routing indicator, then the banner's station. */
export function senderFallback(ref: ReferenceData, ri: string | null, station: string | null): Post | null {
  if (ri && !ref.sharedRis.has(ri)) {
    const p = ref.byRi.get(ri);
    if (p) return p;
  }
  if (station) {
    const s = station.replace(/[^A-Z]/g, '');
    if (s === 'STATE' || s === 'SECSTATE') return ref.byPla.get('SECSTATE WASHINGTON DC') ?? null;
    return ref.byStation.get(s) ?? ref.byStation.get(placeOfPla(station)) ?? null;
  }
  return null;
}
