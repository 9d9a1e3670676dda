import type { Client } from '@elastic/elasticsearch';
import type { Logger } from './logger.js';
import { withServices, type Config, type RedisTarget, type ServiceConfig } from './config.js';
import { createEsClient } from './elasticsearch/client.js';
import { createRedis, redisAnswers, type RedisClient } from './redis.js';

/** Where the local stack (`npm start`, `npm test`, `cable-ingest stack up`) serves, when nothing else is configured. */
export const LOCAL_REDIS = { host: '127.0.0.1', port: 6379 } as const;
export const LOCAL_ES_HOST = '127.0.0.1';

/**
 * The one place every command learns where the services are: REDIS_URL and ELASTICSEARCH_URL
 * when set, else where the local stack listens. Nothing is started or installed here: bringing up
 * a local stack is `cable-ingest stack up`'s alone (tools/stack), which `npm start` and `npm test`
 * run first.
 */
export function serviceAddresses(config: Config): ServiceConfig {
  return withServices(
    config,
    config.redis ?? `redis://${LOCAL_REDIS.host}:${LOCAL_REDIS.port}`,
    config.elasticsearchUrl ?? `http://${LOCAL_ES_HOST}:${config.localElasticsearch.port}`,
  );
}

/** A service URL as it may be shown: without the user and password it may carry. */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = '';
      u.password = '';
    }
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(an unparseable URL)';
  }
}

/** Where Redis is, as it may be shown: never a password. */
export function shownRedis(target: RedisTarget): string {
  const list = (hs: readonly { host: string; port: number }[]): string =>
    hs.map((h) => `${h.host}:${h.port}`).join(',');
  switch (target.kind) {
    case 'server':
      return `Redis at ${shownUrl(target.url)}`;
    case 'sentinel':
      return `Redis master "${target.name}" of the sentinels ${list(target.sentinels)}`;
    case 'cluster':
      return `Redis Cluster at ${list(target.nodes)}`;
  }
}

/**
 * Whether both services answer, each said in one line when not: a process that starts roles
 * checks this first, so that a service that is not there is named at once (with where it was
 * looked for and how to bring up a local one) instead of surfacing as a hang or a stack trace.
 */
export async function servicesAnswer(conn: Connections): Promise<string[]> {
  const problems: string[] = [];
  try {
    await conn.es.cluster.health({}, { requestTimeout: 5_000, maxRetries: 0 });
  } catch (err) {
    const at = `Elasticsearch at ${shownUrl(conn.config.elasticsearchUrl)}`;
    const status = (err as { meta?: { statusCode?: number } }).meta?.statusCode;
    const said = describeError(err);
    const http = conn.config.elasticsearchUrl.split(',').some((u) => u.trim().startsWith('http://'));
    problems.push(
      status === 401 || status === 403
        ? `${at} refuses the credential (HTTP ${status}): check the user and password or key it is given`
        : /certificate|self[- ]signed|fingerprint|SSL|TLS/i.test(said)
          ? `${at}: its certificate is not trusted (${said}): check ELASTICSEARCH_CA_CERT or ELASTICSEARCH_CA_FINGERPRINT`
          : `${at} does not answer (${said}): start it (npm run stack:up) or set ELASTICSEARCH_URL${http ? ' (a node that serves HTTPS needs an https:// URL)' : ''}`,
    );
  }
  if (!(await redisAnswers(conn.config.redis)))
    problems.push(
      `${shownRedis(conn.config.redis)} does not answer: start it (npm run stack:up) or set REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES`,
    );
  return problems;
}

function describeError(err: unknown): string {
  const e = err as { meta?: { statusCode?: number }; message?: string };
  if (e.meta?.statusCode) return `HTTP ${e.meta.statusCode}`;
  return (e.message ?? String(err)).split('\n')[0]!.slice(0, 200);
}

/**
 * A process's connections: one Elasticsearch client and one Redis connection for commands, shared
 * by every role and command in the process (queues, producers, blobs, health, metrics). BullMQ's
 * blocking readers (a Worker's fetch loop, QueueEvents' stream) each need a connection of their own,
 * which `blocking()` makes and `close()` closes.
 */
export interface Connections {
  readonly config: ServiceConfig;
  readonly es: Client;
  readonly redis: RedisClient;
  blocking(): RedisClient;
  close(): Promise<void>;
}

export function connect(config: ServiceConfig, log?: Logger): Connections {
  const es = createEsClient(config);
  // While Redis is away each connection errors on every reconnect attempt: one line per ten seconds says so.
  let lastSaid = 0;
  const onError = (err: Error): void => {
    if (Date.now() - lastSaid < 10_000) return;
    lastSaid = Date.now();
    log?.warn(
      { err: { message: err.message }, redis: shownRedis(config.redis) },
      'Redis connection error (reconnecting)',
    );
  };
  const redis = createRedis(config.redis, 'producer', onError);
  const blockers: RedisClient[] = [];
  return {
    config,
    es,
    redis,
    blocking() {
      const r = createRedis(config.redis, 'worker', onError);
      blockers.push(r);
      return r;
    },
    async close() {
      for (const r of blockers) r.disconnect();
      redis.disconnect();
      await es.close();
    },
  };
}
