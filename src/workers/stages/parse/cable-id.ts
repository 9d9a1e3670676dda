import { canonicalStation } from './stations.js';

/**
 * A cable id as references and WikiLeaks' file names spell it -> the canonical id
 * (2-digit year + station + serial without leading zeros): `07PAUP12` -> `07PORTAUPRINCE12`,
 * `08ECTION01OF02MANAMA492` -> `08MANAMA492`, `09EFTOLONDON2858` -> `09LONDON2858`,
 * `07SOIA828` -> `07SOFIA828` (a misspelt station is matched to the nearest known one).
 */
const ID = /^(\d{2})(?:\1)?([A-Z][A-Z-]*?)0*(\d+)(?:Z[A-Z]{2}\d+)?$/;
const GARBAGE_PREFIX = /^(?:[A-Z]{0,3}C?T?I?[A-Z]?N\d{1,2}[A-Z]?F?\d{1,2}|S?E?C?T?I?O?N?N?\w?\d{1,2}[OQ]?[FG]\d{1,2}|EFTO|NOFORN|SIFIED|AMEMBASSY|EMBASSY)/;

/** `SECTION01OF02`, `SECTIOQ1OF06`, `01OF02` between year and station: a banner's section, garbled in. */
const SECTION_GARBAGE = /^(\d{2})[A-Z]{0,8}[0-9Q]{1,2}[A-Z]{0,2}\d{1,2}(?=[A-Z]{2})/;

export function canonicalCableId(id: string, knownStations?: ReadonlySet<string>): string | null {
  const up = id.toUpperCase().replace(/\s+/g, '').replace(SECTION_GARBAGE, '$1').replace(/TOSEC\d+$/, '');
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
