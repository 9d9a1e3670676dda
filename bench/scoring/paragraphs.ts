import { readdirSync, readFileSync } from 'node:fs';
import { corpusPath } from './corpus-dir.js';
import { documentOf } from './corpus.js';

/**
 * Issue #29: how many numbered paragraphs of the dev cables had their portion mark read, counted
 * two ways. Over what the parser read (its paragraphs, and those among them with a mark), and over
 * an independent count of the text: every line that opens a numbered paragraph with a mark as
 * cables write it (`¶3. (C)`, `3. (S/NF)`, `3.  (SBU)`), and whether a read paragraph has that
 * number and that mark. The second catches paragraphs the parser never saw.
 */
export interface ParagraphReport {
  cables: number;
  paragraphs: number;
  withMark: number;
  marks: Map<string, number>;
  /** Marked paragraph openings found in the text, and those the parser read with the same number and mark. */
  inText: number;
  readAsInText: number;
  misses: string[];
}

// A paragraph opening: optional pilcrow or dash, its number, a period, its mark in parentheses.
const OPENING = /^[\s\u00b6-]*(\d{1,3})\.\s*\(([A-Z][A-Z/ -]{0,15})\)/gm;

export function paragraphReport(): ParagraphReport {
  const r: ParagraphReport = {
    cables: 0,
    paragraphs: 0,
    withMark: 0,
    marks: new Map(),
    inText: 0,
    readAsInText: 0,
    misses: [],
  };
  for (const name of readdirSync(corpusPath('dev'))
    .filter((n) => n.endsWith('.txt'))
    .sort()) {
    const text = readFileSync(corpusPath('dev', name), 'utf8');
    const d = documentOf(text, name);
    if (!d.ok) continue;
    r.cables++;
    const read = new Set<string>();
    for (const p of d.doc.paragraph_texts) {
      r.paragraphs++;
      if (p.portion_mark === null) continue;
      r.withMark++;
      r.marks.set(p.portion_mark, (r.marks.get(p.portion_mark) ?? 0) + 1);
      read.add(`${p.number} ${p.portion_mark.replace(/\s+/g, '')}`);
    }
    for (const m of text.matchAll(OPENING)) {
      r.inText++;
      const key = `${Number(m[1])} ${m[2]!.replace(/\s+/g, '')}`;
      if (read.has(key)) r.readAsInText++;
      else r.misses.push(`${name}: ${key}`);
    }
  }
  return r;
}

export function formatParagraphReport(r: ParagraphReport): string {
  const pct = (a: number, b: number): string => `${((100 * a) / b).toFixed(1)}%`;
  const marks = [...r.marks.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([m, n]) => `${m} ${n}`)
    .join(', ');
  return [
    `paragraphs of the ${r.cables} parsed cables: ${r.paragraphs}; with a portion mark read: ${r.withMark} (${pct(r.withMark, r.paragraphs)})`,
    `marks: ${marks}`,
    `marked paragraph openings in the text: ${r.inText}; read with that number and mark: ${r.readAsInText} (${pct(r.readAsInText, r.inText)})`,
  ].join('\n');
}
