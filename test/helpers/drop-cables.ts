import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCable, loadVocabulary } from '../../bench/generate.js';

/**
 * `count` distinct generated cables (bench/generate.ts, by `seed`) written aside, then renamed into
 * the inbox all at once, as a drop of a backlog arrives. Returns their cable ids.
 */
export function dropGeneratedCables(inboxDir: string, count: number, seed: number): Set<string> {
  const vocab = loadVocabulary();
  const staging = mkdtempSync(join(tmpdir(), 'cables-staging-'));
  const ids = new Set<string>();
  for (let i = 0; ids.size < count; i++) {
    const g = generateCable(i, vocab, seed);
    if (ids.has(g.id)) continue;
    ids.add(g.id);
    writeFileSync(join(staging, `${g.id}.txt`), g.text);
  }
  for (const id of ids) renameSync(join(staging, `${id}.txt`), join(inboxDir, `${id}.txt`));
  return ids;
}
