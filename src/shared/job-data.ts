import * as z from 'zod';
import { REASON_CODES, STAGES } from './errors.js';

/**
 * What crosses Redis. Job data is untrusted JSON written by another process (or an older
 * version): it is parsed with these schemas, never cast.
 */
export const DroppedFileJob = z.object({
  path: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().nonnegative(),
  detectedAt: z.iso.datetime(),
});
export type DroppedFileJob = z.infer<typeof DroppedFileJob>;

export const DeadLetterEntry = z.object({
  job: DroppedFileJob,
  stage: z.enum(STAGES),
  code: z.enum(REASON_CODES as [string, ...string[]]),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string(), code: z.string() })),
  attempts: z.number().int().nonnegative(),
  firstFailedAt: z.iso.datetime(),
  deadLetteredAt: z.iso.datetime(),
  host: z.string(),
  parserVersion: z.string(),
  /** The last transient code when the reason is retries_exhausted. */
  causeCode: z.string().nullable(),
});
export type DeadLetterEntry = z.infer<typeof DeadLetterEntry>;
