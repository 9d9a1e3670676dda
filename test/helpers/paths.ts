export { PACKAGE_ROOT, SEEDS_DIR, REFERENCE_DIR } from '../../src/shared/paths.js';
export { SHARED_DIR, sharedPath } from '../../bench/scoring/shared-dir.js';
