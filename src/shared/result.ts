import type { Failure } from './errors.js';

/** Stage results are values: a stage either produced its output or says why not. */
export type Result<T> = { ok: true; value: T } | { ok: false; failure: Failure };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(failure: Failure): Result<T> {
  return { ok: false, failure };
}
