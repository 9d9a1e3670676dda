/**
 * Realistic cables at scale, for benchmarks: the real telegram structure (header, addressee
 * lists, banner, E.O., TAGS, SUBJECT, REF list, portion-marked paragraphs, signer) filled from the
 * reference tables (routing indicators, TAGS codes) and the seeds' own vocabulary. Sizes follow
 * the real distribution: log-normal with median about 7 KB and p90 about 16 KB.
 * Deterministic for a given seed, so runs compare.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REFERENCE_DIR, SEEDS_DIR } from '../src/shared/paths.js';
import { parse } from 'csv-parse/sync';

export type Rng = () => number;

/** mulberry32: small, fast, good enough for test data. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const pad = (n: number, w: number): string => String(n).padStart(w, '0');

interface Post {
  ri: string;
  pla: string;
}

export interface Vocabulary {
  posts: Post[];
  embassies: Post[];
  subjectTags: string[];
  geoTags: string[];
  words: string[];
}

export function loadVocabulary(): Vocabulary {
  const rows = parse(readFileSync(join(REFERENCE_DIR, 'routing-indicators.csv'), 'utf8'), {
    columns: true,
    skip_empty_lines: true,
  }) as Array<Record<string, string>>;
  const posts = rows
    .filter((r) => r['ri'] && r['pla'] && !r['pla']!.startsWith('('))
    .map((r) => ({ ri: r['ri']!, pla: r['pla']! }));
  const embassies = posts.filter((p) => /^(AMEMBASSY|AMCONSUL) /.test(p.pla));
  const subjectTags = (
    parse(readFileSync(join(REFERENCE_DIR, 'tags-subject.csv'), 'utf8'), { columns: true }) as Array<
      Record<string, string>
    >
  ).map((r) => r['code']!);
  const geoTags = (
    parse(readFileSync(join(REFERENCE_DIR, 'tags-geo.csv'), 'utf8'), { columns: true }) as Array<Record<string, string>>
  )
    .filter((r) => r['kind'] === 'country')
    .map((r) => r['code']!);
  const text = readdirSync(SEEDS_DIR)
    .map((n) => readFileSync(join(SEEDS_DIR, n), 'utf8'))
    .join(' ');
  const words = [...new Set(text.match(/\b[A-Za-z][a-z]{2,12}\b/g) ?? [])];
  return { posts, embassies, subjectTags, geoTags, words };
}

/** Log-normal body size: median 7 KB, p90 16 KB (sigma = ln(16/7) / 1.2816). */
function bodyBytes(r: Rng): number {
  const z = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  return Math.min(120_000, Math.max(600, Math.round(7_000 * Math.exp(0.645 * z))));
}

function sentence(r: Rng, v: Vocabulary): string {
  const n = 8 + Math.floor(r() * 18);
  const ws: string[] = [];
  for (let i = 0; i < n; i++) ws.push(pick(r, v.words));
  const s = ws.join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1) + '.';
}

export interface Generated {
  id: string;
  text: string;
}

/** Cable number `i` (serials are unique per station and year, so ids are unique). */
export function generateCable(i: number, v: Vocabulary, seed = 1): Generated {
  const r = rng(seed * 1_000_003 + i);
  const from = pick(r, v.embassies);
  const station = from.pla.replace(/^(AMEMBASSY|AMCONSUL) /, '');
  const year = 1990 + Math.floor(r() * 21);
  const month = Math.floor(r() * 12);
  const day = 1 + Math.floor(r() * 28);
  const hh = Math.floor(r() * 24);
  const mm = Math.floor(r() * 60);
  const serial = 100_000 + i; // unique across the run
  const julian = Math.floor((Date.UTC(year, month, day) - Date.UTC(year, 0, 1)) / 86_400_000) + 1;
  const cls = pick(r, [
    'UNCLASSIFIED',
    'UNCLASSIFIED',
    'CONFIDENTIAL',
    'CONFIDENTIAL',
    'CONFIDENTIAL',
    'SECRET',
  ] as const);
  const letters = cls === 'SECRET' ? 'SSSSS' : cls === 'CONFIDENTIAL' ? 'CCCCC' : 'UUUUU';
  const spaced = cls === 'UNCLASSIFIED' ? 'UNCLAS' : cls.split('').join(' ');
  const prec = pick(r, ['R', 'R', 'R', 'P', 'O']);
  const info = Array.from({ length: 1 + Math.floor(r() * 14) }, () => pick(r, v.posts));
  const tags = [
    ...Array.from({ length: 2 + Math.floor(r() * 4) }, () => pick(r, v.subjectTags)),
    ...Array.from({ length: 1 + Math.floor(r() * 2) }, () => pick(r, v.geoTags)),
  ];
  const refs = Array.from(
    { length: Math.floor(r() * 4) },
    (_, k) => `${String.fromCharCode(65 + k)}. ${station} ${1 + Math.floor(r() * 9000)}`,
  );
  const head = [
    `VZCZCXRO${pad(Math.floor(r() * 10_000), 4)}`,
    `${prec}${prec} RUEHWEB`,
    '',
    `DE ${from.ri} #${pad(serial % 10_000, 4)} ${pad(julian, 3)}${pad(hh, 2)}${pad(mm, 2)}`,
    `ZNY ${letters} ZZH`,
    `${prec} ${pad(day, 2)}${pad(hh, 2)}${pad(mm, 2)}Z ${MONTHS[month]} ${pad(year % 100, 2)}`,
    `FM ${from.pla}`,
    `TO RUEHC/SECSTATE WASHDC ${pad(Math.floor(r() * 10_000), 4)}`,
    ...info.map((p, k) => `${k === 0 ? 'INFO ' : ''}${p.ri}/${p.pla} ${pad(Math.floor(r() * 10_000), 4)}`),
    '',
    `${spaced} SECTION 01 OF 02 ${station} ${pad(serial, 6)}`,
    '',
    'SIPDIS',
    '',
    cls === 'UNCLASSIFIED' ? 'E.O. 12958: N/A' : `E.O. 12958: DECL: ${pad(month + 1, 2)}/${pad(day, 2)}/${year + 10}`,
    `TAGS: ${tags.join(' ')}`,
    `SUBJECT: ${sentence(r, v).toUpperCase().replace(/\.$/, '')}`,
    '',
    ...(refs.length > 0 ? [`REF: ${refs.join(' ')}`, ''] : []),
    ...(cls === 'UNCLASSIFIED'
      ? []
      : [`Classified By: Ambassador ${pick(r, v.words)} ${pick(r, v.words)} for reasons 1.4 (b) and (d).`, '']),
  ];
  const target = bodyBytes(r);
  const paras: string[] = [];
  let size = head.join('\n').length;
  const mark = cls === 'SECRET' ? 'S' : cls === 'CONFIDENTIAL' ? 'C' : 'SBU';
  for (let p = 1; size < target; p++) {
    const para = `¶${p}. (${mark}) ${Array.from({ length: 2 + Math.floor(r() * 6) }, () => sentence(r, v)).join(' ')}`;
    paras.push(para, '');
    size += para.length + 2;
  }
  const text = [...head, ...paras, pick(r, v.words).toUpperCase(), ''].join('\n');
  return { id: `${pad(year % 100, 2)}${station.replace(/[^A-Z]/g, '')}${serial}`, text };
}
