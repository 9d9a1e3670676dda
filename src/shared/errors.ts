/**
 * The one table of failure reasons. Every failure the pipeline can meet has a stable, bounded
 * code here, and each code declares its class, which alone decides what becomes of a file that
 * meets it (shared/fate.ts):
 *   permanent  the file's own fault: dead-lettered at once, no retry;
 *   transient  a passing fault of this one attempt: retried with BullMQ's backoff, dead-lettered
 *              as `retries_exhausted` after the last attempt;
 *   outage     a service (Elasticsearch, Redis, a credential) is down or refuses us: nothing is
 *              the file's fault, so every worker pauses and no attempt is spent; never a reason to
 *              dead-letter a cable.
 * docs/OPERATIONS.md documents each code and a unit test keeps the two in step.
 */
export const REASON_CLASSES = ['permanent', 'transient', 'outage'] as const;
export type ReasonClass = (typeof REASON_CLASSES)[number];

export const STAGES = ['watch', 'enqueue', 'read', 'parse', 'validate', 'enrich', 'index'] as const;
export type Stage = (typeof STAGES)[number];

export const REASONS = {
  file_vanished: { stage: 'read', class: 'permanent', summary: 'the file was gone when the worker came to read it' },
  permission_denied: { stage: 'read', class: 'permanent', summary: 'the worker may not read the file' },
  empty_file: { stage: 'read', class: 'permanent', summary: 'the file has no bytes, or only white space' },
  too_large: { stage: 'read', class: 'permanent', summary: 'the file is larger than MAX_FILE_BYTES' },
  not_text: { stage: 'read', class: 'permanent', summary: 'the bytes are binary, not text' },
  unknown_charset: {
    stage: 'read',
    class: 'permanent',
    summary: 'the text is in no charset the reader knows (UTF-8, Windows-1252, Latin-1)',
  },
  no_cable_header: {
    stage: 'parse',
    class: 'permanent',
    summary: 'the text has none of the marks of a cable (no header, banner, TAGS or SUBJECT)',
  },
  parse_failed: { stage: 'parse', class: 'permanent', summary: 'the grammar met something it could not read' },
  validation_failed: { stage: 'validate', class: 'permanent', summary: 'the parsed cable does not satisfy the schema' },
  es_mapping_rejected: {
    stage: 'index',
    class: 'permanent',
    summary: 'Elasticsearch refused the document (mapping or document parsing error)',
  },
  es_overloaded: { stage: 'index', class: 'outage', summary: 'Elasticsearch answered 429 (too many requests)' },
  es_unavailable: { stage: 'index', class: 'outage', summary: 'Elasticsearch could not be reached or answered 5xx' },
  es_unauthorized: {
    stage: 'index',
    class: 'outage',
    summary: 'Elasticsearch answered 401: the credential is wrong, expired or revoked',
  },
  es_forbidden: {
    stage: 'index',
    class: 'outage',
    summary: 'Elasticsearch answered 403: the credential lacks a privilege, or the index is blocked',
  },
  es_request_too_large: {
    stage: 'index',
    class: 'outage',
    summary: 'Elasticsearch answered 413 to a bulk request: BULK_MAX_BYTES is over its http.max_content_length',
  },
  es_version_conflict: {
    stage: 'index',
    class: 'transient',
    summary: 'the document kept changing under concurrent writers through every optimistic retry of one request',
  },
  redis_unavailable: { stage: 'enqueue', class: 'outage', summary: 'Redis could not be reached' },
  redis_out_of_memory: {
    stage: 'enqueue',
    class: 'outage',
    summary: 'Redis refused a write at maxmemory (noeviction): the watcher claims nothing until memory frees',
  },
  spool_disk_full: {
    stage: 'watch',
    class: 'outage',
    summary: "the spool's file system is full (ENOSPC, EDQUOT): the watcher claims nothing until space frees",
  },
  retries_exhausted: {
    stage: 'index',
    class: 'permanent',
    summary: 'a transient failure lasted through every attempt',
  },
  worker_stalled: {
    stage: 'index',
    class: 'permanent',
    summary: 'the worker holding the job died (a crash, an OOM kill) more often than WORKER_MAX_STALLED allows',
  },
  internal_error: {
    stage: 'index',
    class: 'permanent',
    summary: 'an exception the pipeline did not classify (a bug): replay after the fix',
  },
} as const satisfies Record<string, { stage: Stage; class: ReasonClass; summary: string }>;

export type ReasonCode = keyof typeof REASONS;
/** Every code, as a non-empty tuple so that zod's enums keep the type (codes stay typed across Redis). */
export const REASON_CODES = Object.keys(REASONS) as [ReasonCode, ...ReasonCode[]];

export function reasonClass(code: ReasonCode): ReasonClass {
  return REASONS[code].class;
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
