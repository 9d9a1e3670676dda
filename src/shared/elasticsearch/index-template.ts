import type { Client, TransportRequestOptions } from '@elastic/elasticsearch';
import { errors } from '@elastic/elasticsearch';
import { DEFAULT_REFRESH_INTERVAL } from '../config.js';
import {
  VERSION_CABLE_FIELDS,
  VERSION_FILE_FIELDS,
  type CableDocument,
  type CableVersion,
  type DecodedAddress,
  type DecodedAddressee,
  type IngestFacts,
} from '../stages.js';
import type { MappingOf, PropertiesOf } from './mapping-of.js';
import { ENGLISH_ANALYZER, englishAnalysisSettings, probeEnglishAnalysis, type EnglishAnalysis } from './english.js';

/**
 * The cables index: an explicit mapping (`dynamic: strict`) behind an alias, so the mapping can
 * change by reindexing into `<alias>-v2` and moving the alias. Free text has an English subfield
 * (`subject.english`, `body.english`, `summary.english`) beside the exact one, analysed as the
 * cluster allows (english.ts). Version 2 added those subfields and `paragraph_texts` (nested).
 */
export const MAPPING_VERSION = 2;

const keyword = { type: 'keyword' } as const;
const text = { type: 'text' } as const;
const date = { type: 'date' } as const;
const bool = { type: 'boolean' } as const;
const englishSubfield = { english: { type: 'text', analyzer: ENGLISH_ANALYZER } } as const;
const textWithKeyword = {
  type: 'text',
  fields: { keyword: { type: 'keyword', ignore_above: 1024 }, ...englishSubfield },
} as const;
const textWithEnglish = { type: 'text', fields: englishSubfield } as const;

const decodedAddress = {
  ri: keyword,
  pla: keyword,
  label: keyword,
  type: keyword,
  city: keyword,
  country: keyword,
  country_code: keyword,
  location: { type: 'geo_point' },
} as const satisfies PropertiesOf<DecodedAddress>;

const decodedAddressee = {
  ...decodedAddress,
  precedence: keyword,
  serial: keyword,
  excluded: bool,
} as const satisfies PropertiesOf<DecodedAddressee>;

const ingest = {
  source_path: keyword,
  sha256: keyword,
  size: { type: 'long' },
  charset: keyword,
  parser_version: keyword,
  ingested_at: date,
  detected_at: date,
  unknown_codes: keyword,
  warnings: keyword,
  text_sha256: keyword,
  text_length: { type: 'integer' },
} as const satisfies PropertiesOf<IngestFacts>;

function pick<T, K extends keyof T>(o: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, o[k]])) as Pick<T, K>;
}

/** A version's mapping: the same fields as the document's, from the lists that define a version (stages.ts). */
const versionProperties = {
  ...pick(ingest, VERSION_FILE_FIELDS),
  ...pick({ id_basis: keyword, cable_id: keyword, partial_extract: bool } as const, VERSION_CABLE_FIELDS),
} satisfies PropertiesOf<CableVersion>;

/**
 * The mapping of CableDocument (stages.ts, the one declaration of the document's shape), checked
 * against it by the compiler: a field added to the type and not here, or here and not in the
 * type, does not compile (mapping-of.ts).
 */
export const CABLE_MAPPINGS = {
  dynamic: 'strict',
  properties: {
    cable_id: keyword,
    id_basis: keyword,
    // An object array, not nested: Kibana's Lens and Discover filter it; a document's versions
    // are shown together, never queried one by one.
    versions: { properties: versionProperties },
    version_count: { type: 'short' },
    sent_at: date,
    filed_at: date,
    origin: keyword,
    classification: keyword,
    classification_rank: { type: 'byte' },
    caveats: keyword,
    handling: keyword,
    precedence: keyword,
    transmission: { properties: { id: keyword, relay_prosign: keyword, relay_ris: keyword } },
    origin_station: { properties: { ri: keyword, serial: keyword, section: keyword } },
    from: { properties: decodedAddress },
    to: { properties: decodedAddressee },
    info: { properties: decodedAddressee },
    addressee_countries: keyword,
    subject: textWithKeyword,
    body: textWithEnglish,
    summary: textWithEnglish,
    tags: keyword,
    tag_facets: {
      properties: {
        subject: keyword,
        program: keyword,
        geographic: keyword,
        organization: keyword,
        person: keyword,
        other: keyword,
      },
    },
    tag_labels: keyword,
    tag_countries: keyword,
    references: { properties: { letter: keyword, raw: keyword, kind: keyword, cable_id: keyword } },
    classified_by: { properties: { name: keyword, reasons: keyword, raw: text } },
    eo: { properties: { order: keyword, raw: keyword } },
    declassify_on: { type: 'date', format: 'strict_date' },
    paragraphs: { properties: { numbers: { type: 'short' }, portion_marks: keyword } },
    paragraph_texts: {
      type: 'nested',
      properties: { number: { type: 'short' }, portion_mark: keyword, text: textWithEnglish },
    },
    signers: keyword,
    banner: {
      properties: { station: keyword, serial: keyword, section: { type: 'short' }, section_count: { type: 'short' } },
    },
    partial_extract: bool,
    ingest: { properties: ingest },
  },
} as const satisfies MappingOf<CableDocument>;

