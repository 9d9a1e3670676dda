import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { versionOf } from '../../src/shared/cable-versions.js';
import { CABLE_MAPPINGS } from '../../src/shared/elasticsearch/index-template.js';
import type { MappingOf } from '../../src/shared/elasticsearch/mapping-of.js';
import { loadReferenceData } from '../../src/shared/reference/load.js';
import { VERSION_CABLE_FIELDS, VERSION_FILE_FIELDS, type CableDocument } from '../../src/shared/stages.js';
import { documentFromBytes } from '../../src/workers/pipeline.js';
import { SEEDS_DIR } from '../helpers/paths.js';

/**
 * One document schema (issue #27): CableDocument is declared once; the mapping and a version's
 * stored form follow from it. The compiler holds the mapping to the type (the two `ts-expect-error`
 * lines below stop compiling if that check goes); these tests hold real documents to both.
 */
const { ingest: _ingest, ...withoutIngest } = CABLE_MAPPINGS.properties;
// @ts-expect-error a mapping that lacks a field of CableDocument is not its mapping
export const _missing: MappingOf<CableDocument> = { dynamic: 'strict', properties: withoutIngest };
export const _extra: MappingOf<CableDocument> = {
  dynamic: 'strict',
  // @ts-expect-error nor is one with a field CableDocument does not have
  properties: { ...CABLE_MAPPINGS.properties, stray: { type: 'keyword' } },
};

const ref = loadReferenceData();
const documents = readdirSync(SEEDS_DIR).map((name) => {
  const bytes = readFileSync(join(SEEDS_DIR, name));
  const file = {
    path: `/inbox/${name}`,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    size: bytes.length,
    detectedAt: '2026-01-01T00:00:00.000Z',
  };
  const r = documentFromBytes(file, bytes, ref, 1_000_000);
  assert.ok(r.ok);
  return r.value;
});

/** Every dotted path of an object's fields, arrays read through. */
function paths(value: unknown, prefix = ''): string[] {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === null || typeof v !== 'object' || ('lat' in v && 'lon' in v)) return prefix ? [prefix] : [];
  return Object.entries(v).flatMap(([k, child]) => [
    ...(prefix ? [prefix] : []),
    ...paths(child, prefix ? `${prefix}.${k}` : k),
  ]);
}
function mappedPaths(properties: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(properties).flatMap(([k, m]) => {
    const path = prefix ? `${prefix}.${k}` : k;
    const inner = (m as { properties?: Record<string, unknown> }).properties;
    return inner ? [path, ...mappedPaths(inner, path)] : [path];
  });
}

describe('one document schema', () => {
  it('a real document has no field the mapping lacks', () => {
    const mapped = new Set(mappedPaths(CABLE_MAPPINGS.properties));
    for (const doc of documents) for (const p of paths(doc)) assert.ok(mapped.has(p), `${p} is not mapped`);
  });
  it("a version is the lists' fields, in the mapping and in what a document records", () => {
    const fields = [...VERSION_FILE_FIELDS, ...VERSION_CABLE_FIELDS].sort();
    assert.deepEqual(Object.keys(CABLE_MAPPINGS.properties.versions.properties).sort(), fields);
    for (const doc of documents) {
      assert.deepEqual(Object.keys(versionOf(doc)).sort(), fields);
      assert.deepEqual(doc.versions, [versionOf(doc)]);
    }
  });
});
