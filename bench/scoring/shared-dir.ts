import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PACKAGE_ROOT } from '../../src/shared/paths.js';

/** ../shared beside the project root (CI has it too): the corpus. Missing, it fails loudly: no silent skip. */
export const SHARED_DIR = resolve(process.env['CABLE_INGEST_SHARED'] ?? join(PACKAGE_ROOT, '..', 'shared'));

export function sharedPath(...parts: string[]): string {
  const p = join(SHARED_DIR, ...parts);
  if (!existsSync(p))
    throw new Error(
      `${p} is missing: the corpus tests and reports need ../shared beside the project (set CABLE_INGEST_SHARED to move it)`,
    );
  return p;
}
