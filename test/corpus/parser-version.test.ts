import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadReferenceData } from '../../src/shared/reference/load.js';
import { parseCable, PARSER_VERSION } from '../../src/workers/stages/parse/index.js';
import { PACKAGE_ROOT, SEEDS_DIR, corpusPath } from '../helpers/paths.js';

/** The recorded digest of every corpus file's parse, by parser version. */
const DIGESTS_FILE = join(PACKAGE_ROOT, 'test', 'corpus', 'parser-digests.json');

/**
 * Issue #14: parser outputs cannot change without a new PARSER_VERSION, since `reprocess
 * --parser-older-than` is how indexed cables catch up. The parse of every corpus file (the seeds
 * and the dev cables, with the reference tables' TAGS and stations) is digested in file-name order;
 * the digest recorded for the current version must match it.
 */
describe('PARSER_VERSION names the parser outputs', () => {
  it(`the corpus parses to the digest recorded for ${PARSER_VERSION}`, () => {
    const ref = loadReferenceData();
    const options = { knownTags: ref.knownTags, knownStations: ref.stations };
    const dev = corpusPath('dev');
    const files = [
      ...readdirSync(SEEDS_DIR)
        .sort()
        .map((n) => join(SEEDS_DIR, n)),
      ...readdirSync(dev)
        .filter((n) => n.endsWith('.txt'))
        .sort()
        .map((n) => join(dev, n)),
    ];
    const hash = createHash('sha256');
    for (const f of files) {
      const r = parseCable(readFileSync(f, 'utf8'), options);
      hash.update(
        `${f.slice(f.lastIndexOf('/') + 1)}\t${JSON.stringify(r.ok ? r.value : { failure: r.failure.code })}\n`,
      );
    }
    const digest = hash.digest('hex');
    const recorded = JSON.parse(readFileSync(DIGESTS_FILE, 'utf8')) as Record<string, string>;
    assert.ok(
      recorded[PARSER_VERSION] !== undefined,
      `no digest recorded for parser ${PARSER_VERSION}: add "${PARSER_VERSION}": "${digest}" to test/corpus/parser-digests.json`,
    );
    assert.equal(
      digest,
      recorded[PARSER_VERSION],
      `the parser's outputs changed but PARSER_VERSION is still ${PARSER_VERSION}: bump it (src/workers/stages/parse/index.ts) and record the new digest ${digest}`,
    );
    // A version's digest is recorded once: an older version's outputs are what documents it read say they are.
    assert.equal(
      new Set(Object.values(recorded)).size,
      Object.keys(recorded).length,
      'two versions with the same outputs',
    );
  });
});
