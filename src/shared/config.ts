import { homedir } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
import * as z from 'zod';
import { ConfigError } from './errors.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The whole configuration: one schema over the environment. Nothing else reads process.env. */
const Env = z.object({
  INBOX_DIR: z.string().min(1).default('./inbox'),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  ELASTICSEARCH_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  ELASTICSEARCH_INDEX: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_.-]*$/, 'must be a lower-case Elasticsearch index name')
    .default('cables'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]+$/, 'must be letters, digits, or _ . : -')
    .default('cable-ingest'),
  SPOOL_DIR: z.string().min(1).optional(),
  FINISHED_FILES: z.enum(['keep', 'delete']).default('keep'),
  QUEUE_HIGH_WATER_FILES: z.coerce.number().int().min(1).default(10_000),
  QUEUE_HIGH_WATER_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(128 * 1024 * 1024),
  BATCH_MAX_FILES: z.coerce.number().int().min(1).max(1_000).default(32),
  JOB_INLINE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .default(256 * 1024),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(4096).default(16),
  WORKER_LOCK_MS: z.coerce.number().int().min(1_000).default(15_000),
  WORKER_MAX_STALLED: z.coerce.number().int().min(0).default(2),
  OPS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  OPS_HOST: z.string().min(1).default('127.0.0.1'),
  OPS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** `auto`: readable lines on a terminal, JSON lines otherwise (files, collectors). */
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  MAX_FILE_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(5 * 1024 * 1024),
  WATCH_POLLING: z.stringbool().default(false),
  WATCH_STABILITY_MS: z.coerce.number().int().min(0).default(300),
  RESCAN_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
  BULK_MAX_DOCS: z.coerce.number().int().min(1).default(500),
  BULK_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(5 * 1024 * 1024),
  BULK_FLUSH_MS: z.coerce.number().int().min(0).default(20),
  BULK_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(64).default(1),
  CABLE_INGEST_HOME: z.string().min(1).optional(),
  /**
   * The local stack's Elasticsearch (no ELASTICSEARCH_URL): which version of the minimal distribution,
   * on which port.
   */
  LOCAL_ELASTICSEARCH_VERSION: z
    .string()
    .regex(/^(8|9)\.\d+\.\d+$/, 'must be an 8.x or 9.x version such as 8.19.21 or 9.2.0')
    .default('8.19.21'),
  LOCAL_ELASTICSEARCH_PORT: z.coerce.number().int().min(1).max(65435).default(9200),
  KIBANA_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .default('http://127.0.0.1:5601'),
});

export interface Config {
  /** The landing zone: holds only files not yet claimed. */
  readonly inboxDir: string;
  /** Claimed files, and the done and failed areas; same file system as the inbox, outside it. */
  readonly spoolDir: string;
  /** What the owner does with an indexed original: keep it under spool/done/<date>/, or delete it. */
  readonly finishedFiles: 'keep' | 'delete';
  /** The watcher stops claiming while it has this many files (or bytes) queued and not finished. */
  readonly highWater: { readonly files: number; readonly bytes: number };
  /** Files one job may carry while there is a backlog (at a trickle, one file per job). */
  readonly batchMaxFiles: number;
  /** Larger files travel as a Redis key the job names, not inside the job. */
  readonly jobInlineMaxBytes: number;
  /** Unset means: bring up (or find) the local stack. */
  readonly redisUrl: string | undefined;
  readonly elasticsearchUrl: string | undefined;
  /** The alias analysts query; documents live in versioned indices behind it. */
  readonly indexAlias: string;
  readonly queuePrefix: string;
  readonly workerConcurrency: number;
  /** A dead worker's jobs are taken over once their lock lapses; a job stalled more often than this fails. */
  readonly workerLock: { readonly ms: number; readonly maxStalled: number };
  readonly opsPort: number;
  readonly opsHost: string;
  /** Bearer token for state changes through the ops server when it listens beyond loopback. */
  readonly opsToken: string | undefined;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly logFormat: 'auto' | 'json' | 'pretty';
  readonly maxFileBytes: number;
  readonly watchPolling: boolean;
  readonly watchStabilityMs: number;
  /** How often the watcher walks the inbox for files its events missed (0: never). */
  readonly rescanIntervalMs: number;
  readonly bulk: {
    readonly maxDocs: number;
    readonly maxBytes: number;
    readonly flushMs: number;
    readonly maxInFlight: number;
  };
  /** Cache folder for the local stack (Elasticsearch download, data, Redis data): outside the clone. */
  readonly stackHome: string;
  /** The local stack's Elasticsearch when none is configured. */
  readonly localElasticsearch: { version: string; port: number };
  /** Where `cable-ingest kibana import` sends the saved objects. */
  readonly kibanaUrl: string;
}

