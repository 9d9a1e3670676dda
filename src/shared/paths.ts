import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root, found by walking up from this module: code runs from dist/src/...,
 * but data (reference/, seeds/, kibana/) lives in the source tree, which tsc does not copy.
 */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: unknown };
      if (pkg.name === 'cable-ingest') return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cable-ingest: package root not found above ' + import.meta.url);
    dir = parent;
  }
}

export const PACKAGE_ROOT = findPackageRoot();
export const REFERENCE_DIR = join(PACKAGE_ROOT, 'reference');
export const SEEDS_DIR = join(PACKAGE_ROOT, 'seeds');
export const KIBANA_DIR = join(PACKAGE_ROOT, 'kibana');

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}
