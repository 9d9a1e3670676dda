import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
import * as z from 'zod';
import { ConfigError } from './errors.js';
import { Secret } from './secret.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const hostPortList = z
  .string()
  .refine(
    (v) => v.split(',').every((a) => /^[^\s,:]+:\d{1,5}$/.test(a.trim())),
    'must be host:port, or several separated by commas',
  );

/** The whole configuration: one schema over the environment. Nothing else reads process.env. */
/** The cables index's `refresh_interval` unless ELASTICSEARCH_REFRESH_INTERVAL says otherwise. */
export const DEFAULT_REFRESH_INTERVAL = '500ms';

const Env = z.object({
  INBOX_DIR: z.string().min(1).default('./inbox'),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  /** Redis under Sentinel: the sentinels (host:port, comma-separated) and the master's name there. */
  REDIS_SENTINELS: hostPortList.optional(),
  REDIS_SENTINEL_NAME: z.string().min(1).default('mymaster'),
  /** Redis Cluster: some of its nodes (host:port, comma-separated); the client finds the rest. */
  REDIS_CLUSTER_NODES: hostPortList.optional(),
  /** Redis's own password (every server of a Sentinel or Cluster set-up); a REDIS_URL may carry it instead. */
  REDIS_USERNAME: z.string().min(1).optional(),
  REDIS_PASSWORD: z.string().min(1).optional(),
  /** The sentinels' password, when they have one (`requirepass` in sentinel.conf). */
  REDIS_SENTINEL_PASSWORD: z.string().min(1).optional(),
  /** One node, or several separated by commas (the client spreads requests over them). */
  ELASTICSEARCH_URL: z
    .string()
    .refine(
      (v) => v.split(',').every((u) => /^https?:\/\/[^\s,]+$/.test(u.trim())),
      'must be an http:// or https:// URL, or several separated by commas',
    )
    .optional(),
  /** Elastic Cloud: the deployment's Cloud ID (`name:base64`), instead of ELASTICSEARCH_URL. */
  ELASTICSEARCH_CLOUD_ID: z
    .string()
    .regex(/^[^:\s]*:[A-Za-z0-9+/=_-]+$/, 'must be a Cloud ID as Elastic Cloud shows it (name:base64)')
    .optional(),
  /** An API key: the encoded form Elasticsearch returns, or `id:api_key`. */
  ELASTICSEARCH_API_KEY: z.string().min(1).optional(),
  ELASTICSEARCH_USERNAME: z.string().min(1).optional(),
  ELASTICSEARCH_PASSWORD: z.string().min(1).optional(),
  /** The CA that signed the cluster's HTTP certificate (a PEM file), or its SHA-256 fingerprint. */
  ELASTICSEARCH_CA_CERT: z.string().min(1).optional(),
  ELASTICSEARCH_CA_FINGERPRINT: z
    .string()
    .regex(/^(?:[0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$/, 'must be a SHA-256 fingerprint (64 hex digits, colons allowed)')
    .optional(),
  /** Certificate verification: on unless said otherwise (then a warning at every start). */
  ELASTICSEARCH_TLS_VERIFY: z.stringbool().default(true),
  /** Replicas of the cables index: `auto` (one on a cluster, none on a single node), or a number. */
  ELASTICSEARCH_REPLICAS: z.union([z.literal('auto'), z.coerce.number().int().min(0).max(10)]).default('auto'),
  /**
   * How the `.english` subfields stem: `auto` (the best the cluster offers: english.ts) or `off` (no
   * stemming: on the minimal distribution, Hunspell costs the node about three times the CPU per cable).
   */
  ENGLISH_STEMMING: z.enum(['auto', 'off']).default('auto'),
  /**
   * How often the cables index makes new writes searchable (`index.refresh_interval`): what a
   * dropped cable waits, at most, after it is written. 500ms keeps drop-to-searchable under a second;
   * against 1s it cost a backfill nothing measurable here (docs/benchmarks.md).
   */
  ELASTICSEARCH_REFRESH_INTERVAL: z
    .string()
    .regex(/^(?:-1|[1-9]\d*(?:ms|s|m))$/, 'must be a time such as 500ms, 1s or 30s (or -1: only on request)')
    .default(DEFAULT_REFRESH_INTERVAL),
  ELASTICSEARCH_INDEX: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_.-]*$/, 'must be a lower-case Elasticsearch index name')
    .default('cables'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:{}-]+$/, 'must be letters, digits, or _ . : - { }')
    .default('cable-ingest'),
  SPOOL_DIR: z.string().min(1).optional(),
  FINISHED_FILES: z.enum(['keep', 'delete']).default('keep'),
  QUEUE_HIGH_WATER_FILES: z.coerce.number().int().min(1).default(10_000),
  QUEUE_HIGH_WATER_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(128 * 1024 * 1024),
  // 64: a job's own cost (BullMQ's scripts and events, one MGET, a batch folder made and removed) is
  // the same whatever it carries, and 64 spent less of it per file than 32 (docs/benchmarks.md).
  BATCH_MAX_FILES: z.coerce.number().int().min(1).max(1_000).default(64),
  // 0: every file's bytes travel as a Redis key of their own (sent with the batch in one MSET,
  // read by the worker in one MGET), not inside the job's JSON: the watcher neither serialises
  // nor transcodes them, and its heap holds no job-sized strings (bench/intake-scale.ts).
  JOB_INLINE_MAX_BYTES: z.coerce.number().int().min(0).default(0),
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
  // 50: a role's old generation may grow by half what a major collection left live before V8
  // marks it again; V8's own factor for a capped heap had the roles marking back to back
  // (src/shared/heap.ts, docs/benchmarks.md). 0 leaves V8's own choice.
  HEAP_GROWING_PERCENT: z.coerce.number().int().min(0).max(400).default(50),
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
  /** The CA of Kibana's HTTPS certificate, when it is not the one ELASTICSEARCH_CA_CERT names. */
  KIBANA_CA_CERT: z.string().min(1).optional(),
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
  /** One server, a Sentinel set-up or a Cluster. Unset means: the local stack's (connections.ts serviceAddresses). */
  readonly redis: RedisTarget | undefined;
  /** One node's URL, or several separated by commas (from ELASTICSEARCH_CLOUD_ID when that is set). */
  readonly elasticsearchUrl: string | undefined;
  /** How the client proves who it is: an API key, a user and password, or nothing (an open node). */
  readonly elasticsearchAuth: EsAuth | null;
  readonly elasticsearchTls: EsTls;
  /** Replicas of the cables and failures indices: `auto` expands 0-1 with the nodes there are. */
  readonly elasticsearchReplicas: 'auto' | number;
  /** `auto`: stem the `.english` subfields as the cluster allows; `off`: analyse them as the exact fields. */
  readonly englishStemming: 'auto' | 'off';
  readonly elasticsearchRefreshInterval: string;
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
  /** V8's `--heap-growing-percent` for the roles' process (src/shared/heap.ts); 0: V8's own. */
  readonly heapGrowingPercent: number;
  /** Cache folder for the local stack (Elasticsearch download, data, Redis data): outside the clone. */
  readonly stackHome: string;
  /** The local stack's Elasticsearch when none is configured. */
  readonly localElasticsearch: { version: string; port: number };
  /** Where `cable-ingest kibana import` sends the saved objects (with the Elasticsearch credential). */
  readonly kibanaUrl: string;
  /** The CA of Kibana's HTTPS: KIBANA_CA_CERT, else ELASTICSEARCH_CA_CERT. */
  readonly kibanaCaCert: string | undefined;
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

export interface HostPort {
  readonly host: string;
  readonly port: number;
}
interface RedisAuth {
  readonly username: string | undefined;
  readonly password: Secret | undefined;
}
/** Where Redis is: one server (REDIS_URL), a master its sentinels name, or a Redis Cluster. */
export type RedisTarget =
  | (RedisAuth & { readonly kind: 'server'; readonly url: string })
  | (RedisAuth & {
      readonly kind: 'sentinel';
      readonly sentinels: readonly HostPort[];
      readonly name: string;
      readonly sentinelPassword: Secret | undefined;
    })
  | (RedisAuth & { readonly kind: 'cluster'; readonly nodes: readonly HostPort[] });

export type EsAuth = { apiKey: Secret } | { username: string; password: Secret };
export interface EsTls {
  readonly caCert: string | undefined;
  readonly caFingerprint: string | undefined;
  readonly verify: boolean;
}

/** Secrets that may also come from a file (`<NAME>_FILE`: Docker and Kubernetes secrets). */
const FILE_SECRETS = [
  'ELASTICSEARCH_API_KEY',
  'ELASTICSEARCH_PASSWORD',
  'REDIS_PASSWORD',
  'REDIS_SENTINEL_PASSWORD',
] as const;

/** A hash tag keeps every key of the queues (and the blobs) in one Redis Cluster slot: BullMQ scripts need it. */
const HASH_TAGGED = /\{[^{}]+\}/;

function redisTarget(e: z.infer<typeof Env>): RedisTarget | undefined {
  const password = e.REDIS_PASSWORD ? new Secret(e.REDIS_PASSWORD) : undefined;
  const auth = { username: e.REDIS_USERNAME, password };
  if (e.REDIS_SENTINELS)
    return {
      kind: 'sentinel',
      sentinels: hostPorts(e.REDIS_SENTINELS),
      name: e.REDIS_SENTINEL_NAME,
      sentinelPassword: e.REDIS_SENTINEL_PASSWORD ? new Secret(e.REDIS_SENTINEL_PASSWORD) : undefined,
      ...auth,
    };
  if (e.REDIS_CLUSTER_NODES) return { kind: 'cluster', nodes: hostPorts(e.REDIS_CLUSTER_NODES), ...auth };
  if (e.REDIS_URL) return { kind: 'server', url: e.REDIS_URL, ...auth };
  return undefined;
}

function hostPorts(list: string): HostPort[] {
  return list.split(',').map((a) => {
    const [host, port] = a.trim().split(':');
    return { host: host!, port: Number(port) };
  });
}

/** The environment with each `<NAME>_FILE` read into `<NAME>`; never both, never an unreadable file. */
function withFileSecrets(env: NodeJS.ProcessEnv): { env: NodeJS.ProcessEnv; problems: string[] } {
  const out = { ...env };
  const problems: string[] = [];
  for (const name of FILE_SECRETS) {
    const file = env[`${name}_FILE`];
    if (file === undefined || file === '') continue;
    if (env[name] !== undefined && env[name] !== '') {
      problems.push(`  ${name}_FILE: set together with ${name}; use one of them`);
      continue;
    }
    try {
      out[name] = readFileSync(file, 'utf8').trim();
    } catch (err) {
      problems.push(`  ${name}_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  return { env: out, problems };
}

function esAuth(e: z.infer<typeof Env>): EsAuth | null {
  if (e.ELASTICSEARCH_API_KEY) return { apiKey: new Secret(e.ELASTICSEARCH_API_KEY) };
  if (e.ELASTICSEARCH_USERNAME && e.ELASTICSEARCH_PASSWORD)
    return { username: e.ELASTICSEARCH_USERNAME, password: new Secret(e.ELASTICSEARCH_PASSWORD) };
  return null;
}

function resolveIf(path: string | undefined): string | undefined {
  return path ? resolve(path) : undefined;
}

/** A Cloud ID's Elasticsearch URL, as Elastic's clients read it: `name:base64(host$es_id$kibana_id)`. */
export function cloudUrl(cloudId: string): string {
  const [host, esId] = Buffer.from(cloudId.slice(cloudId.indexOf(':') + 1), 'base64')
    .toString('utf8')
    .split('$');
  if (!host || !esId)
    throw new ConfigError('invalid configuration:\n  ELASTICSEARCH_CLOUD_ID: does not decode to a host');
  const [name, port] = host.split(':');
  return `https://${esId}.${name}${port ? `:${port}` : ''}`;
}

/** Parse the environment once; fail with every problem listed, named by its variable (never a secret's value). */
export function loadConfig(rawEnv: NodeJS.ProcessEnv = process.env): Config {
  const { env, problems } = withFileSecrets(rawEnv);
  const parsed = Env.superRefine((e, ctx) => {
    for (const p of problems) ctx.addIssue({ code: 'custom', message: p.trim() });
    if (e.ELASTICSEARCH_URL && e.ELASTICSEARCH_CLOUD_ID)
      ctx.addIssue({
        code: 'custom',
        path: ['ELASTICSEARCH_CLOUD_ID'],
        message: 'set together with ELASTICSEARCH_URL; use one',
      });
    if (e.ELASTICSEARCH_API_KEY && (e.ELASTICSEARCH_USERNAME || e.ELASTICSEARCH_PASSWORD))
      ctx.addIssue({
        code: 'custom',
        path: ['ELASTICSEARCH_API_KEY'],
        message: 'set together with a user and password; use one',
      });
    if (Boolean(e.ELASTICSEARCH_USERNAME) !== Boolean(e.ELASTICSEARCH_PASSWORD))
      ctx.addIssue({
        code: 'custom',
        path: [e.ELASTICSEARCH_USERNAME ? 'ELASTICSEARCH_PASSWORD' : 'ELASTICSEARCH_USERNAME'],
        message: 'ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD go together',
      });
    const redisKinds = (['REDIS_URL', 'REDIS_SENTINELS', 'REDIS_CLUSTER_NODES'] as const).filter((k) => e[k]);
    if (redisKinds.length > 1)
      ctx.addIssue({
        code: 'custom',
        path: [redisKinds[1]!],
        message: `set together with ${redisKinds[0]}; use one (a server, sentinels or cluster nodes)`,
      });
    if (e.REDIS_CLUSTER_NODES && env['QUEUE_PREFIX'] !== undefined && !HASH_TAGGED.test(e.QUEUE_PREFIX))
      ctx.addIssue({
        code: 'custom',
        path: ['QUEUE_PREFIX'],
        message: `must hold a hash tag such as {${e.QUEUE_PREFIX}} under Redis Cluster, so that a queue's keys share a slot`,
      });
    if (e.REDIS_SENTINEL_PASSWORD && !e.REDIS_SENTINELS)
      ctx.addIssue({ code: 'custom', path: ['REDIS_SENTINEL_PASSWORD'], message: 'set without REDIS_SENTINELS' });
    if (e.ELASTICSEARCH_CA_CERT && e.ELASTICSEARCH_CA_FINGERPRINT)
      ctx.addIssue({
        code: 'custom',
        path: ['ELASTICSEARCH_CA_FINGERPRINT'],
        message: 'set together with ELASTICSEARCH_CA_CERT; use one',
      });
  }).safeParse(env);
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
    redis: redisTarget(e),
    elasticsearchUrl:
      e.ELASTICSEARCH_URL ?? (e.ELASTICSEARCH_CLOUD_ID ? cloudUrl(e.ELASTICSEARCH_CLOUD_ID) : undefined),
    elasticsearchAuth: esAuth(e),
    elasticsearchTls: Object.freeze({
      caCert: e.ELASTICSEARCH_CA_CERT ? resolve(e.ELASTICSEARCH_CA_CERT) : undefined,
      caFingerprint: e.ELASTICSEARCH_CA_FINGERPRINT,
      verify: e.ELASTICSEARCH_TLS_VERIFY,
    }),
    elasticsearchReplicas: e.ELASTICSEARCH_REPLICAS,
    englishStemming: e.ENGLISH_STEMMING,
    elasticsearchRefreshInterval: e.ELASTICSEARCH_REFRESH_INTERVAL,
    indexAlias: e.ELASTICSEARCH_INDEX,
    // Under Cluster the default prefix takes a hash tag of its own; a prefix set by hand must carry one.
    queuePrefix: e.REDIS_CLUSTER_NODES && !HASH_TAGGED.test(e.QUEUE_PREFIX) ? `{${e.QUEUE_PREFIX}}` : e.QUEUE_PREFIX,
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
    heapGrowingPercent: e.HEAP_GROWING_PERCENT,
    stackHome: e.CABLE_INGEST_HOME ?? defaultStackHome(env),
    localElasticsearch: { version: e.LOCAL_ELASTICSEARCH_VERSION, port: e.LOCAL_ELASTICSEARCH_PORT },
    kibanaUrl: e.KIBANA_URL,
    kibanaCaCert: resolveIf(e.KIBANA_CA_CERT ?? e.ELASTICSEARCH_CA_CERT),
  });
}

/** The configuration once the services are known (after the local stack is up, if it was needed). */
export interface ServiceConfig extends Config {
  readonly redis: RedisTarget;
  readonly elasticsearchUrl: string;
}

/** `redis` as a target, or a server's URL. */
export function withServices(config: Config, redis: RedisTarget | string, elasticsearchUrl: string): ServiceConfig {
  const target: RedisTarget =
    typeof redis === 'string' ? { kind: 'server', url: redis, username: undefined, password: undefined } : redis;
  return Object.freeze({ ...config, redis: target, elasticsearchUrl });
}
