import { identityOfNormalised, normalisedText } from '#shared/text.js';
import type { ReferenceData } from '#shared/reference/types.js';
import type { Result } from '#shared/result.js';
import { fail, ok } from '#shared/result.js';
import type { CableDocument, DroppedFile } from '#shared/stages.js';
import { enrichCable } from './stages/enrich/index.js';
import { parseCable, PARSER_VERSION } from './stages/parse/index.js';
import { readCable } from './stages/read.js';
import { validateCable } from './stages/validate.js';

export interface StageTimings {
  read: number;
  parse: number;
  enrich: number;
}

/**
 * read -> parse -> validate -> enrich, stopping at the first failure: a pure function of the bytes
 * and the reference data. The index stage is separate because it batches across jobs
 * (BulkIndexer). Used by the worker and by `cable-ingest parse`.
 */
export function documentFromBytes(
  file: DroppedFile,
  bytes: Buffer,
  ref: ReferenceData,
  maxBytes: number,
  now: () => Date = () => new Date(),
  timings?: StageTimings,
): Result<CableDocument> {
  let t = performance.now();
  const raw = readCable(file, bytes, maxBytes);
  if (timings) timings.read = performance.now() - t;
  if (!raw.ok) return raw;
  t = performance.now();
  // The text, normalised once (shared/text.ts): its identity and what the parser reads.
  const text = normalisedText(raw.value.text);
  const parsed = parseCable(text, { knownTags: ref.knownTags, knownStations: ref.stations });
  if (!parsed.ok) return fail(parsed.failure);
  const valid = validateCable(parsed.value);
  if (timings) timings.parse = performance.now() - t;
  if (!valid.ok) return valid;
  t = performance.now();
  const doc = enrichCable(valid.value, ref, {
    file: raw.value.file,
    charset: raw.value.charset,
    ingestedAt: now().toISOString(),
    parserVersion: PARSER_VERSION,
    text: identityOfNormalised(text),
  });
  if (timings) timings.enrich = performance.now() - t;
  return ok(doc);
}
