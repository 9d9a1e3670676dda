import * as z from 'zod';
import { REASON_CODES, STAGES } from './errors.js';

/**
 * What crosses Redis. Job data is untrusted JSON written by another process (or an older
 * version): it is parsed with these schemas, never cast.
 */

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * A file as the pipeline knows it: where it was dropped, its content hash, when it was noticed.
 * `sha256` is null only for a file whose bytes could not be read at all (vanished, permission
 * denied): there is no content to hash, and no made-up value stands in for one.
 */
export const DroppedFileJob = z.object({
  path: z.string().min(1),
  sha256: Sha256.nullable(),
  size: z.number().int().nonnegative(),
  detectedAt: z.iso.datetime(),
});
export type DroppedFileJob = z.infer<typeof DroppedFileJob>;

/** A failure the watcher met while claiming (the worker turns it into the file's dead letter). */
const ClaimFailure = z.object({ code: z.enum(REASON_CODES), message: z.string() });

/**
 * One file of a batch. The bytes travel through Redis, so a worker needs no shared folder: in the
 * Redis key `blobKey` (the default), or, up to JOB_INLINE_MAX_BYTES, in `content` as a latin1
 * string (one character per byte, so any bytes survive JSON). `name` is the file's name in
 * the batch's spool folder and keys its outcome.
 */
export const SpooledFile = DroppedFileJob.extend({
  name: z.string().min(1),
  content: z.string().optional(),
  blobKey: z.string().optional(),
  claimFailure: ClaimFailure.optional(),
  /** A kept original read again (`reprocess`): the `_id` of the document it was a version of. */
  previousId: z.string().min(1).optional(),
});
export type SpooledFile = z.infer<typeof SpooledFile>;

/** The spool a batch was claimed into: its owner finishes the files from the job's outcome. */
export const SpoolRef = z.object({ id: z.string().min(1), host: z.string() });
export type SpoolRef = z.infer<typeof SpoolRef>;

export const CableBatchJob = z.object({
  spool: SpoolRef,
  batch: z.string().min(1),
  files: z.array(SpooledFile).min(1),
});
export type CableBatchJob = z.infer<typeof CableBatchJob>;

/** Each file's fate once known: what the owner acts on. */
export const FileOutcome = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('indexed'), cableId: z.string() }),
  z.object({
    outcome: z.literal('dead_lettered'),
    code: z.enum(REASON_CODES),
    message: z.string(),
  }),
]);
export type FileOutcome = z.infer<typeof FileOutcome>;

/**
 * Outcomes by file name. Saved as the job's progress while some files wait for a retry (a retried
 * batch redoes only its unfinished files), and returned when every file's fate is known.
 */
export const BatchOutcomes = z.object({
  outcomes: z.record(z.string(), FileOutcome),
  /** When the batch first met a failure (BullMQ's processedOn is reset at every attempt). */
  firstFailedAt: z.iso.datetime().optional(),
});
export type BatchOutcomes = z.infer<typeof BatchOutcomes>;

export const DeadLetterEntry = z.object({
  /** The file (its original path in the inbox); no content: it left Redis with the job. */
  job: DroppedFileJob,
  /** The spool that holds the original in its failed area (null for entries of older versions). */
  spool: SpoolRef.nullable().default(null),
  stage: z.enum(STAGES),
  code: z.enum(REASON_CODES),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string(), code: z.string() })),
  attempts: z.number().int().nonnegative(),
  firstFailedAt: z.iso.datetime(),
  deadLetteredAt: z.iso.datetime(),
  host: z.string(),
  parserVersion: z.string(),
  /** The last transient code when the reason is retries_exhausted. */
  causeCode: z.enum(REASON_CODES).nullable(),
});
export type DeadLetterEntry = z.infer<typeof DeadLetterEntry>;
