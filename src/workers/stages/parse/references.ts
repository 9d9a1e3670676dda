import type { Reference } from '../../../shared/stages.js';
import { canonicalStation } from './stations.js';
import { squash } from './text.js';

/**
 * REF lists (corpus/FORMATS.md "REF"): `REF: MOSCOW 211`, lettered `A. STATE 40721 B. ROME 1098`,
 * `A) ...`, `(A) ...`, `¶B.`; ids written `06 TBILISI 0619`, `SECSTATE 74879`, `RIO DE JAN 138`.
 * Cable references resolve to canonical ids by the year rule: the citing cable's year, or the
 * year before when the cited serial from the same station is higher than the citing serial.
 */
const LETTER_SPLIT = /(?:^|[\s;,])(?:¶\s?)?\(?([A-Z])(?:\)|\.(?=\s))\s+/g;
const CABLE_REF = /^(?:(\d{2})\s+)?([A-Z][A-Z .'-]{1,30}?)\s+0*(\d{1,7})\b/;
const NOT_A_STATION = /^(?:PARA|PARAS|PARAGRAPH|SECTION|PAGE|DATED|OF|AND|THE|NO|NUMBER|TEL|TELECON|EMAIL|E-MAIL|LETTER|MEMO|DTG|MSG|FAX|ON|IN|AT|BY|SEE|USC|USCS|CFR|FAM|FAH|RES|UNSCR|RESOLUTION)$/;

export interface CitingCable {
  year: number | null;
  station: string | null;
  serial: number | null;
}

export function parseReferences(raw: string, citing: CitingCable): Reference[] {
  const text = squash(raw);
  if (text === '' || /^NONE\b/i.test(text)) return [];
  const items: Array<{ letter: string | null; text: string }> = [];
  const marks = [...text.matchAll(LETTER_SPLIT)];
  if (marks.length === 0 || marks[0]!.index! > 3) {
    items.push({ letter: null, text: marks.length === 0 ? text : text.slice(0, marks[0]!.index) });
  }
  marks.forEach((m, i) => {
    const start = m.index! + m[0].length;
    const end = i + 1 < marks.length ? marks[i + 1]!.index! : text.length;
    items.push({ letter: m[1]!, text: text.slice(start, end) });
  });
  const out: Reference[] = [];
  for (const item of items) {
    const t = item.text.trim().replace(/[;,.]+$/, '');
    if (t === '') continue;
    out.push(classifyReference(item.letter, t, citing));
  }
  return out;
}

function classifyReference(letter: string | null, text: string, citing: CitingCable): Reference {
  if (/@|\bE-?MAIL\b/i.test(text)) return { letter, raw: text, kind: 'email', cableId: null };
  const m = CABLE_REF.exec(text.toUpperCase());
  if (m) {
    const stationWords = m[2]!.trim();
    const first = stationWords.split(' ')[0]!;
    if (!NOT_A_STATION.test(first) && !NOT_A_STATION.test(stationWords)) {
      const station = canonicalStation(stationWords);
      if (station) {
        const serial = Number(m[3]);
        let year = m[1] ? Number(m[1]) : citing.year !== null ? citing.year % 100 : null;
        if (!m[1] && year !== null && citing.station === station && citing.serial !== null && serial > citing.serial) {
          year = (year + 99) % 100;
        }
        const cableId = year !== null ? `${String(year).padStart(2, '0')}${station}${serial}` : null;
        return { letter, raw: text, kind: 'cable', cableId };
      }
    }
  }
  if (/\b(?:FAM|FAH|REPORT|LETTER|MEMO|CFR|U\.?S\.?C|UNSCR)\b/i.test(text)) return { letter, raw: text, kind: 'document', cableId: null };
  return { letter, raw: text, kind: 'other', cableId: null };
}
