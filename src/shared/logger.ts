import { pino, type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger };

/** The root logger; roles take `.child({ module })`. Logs go to stderr so stdout stays for data. */
export function createLogger(config: Pick<Config, 'logLevel'>, name = 'cable-ingest'): Logger {
  return pino({ name, level: config.logLevel, base: { pid: process.pid } }, pino.destination(2));
}
