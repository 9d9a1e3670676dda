export { PACKAGE_ROOT, SEEDS_DIR, REFERENCE_DIR } from '../../src/shared/paths.js';
export { CORPUS_DIR, corpusPath } from '../../bench/scoring/corpus-dir.js';