/**
 * Outside the clone, so a fresh clone (as CI makes) reuses the download and data. As root it is
 * /var/cache/cable-ingest: the unprivileged Elasticsearch user cannot reach into /root.
 */
export function defaultStackHome(env: NodeJS.ProcessEnv = process.env): string {
  if (typeof process.getuid === 'function' && process.getuid() === 0) return '/var/cache/cable-ingest';
  const xdg = env['XDG_CACHE_HOME'];
  return join(xdg && xdg.length > 0 ? xdg : join(homedir(), '.cache'), 'cable-ingest');
}

/** Parse the environment once; fail with every problem listed, named by its variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(environment)'}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const inboxDir = resolve(e.INBOX_DIR);
  // Beside the inbox by default, so that claiming is a rename on the same file system.
  const spoolDir = resolve(e.SPOOL_DIR ?? join(dirname(inboxDir), `${basename(inboxDir)}.spool`));
  const inside = (a: string, b: string): boolean => a === b || a.startsWith(`${b}${sep}`);
  if (inside(spoolDir, inboxDir) || inside(inboxDir, spoolDir)) {
    throw new ConfigError(
      `invalid configuration:\n  SPOOL_DIR: must lie outside INBOX_DIR (${inboxDir}) and not contain it, or finished files would be claimed again`,
    );
  }
  return Object.freeze({
    inboxDir,
    spoolDir,
    finishedFiles: e.FINISHED_FILES,
    highWater: Object.freeze({ files: e.QUEUE_HIGH_WATER_FILES, bytes: e.QUEUE_HIGH_WATER_BYTES }),
    batchMaxFiles: e.BATCH_MAX_FILES,
    jobInlineMaxBytes: e.JOB_INLINE_MAX_BYTES,
    redisUrl: e.REDIS_URL,
    elasticsearchUrl: e.ELASTICSEARCH_URL,
    indexAlias: e.ELASTICSEARCH_INDEX,
    queuePrefix: e.QUEUE_PREFIX,
    workerConcurrency: e.WORKER_CONCURRENCY,
    workerLock: Object.freeze({ ms: e.WORKER_LOCK_MS, maxStalled: e.WORKER_MAX_STALLED }),
    opsPort: e.OPS_PORT,
    opsHost: e.OPS_HOST,
    opsToken: e.OPS_TOKEN,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    maxFileBytes: e.MAX_FILE_BYTES,
    watchPolling: e.WATCH_POLLING,
    watchStabilityMs: e.WATCH_STABILITY_MS,
    rescanIntervalMs: e.RESCAN_INTERVAL_MS,
    bulk: Object.freeze({
      maxDocs: e.BULK_MAX_DOCS,
      maxBytes: e.BULK_MAX_BYTES,
      flushMs: e.BULK_FLUSH_MS,
      maxInFlight: e.BULK_MAX_IN_FLIGHT,
    }),
    stackHome: e.CABLE_INGEST_HOME ?? defaultStackHome(env),
    localElasticsearch: { version: e.LOCAL_ELASTICSEARCH_VERSION, port: e.LOCAL_ELASTICSEARCH_PORT },
    kibanaUrl: e.KIBANA_URL,
  });
}

/** The configuration once the services are known (after the local stack is up, if it was needed). */
export interface ServiceConfig extends Config {
  readonly redisUrl: string;
  readonly elasticsearchUrl: string;
}

export function withServices(config: Config, redisUrl: string, elasticsearchUrl: string): ServiceConfig {
  return Object.freeze({ ...config, redisUrl, elasticsearchUrl });
}
