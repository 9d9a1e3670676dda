import type { AddressInfo } from 'node:net';
import { withServices, type Config, type ServiceConfig } from '../shared/config.js';
import type { Logger } from '../shared/logger.js';
import { startWatcher, type WatcherHandle, type WatcherHooks } from '../watcher/main.js';
import { startWorkers, type WorkerHandle } from '../workers/main.js';
import type { Client } from '@elastic/elasticsearch';
import type { Redis } from 'ioredis';
import { createEsClient } from '../shared/elasticsearch/client.js';
import { createMetrics } from '../shared/metrics.js';
import { createQueue, QUEUE } from '../shared/queues.js';
import { createRedis } from '../shared/redis.js';
import { buildOpsServer, type HealthCheck } from './server.js';
import { describeStack, stackUp } from './stack/index.js';

export type Role = 'watcher' | 'worker';

/** REDIS_URL / ELASTICSEARCH_URL when set; otherwise the local stack, brought up first. */
export async function resolveServices(config: Config, log: Logger): Promise<ServiceConfig> {
  const stack = await stackUp(config);
  log.info({ redis: stack.redis.url, elasticsearch: stack.elasticsearch.url }, 'services ready');
  if (stack.redis.source === 'started' || stack.elasticsearch.source === 'started')
    process.stderr.write(`${describeStack(stack)}\n`);
  return withServices(config, stack.redis.url, stack.elasticsearch.url);
}

export interface Running {
  opsUrl: string;
  stop(): Promise<void>;
}

/**
 * Start the given roles and the ops server in this process. Shutdown order: stop intake (watcher),
 * finish in-flight jobs and flush the bulk buffer (workers), then close the ops server.
 */
export async function runRoles(
  config: ServiceConfig,
  roles: Role[],
  log: Logger,
  hooks: WatcherHooks = {},
): Promise<Running> {
  let workers: WorkerHandle | null = null;
  let watcher: WatcherHandle | null = null;
  const metrics = createMetrics();
  if (roles.includes('worker')) workers = await startWorkers(config, log, {}, metrics);
  if (roles.includes('watcher')) watcher = await startWatcher(config, log, hooks, metrics);
  const readiness = readinessChecks(config, workers, watcher);
  const opsRedis = createRedis(config.redisUrl, 'producer');
  const queues = [
    createQueue(QUEUE.cables, opsRedis, config.queuePrefix),
    createQueue(QUEUE.deadLetter, opsRedis, config.queuePrefix),
  ];
  metrics.watchQueues(...queues);
  const ops = await buildOpsServer({
    roles,
    checks: readiness.checks,
    queues,
    registry: metrics.registry,
    host: config.opsHost,
    token: config.opsToken,
  });
  await ops.listen({ port: config.opsPort, host: config.opsHost });
  const addr = ops.server.address() as AddressInfo;
  const opsUrl = `http://${config.opsHost}:${addr.port}`;
  log.info({ ops: opsUrl, roles }, 'cable-ingest running');
  process.stderr.write(
    `cable-ingest: ${roles.join(' + ')} running; inbox ${config.inboxDir}; ops ${opsUrl} (/healthz /readyz /metrics /queues)\n`,
  );
  return {
    opsUrl,
    async stop() {
      await watcher?.close();
      await workers?.close();
      await ops.close();
      await readiness.close();
      for (const q of queues) await q.close();
      opsRedis.disconnect();
    },
  };
}

/** Readiness: Redis and Elasticsearch answer; a worker is running and not held by an outage. */
function readinessChecks(
  config: ServiceConfig,
  workers: WorkerHandle | null,
  watcher: WatcherHandle | null,
): { checks: Record<string, HealthCheck>; close: () => Promise<void> } {
  const redis: Redis = createRedis(config.redisUrl, 'producer');
  const es: Client = createEsClient(config.elasticsearchUrl);
  const checks: Record<string, HealthCheck> = {
    redis: async () => ({ ok: (await redis.ping()) === 'PONG' }),
    elasticsearch: async () => {
      const h = await es.cluster.health({ timeout: '2s' }, { requestTimeout: 2_000 });
      return { ok: h.status !== 'red', detail: h.status };
    },
  };
  if (workers) {
    checks['worker'] = async () => {
      const o = workers.outage.status();
      if (!workers.worker.isRunning()) return { ok: false, detail: 'not consuming' };
      return o.outage
        ? { ok: false, detail: `paused by ${o.code} since ${o.since}` }
        : { ok: true, detail: 'consuming' };
    };
  }
  if (watcher) checks['watcher'] = async () => ({ ok: true, detail: 'watching' });
  return {
    checks,
    async close() {
      redis.disconnect();
      await es.close();
    },
  };
}

/** SIGTERM / SIGINT: graceful stop; a second signal exits at once. */
export function stopOnSignals(running: Running, log: Logger): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(130);
    }
    stopping = true;
    log.info({ signal }, 'stopping: finishing in-flight jobs');
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
