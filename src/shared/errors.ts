/**
 * The one table of failure reasons. Every failure the pipeline can meet has a stable, bounded
 * code here; the code decides whether the job is retried (transient) or dead-lettered at once
 * (permanent). docs/OPERATIONS.md documents each code and a unit test keeps the two in step.
 */
export const STAGES = ['watch', 'enqueue', 'read', 'parse', 'validate', 'enrich', 'index'] as const;
export type Stage = (typeof STAGES)[number];

export const REASONS = {
  file_vanished: { stage: 'read', retryable: false, summary: 'the file was gone when the worker came to read it' },
  permission_denied: { stage: 'read', retryable: false, summary: 'the worker may not read the file' },
  empty_file: { stage: 'read', retryable: false, summary: 'the file has no bytes, or only white space' },
  too_large: { stage: 'read', retryable: false, summary: 'the file is larger than MAX_FILE_BYTES' },
  not_text: { stage: 'read', retryable: false, summary: 'the bytes are binary, not text' },
  unknown_charset: {
    stage: 'read',
    retryable: false,
    summary: 'the text is in no charset the reader knows (UTF-8, Windows-1252, Latin-1)',
  },
  no_cable_header: {
    stage: 'parse',
    retryable: false,
    summary: 'the text has none of the marks of a cable (no header, banner, TAGS or SUBJECT)',
  },
  parse_failed: { stage: 'parse', retryable: false, summary: 'the grammar met something it could not read' },
  validation_failed: { stage: 'validate', retryable: false, summary: 'the parsed cable does not satisfy the schema' },
  es_mapping_rejected: {
    stage: 'index',
    retryable: false,
    summary: 'Elasticsearch refused the document (mapping or document parsing error)',
  },
  es_overloaded: { stage: 'index', retryable: true, summary: 'Elasticsearch answered 429 (too many requests)' },
  es_unavailable: { stage: 'index', retryable: true, summary: 'Elasticsearch could not be reached or answered 5xx' },
  es_version_conflict: {
    stage: 'index',
    retryable: true,
    summary: 'the document kept changing under concurrent writers through every optimistic retry of one request',
  },
  redis_unavailable: { stage: 'enqueue', retryable: true, summary: 'Redis could not be reached' },
  retries_exhausted: { stage: 'index', retryable: false, summary: 'a transient failure lasted through every attempt' },
  internal_error: {
    stage: 'index',
    retryable: false,
    summary: 'an exception the pipeline did not classify (a bug): replay after the fix',
  },
} as const satisfies Record<string, { stage: Stage; retryable: boolean; summary: string }>;

export type ReasonCode = keyof typeof REASONS;
export const REASON_CODES = Object.keys(REASONS) as ReasonCode[];

export function isRetryable(code: ReasonCode): boolean {
  return REASONS[code].retryable;
}

/** A zod-like issue, kept small so it travels through Redis and into Elasticsearch. */
export interface IssueLite {
  path: string;
  message: string;
  code: string;
}

/** A failure as a value: what stage, which reason, a human message, optional detail. */
export interface Failure {
  code: ReasonCode;
  stage: Stage;
  message: string;
  issues?: IssueLite[];
}

export function failure(
  code: ReasonCode,
  message: string,
  issues?: IssueLite[],
  stage: Stage = REASONS[code].stage,
): Failure {
  const f: Failure = { code, stage, message };
  if (issues && issues.length > 0) f.issues = issues;
  return f;
}

/** Thrown only across the I/O edge (worker shell); carries a Failure. */
export class CableError extends Error {
  override readonly name = 'CableError';
  constructor(readonly failure: Failure) {
    super(`${failure.code}: ${failure.message}`);
  }
}

/** Configuration that cannot be used: raised before anything starts. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
