import { inspect } from 'node:util';

/**
 * A credential held so that it cannot be printed by accident: JSON, `util.inspect` (what pino and
 * console use), string conversion and template literals all show `[redacted]`. Only the code that
 * hands it to a client calls `reveal()`.
 */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toJSON(): string {
    return '[redacted]';
  }
  toString(): string {
    return '[redacted]';
  }
  [inspect.custom](): string {
    return '[redacted]';
  }
}