/** The index settings for a replicas setting. */
export function replicasSettings(replicas: 'auto' | number): Record<string, string | number | false> {
  return replicas === 'auto'
    ? { auto_expand_replicas: '0-1' }
    : { auto_expand_replicas: false, number_of_replicas: replicas };
}

export function versionedIndexName(alias: string, version = MAPPING_VERSION): string {
  return `${alias}-v${version}`;
}

export interface CableIndexOptions {
  /** `auto` (`auto_expand_replicas: 0-1`): one replica on a cluster, none on a single node; or a number. */
  replicas?: 'auto' | number;
  /** `off`: no stemming asked for (ENGLISH_STEMMING=off); the `.english` subfields are analysed as the exact fields. */
  englishStemming?: 'auto' | 'off';
  /** `index.refresh_interval` (ELASTICSEARCH_REFRESH_INTERVAL), DEFAULT_REFRESH_INTERVAL unless given. */
  refreshInterval?: string;
  /** Told what the operator should know: no stemming on this cluster, an index of an older mapping. */
  warn?: (message: string) => void;
}

/**
 * Contract: puts the index template `<alias>` (patterns `<alias>-v*`), then makes sure the alias
 * points at a write index. Safe to call from many workers at once: the loser of a creation race
 * sees `resource_already_exists_exception` and moves on. Replicas and the refresh interval are set
 * on the template and on the index already there. The English analysis is the best the cluster
 * offers (english.ts), recorded in the mapping's `_meta`. An index of an older MAPPING_VERSION is
 * written to as it is (with a warning naming `es reindex`), not changed: its settings lack what the
 * new mapping needs.
 */
export async function ensureCableIndex(
  client: Client,
  alias: string,
  options: CableIndexOptions = {},
): Promise<string> {
  // Settings that may change on a live index: put on the template and on the index already there.
  const liveSettings = {
    ...replicasSettings(options.replicas ?? 'auto'),
    refresh_interval: options.refreshInterval ?? DEFAULT_REFRESH_INTERVAL,
  };
  const english = options.englishStemming === 'off' ? 'standard' : await probeEnglishAnalysis(client);
  if (english === 'standard' && options.englishStemming !== 'off')
    options.warn?.(
      'this Elasticsearch offers no English stemming (no analysis-common module and no hunspell en_US dictionary in its config/hunspell/en_US): the .english subfields are analysed as the exact ones',
    );
  await client.indices.putIndexTemplate({
    name: alias,
    index_patterns: [`${alias}-v*`],
    priority: 200,
    template: {
      settings: {
        number_of_shards: 1,
        ...liveSettings,
        analysis: englishAnalysisSettings(english),
      },
      mappings: { ...CABLE_MAPPINGS, _meta: { mapping_version: MAPPING_VERSION, english_analysis: english } },
    },
  });
  if (await client.indices.existsAlias({ name: alias })) {
    const current = await client.indices.getAlias({ name: alias });
    const index = Object.keys(current)[0] ?? alias;
    const version = Number(/-v(\d+)$/.exec(index)?.[1] ?? MAPPING_VERSION);
    if (version < MAPPING_VERSION) {
      options.warn?.(
        `the index ${index} has mapping version ${version}, this build ${MAPPING_VERSION} (English subfields): documents go there as before; run \`cable-ingest es reindex\` to move to ${versionedIndexName(alias)}`,
      );
    } else {
      // Fields added since the index was made (additive changes need no reindex; a changed type
      // does, and fails here loudly: that is what MAPPING_VERSION is for).
      await client.indices.putMapping({ index, ...CABLE_MAPPINGS });
    }
    await client.indices.putSettings({ index, settings: liveSettings });
    return index;
  }
  const index = versionedIndexName(alias);
  try {
    await client.indices.create({ index, aliases: { [alias]: { is_write_index: true } } });
  } catch (err) {
    if (!(err instanceof errors.ResponseError && err.body?.error?.type === 'resource_already_exists_exception'))
      throw err;
  }
  return index;
}

/** Which English analysis an index got (its mapping's `_meta`), or null when it predates the record. */
export async function englishAnalysisOf(
  client: Client,
  index: string,
  options?: TransportRequestOptions,
): Promise<EnglishAnalysis | null> {
  const m = await client.indices.getMapping({ index }, options);
  const meta = Object.values(m)[0]?.mappings?._meta as { english_analysis?: EnglishAnalysis } | undefined;
  return meta?.english_analysis ?? null;
}
