/**
 * Variants of real cables for the parser's safety net (bench/parse-gate.ts `--mutations`): a
 * restructure or a speed-up must leave the parser's output the same on text it has never seen,
 * not only on the corpus files. Each variant damages a cable the way real files are damaged or
 * reshaped: letter case, line ends, lost and joined lines, cut-offs, stray field and page lines,
 * the old charset's apostrophe and HTML entities, glued wrappers, two cables in one file.
 * Deterministic: the same corpus and seed give the same variants, so two builds see the same text.
 */

/** Lines the parser's patterns look for, dropped in at random places. */
const STRAY_LINES = [
  'SUMMARY',
  'END SUMMARY.',
  'Summary:',
  '-----  SUMMARY  -----',
  'REF: A. STATE 1234 B. 05 ROME 88',
  'TAGS: PREL, PGOV',
  'SUBJECT: X',
  'E.O. 12958: DECL: 1/1/2015',
  'CLASSIFIED BY: AMB JOHN SMITH, REASONS 1.4 (B) AND (D)',
  'PAGE 02 ROME 01234 01 OF 02 121212Z',
  'ROME 00001234 002 OF 003',
  '¶3. (C) Text',
  '2. (S/NF) More',
  'R 121212Z MAR 05',
  'FM AMEMBASSY ROME',
  'TO RUEHC/SECSTATE WASHDC 1234',
  'SECRET ROME 001234',
  'BURNS',
  'NNNN',
  '',
  '  ',
  'Kabuye,s &amp; R&D &#8217;',
  'Saturday, July 9',
  'in 2005 and 2006',
];

export interface Variant {
  kind: string;
  text: string;
}

/** mulberry32: a small seeded generator, the same on every Node. */
export function seededRandom(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n: number): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

export function mutationsOf(text: string, other: string, rnd: (n: number) => number): Variant[] {
  const lines = text.split('\n');
  const out: Variant[] = [
    { kind: 'lower', text: text.toLowerCase() },
    { kind: 'upper', text: text.toUpperCase() },
    { kind: 'crlf', text: text.replace(/\n/g, '\r\n') },
    { kind: 'double-spaces', text: text.replace(/ /g, '  ') },
    { kind: 'trailing-space', text: lines.map((l) => `${l} `).join('\n') },
    { kind: 'charset', text: text.replace(/'s/g, ',s').replace(/"/g, '&quot;').replace(/\n\n/g, '\n  \n') },
    { kind: 'cable-dated', text: `Cable dated:2002-11-15T12:40:00${lines.slice(rnd(20)).join(' ')}` },
    { kind: 'two-cables', text: `${text}\n${other}` },
    {
      kind: 'spliced',
      text: `${lines.slice(0, rnd(lines.length)).join('\n')}\n${other.split('\n').slice(rnd(20)).join('\n')}`,
    },
  ];
  const repeat = (kind: string, times: number, make: () => string): void => {
    for (let k = 0; k < times; k++) out.push({ kind: `${kind}${k}`, text: make() });
  };
  repeat('head-cut', 6, () => lines.slice(rnd(Math.min(lines.length, 60))).join('\n'));
  repeat('truncated', 4, () => text.slice(0, rnd(text.length + 1)));
  repeat('start-cut', 4, () => text.slice(rnd(Math.min(text.length, 3000))));
  repeat('line-lost', 3, () => lines.filter((_, i) => i !== rnd(lines.length)).join('\n'));
  repeat('lines-joined', 3, () => {
    const m = [...lines];
    const a = rnd(m.length);
    m.splice(a, 2, `${m[a]!} ${m[a + 1] ?? ''}`);
    return m.join('\n');
  });
  repeat('stray-lines', 6, () => {
    const m = [...lines];
    for (let j = 0; j < 4; j++) m.splice(rnd(m.length + 1), 0, STRAY_LINES[rnd(STRAY_LINES.length)]!);
    return m.join('\n');
  });
  repeat('characters-lost', 3, () => {
    let t = text;
    for (let j = 0; j < 20; j++) {
      const a = rnd(t.length + 1);
      t = t.slice(0, a) + t.slice(a + 1 + rnd(3));
    }
    return t;
  });
  return out;
}
