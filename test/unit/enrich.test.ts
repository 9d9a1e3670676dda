import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CABLE_MAPPINGS } from '../../src/shared/elasticsearch/index-template.js';
import { loadReferenceData } from '../../src/shared/reference/load.js';
import { enrichCable } from '../../src/workers/stages/enrich/index.js';
import { decodeAddress, postLabel } from '../../src/workers/stages/enrich/routing.js';
import { parseCable } from '../../src/workers/stages/parse/index.js';
import { SEEDS_DIR } from '../helpers/paths.js';

const ref = loadReferenceData();
const meta = {
  file: { path: '/in/000.txt', sha256: 'a'.repeat(64), size: 10, detectedAt: '2026-01-01T00:00:00.000Z' },
  charset: 'utf-8',
  ingestedAt: '2026-01-01T00:00:01.000Z',
  parserVersion: 'test',
  text: { textSha256: 'b'.repeat(64), textLength: 10 },
};

function seedDoc(name: string) {
  const r = parseCable(readFileSync(join(SEEDS_DIR, name), 'utf8'), { knownTags: ref.knownTags });
  assert.ok(r.ok);
  return enrichCable(r.value, ref, meta);
}

describe('enrichment of 07MOSCOW584', () => {
  const doc = seedDoc('000_c3a957b28fce9504.txt');
  it('decodes the sender to Embassy Moscow with a location in Moscow', () => {
    assert.equal(doc.origin, 'Embassy Moscow');
    assert.equal(doc.from?.ri, 'RUEHMO');
    assert.equal(doc.from?.country_code, 'RU');
    assert.ok(
      doc.from?.location &&
        Math.abs(doc.from.location.lat - 55.75) < 0.5 &&
        Math.abs(doc.from.location.lon - 37.62) < 0.5,
    );
  });
  it('decodes addressees, resolving the shared RUEHC with its plain address', () => {
    assert.equal(doc.to[0]?.ri, 'RUEHC');
    assert.equal(doc.to[0]?.label, 'Secretary of State');
    assert.equal(doc.to[0]?.country_code, 'US');
    const mn = doc.info.find((a) => a.ri === 'RUEHUM');
    assert.equal(mn?.country_code, 'MN');
    assert.ok(doc.addressee_countries.includes('MN'));
  });
  it('splits TAGS into facets with labels and ISO codes', () => {
    assert.deepEqual(doc.tag_facets.subject, ['PREF', 'PREL', 'PHUM', 'PGOV']);
    assert.deepEqual(doc.tag_facets.geographic, ['RS', 'KN']);
    assert.deepEqual(doc.tag_countries, ['RU', 'KP']);
    assert.equal(doc.classification_rank, 4);
    assert.deepEqual(doc.ingest.unknown_codes, []);
  });
  it('is deterministic: same input, same document', () => {
    assert.deepEqual(seedDoc('000_c3a957b28fce9504.txt'), doc);
  });
});

describe('origin labels', () => {
  const cases: Array<[string, string]> = [
    ['AMEMBASSY MOSCOW', 'Embassy Moscow'],
    ['AMCONSUL SHENYANG', 'Consulate Shenyang'],
    ['SECSTATE WASHDC', 'Secretary of State'],
    ['USMISSION USNATO', 'Mission USNATO'],
    ['USMISSION USUN NEW YORK', 'USUN New York'],
    ['USMISSION GENEVA', 'US Mission Geneva'],
    ['USINT HAVANA', 'US Interests Section Havana'],
    ['AIT TAIPEI', 'American Institute Taiwan, Taipei'],
    ['AMCONSUL RIO DE JANEIRO', 'Consulate Rio De Janeiro'],
    ['AMEMBASSY THE HAGUE', 'Embassy The Hague'],
  ];
  for (const [pla, label] of cases) it(`${pla} -> ${label}`, () => assert.equal(postLabel(pla), label));
});

describe('document and index template agree', () => {
  // dynamic: strict rejects any field the template lacks; catch that here, before Elasticsearch does.
  function check(value: unknown, mapping: { properties?: Record<string, unknown> }, path: string): void {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
    const props = mapping.properties;
    assert.ok(props, `${path} is an object but the template maps it as a leaf`);
    for (const [k, v] of Object.entries(value)) {
      const child = props[k] as { properties?: Record<string, unknown>; type?: string } | undefined;
      assert.ok(child, `${path}${k} is not in the index template`);
      if (child.type === 'geo_point') continue;
      const items = Array.isArray(v) ? v : [v];
      for (const item of items) check(item, child, `${path}${k}.`);
    }
  }
  it('every field of a seed document is mapped', () => {
    for (const name of ['000_c3a957b28fce9504.txt', '004_8064cce5387d321f.txt'])
      check(seedDoc(name), CABLE_MAPPINGS, '');
  });
});

it('decodes an address once per reference data and shares it frozen', () => {
  const ref = loadReferenceData();
  const first = decodeAddress(ref, 'RUEHMO', 'AMEMBASSY MOSCOW');
  const again = decodeAddress(ref, 'RUEHMO', 'AMEMBASSY MOSCOW');
  assert.equal(again, first, 'the second look is the memo');
  assert.equal(first.value.country_code, 'RU');
  assert.ok(Object.isFrozen(first.value) && Object.isFrozen(first.unknown));
  // Another reference data set has its own memo.
  assert.notEqual(decodeAddress(loadReferenceData(), 'RUEHMO', 'AMEMBASSY MOSCOW'), first);
});

describe('a sender whose plain address has no known place, but whose DE indicator does', () => {
  // FM names an address no reference row knows, under the Department's shared indicator RUEHC,
  // which decodes alone to Washington. The memoised decoding of the address is frozen and shared:
  // enrichment must build a new value (it once assigned to it: a TypeError in strict mode).
  const text = readFileSync(join(SEEDS_DIR, '000_c3a957b28fce9504.txt'), 'utf8')
    .replace('FM AMEMBASSY MOSCOW', 'FM AMEMBASSY NOWHERE ATOLL')
    .replace('DE RUEHMO #0584', 'DE RUEHC #0584');
  const parsed = parseCable(text, { knownTags: ref.knownTags });
  assert.ok(parsed.ok);

  it('takes the place from the indicator and keeps the written address and its label, twice over', () => {
    for (let i = 0; i < 2; i++) {
      const doc = enrichCable(parsed.value, ref, meta);
      assert.equal(doc.from?.pla, 'AMEMBASSY NOWHERE ATOLL');
      assert.equal(doc.from?.label, 'Embassy Nowhere Atoll');
      assert.equal(doc.from?.ri, 'RUEHC');
      assert.equal(doc.from?.country_code, 'US');
      assert.ok(doc.from?.location && Math.abs(doc.from.location.lat - 38.9) < 0.5);
    }
  });

  it('leaves the shared decoding of the address as it was', () => {
    enrichCable(parsed.value, ref, meta);
    const shared = decodeAddress(ref, 'RUEHC', 'AMEMBASSY NOWHERE ATOLL');
    assert.ok(Object.isFrozen(shared.value));
    assert.equal(shared.value.location, null);
  });
});
