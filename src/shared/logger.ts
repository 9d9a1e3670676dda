import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from './config.js';

export type { Logger };

/**
 * The root logger; roles take `.child({ module })`. Logs go to stderr so stdout stays for data:
 * readable lines on a terminal, JSON lines otherwise (LOG_FORMAT forces either).
 */
export function createLogger(
  config: Pick<Config, 'logLevel'> & Partial<Pick<Config, 'logFormat'>>,
  name = 'cable-ingest',
): Logger {
  const format = config.logFormat ?? 'auto';
  const readable = format === 'pretty' || (format === 'auto' && process.stderr.isTTY === true);
  const options = { name, level: config.logLevel, base: { pid: process.pid } };
  // In this thread and synchronous (no transport worker): a line logged just before exit is not lost.
  if (readable)
    return pino(
      options,
      pretty({ destination: 2, sync: true, colorize: process.stderr.isTTY === true, translateTime: 'SYS:HH:MM:ss.l' }),
    );
  return pino(options, pino.destination(2));
}
