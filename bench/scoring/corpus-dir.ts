import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/shared/paths.js';

/** The dev corpus the project carries (corpus/README.md): tests, reports and benchmarks read it. */
export const CORPUS_DIR = join(PACKAGE_ROOT, 'corpus');

/** A path in the corpus; missing, it fails loudly (a broken checkout), never a silent skip. */
export function corpusPath(...parts: string[]): string {
  const p = join(CORPUS_DIR, ...parts);
  if (!existsSync(p)) throw new Error(`${p} is missing: the project's corpus/ folder is incomplete`);
  return p;
}
