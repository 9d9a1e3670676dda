import { replicasSettings } from './index-template.js';
import type { Client } from '@elastic/elasticsearch';
import { errors } from '@elastic/elasticsearch';
import type { ReasonCode } from '../errors.js';
import { deadLetterId } from '../dead-letter.js';
import type { DeadLetterEntry } from '../job-data.js';
import type { MappingOf } from './mapping-of.js';

/**
 * Dead-letter entries, also searchable in Elasticsearch so Kibana shows failures beside cables.
 * The queue in Redis is the record operators act on; this index is a view of it, written on a
 * best-effort basis (when Elasticsearch is down the entry is still safe in Redis).
 */
export function failuresAlias(alias: string): string {
  return `${alias}-failures`;
}

const keyword = { type: 'keyword' } as const;
const date = { type: 'date' } as const;

/** A dead letter as the searchable failures index holds it (one per content hash). */
export interface FailureDocument {
  source_path: string;
  /** Null for a file whose bytes could not be read. */
  sha256: string | null;
  size: number;
  stage: DeadLetterEntry['stage'];
  reason: ReasonCode;
  message: string;
  issues: DeadLetterEntry['issues'];
  attempts: number;
  first_failed_at: string;
  dead_lettered_at: string;
  /** Set when the entry is replayed (`dlq retry`). */
  replayed_at?: string;
  host: string;
  parser_version: string;
  cause_code: ReasonCode | null;
}

export const FAILURE_MAPPINGS = {
  dynamic: 'strict',
  properties: {
    source_path: keyword,
    sha256: keyword,
    size: { type: 'long' },
    stage: keyword,
    reason: keyword,
    message: { type: 'text' },
    issues: { properties: { path: keyword, message: { type: 'text' }, code: keyword } },
    attempts: { type: 'integer' },
    first_failed_at: date,
    dead_lettered_at: date,
    replayed_at: date,
    host: keyword,
    parser_version: keyword,
    cause_code: keyword,
  },
} as const satisfies MappingOf<FailureDocument>;

export async function ensureFailuresIndex(
  client: Client,
  alias: string,
  replicas: 'auto' | number = 'auto',
): Promise<void> {
  const name = failuresAlias(alias);
  await client.indices.putIndexTemplate({
    name,
    index_patterns: [`${name}-v*`],
    priority: 210,
    template: { settings: { number_of_shards: 1, ...replicasSettings(replicas) }, mappings: FAILURE_MAPPINGS },
  });
  if (await client.indices.existsAlias({ name })) return;
  try {
    await client.indices.create({ index: `${name}-v1`, aliases: { [name]: { is_write_index: true } } });
  } catch (err) {
    if (!(err instanceof errors.ResponseError && err.body?.error?.type === 'resource_already_exists_exception'))
      throw err;
  }
}

export async function recordFailure(client: Client, alias: string, e: DeadLetterEntry): Promise<void> {
  await client.index({
    index: failuresAlias(alias),
    id: deadLetterId(e.job),
    document: {
      source_path: e.job.path,
      sha256: e.job.sha256,
      size: e.job.size,
      stage: e.stage,
      reason: e.code,
      message: e.message,
      issues: e.issues,
      attempts: e.attempts,
      first_failed_at: e.firstFailedAt,
      dead_lettered_at: e.deadLetteredAt,
      host: e.host,
      parser_version: e.parserVersion,
      cause_code: e.causeCode,
    } satisfies FailureDocument,
  });
}
