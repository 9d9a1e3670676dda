import type { AddressInfo } from 'node:net';
import type { ServiceConfig } from '#shared/config.js';
import { connect, servicesAnswer, type Connections } from '#shared/connections.js';
import type { Logger } from '#shared/logger.js';
import { setHeapGrowth } from '#shared/heap.js';
import { createMetrics } from '#shared/metrics.js';
import { createQueue, QUEUE } from '#shared/queues.js';
import { startWatcher, type WatcherHandle, type WatcherHooks } from '../watcher/main.js';
import { startWorkers, type WorkerHandle } from '../workers/main.js';
import { buildOpsServer, type HealthCheck } from './server.js';

export type Role = 'watcher' | 'worker';

/** A service the roles need does not answer at start: each line names one. */
export class ServiceUnavailable extends Error {
  override readonly name = 'ServiceUnavailable';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

export interface Running {
  opsUrl: string;
  stop(): Promise<void>;
}

/**
 * Start the given roles and the ops server in this process, over one set of connections
 * (connections.ts). It starts no service and installs nothing: the services are where `config`
 * says. Shutdown order: stop intake (watcher), finish in-flight jobs and flush the bulk buffer
 * (workers), close the ops server, then the connections.
 */
export async function runRoles(
  config: ServiceConfig,
  roles: Role[],
  log: Logger,
  hooks: WatcherHooks = {},
): Promise<Running> {
  let workers: WorkerHandle | null = null;
  let watcher: WatcherHandle | null = null;
  setHeapGrowth(config.heapGrowingPercent);
  if (!config.elasticsearchTls.verify)
    log.warn(
      'ELASTICSEARCH_TLS_VERIFY=false: the Elasticsearch certificate is not verified (anyone in between can read and change what is sent)',
    );
  const conn = connect(config, log);
  const metrics = createMetrics();
  const problems = await servicesAnswer(conn);
  if (problems.length > 0) {
    await conn.close();
    throw new ServiceUnavailable(problems);
  }
  try {
    if (roles.includes('worker')) workers = await startWorkers(conn, log, {}, metrics);
    if (roles.includes('watcher')) watcher = await startWatcher(conn, log, hooks, metrics);
  } catch (err) {
    await workers?.close();
    await conn.close();
    throw err;
  }
  const queues = [
    createQueue(QUEUE.cables, conn.redis, config.queuePrefix),
    createQueue(QUEUE.deadLetter, conn.redis, config.queuePrefix),
  ];
  metrics.watchQueues(...queues);
  const ops = await buildOpsServer({
    roles,
    checks: readinessChecks(conn, workers, watcher),
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
      for (const q of queues) await q.close();
      await conn.close();
    },
  };
}

/** Readiness: Redis and Elasticsearch answer; a worker is running and not held by an outage. */
function readinessChecks(
  conn: Connections,
  workers: WorkerHandle | null,
  watcher: WatcherHandle | null,
): Record<string, HealthCheck> {
  const checks: Record<string, HealthCheck> = {
    redis: async () => ({ ok: (await conn.redis.ping()) === 'PONG' }),
    elasticsearch: async () => {
      const h = await conn.es.cluster.health({ timeout: '2s' }, { requestTimeout: 2_000 });
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
  if (watcher)
    checks['watcher'] = async () => {
      const held = watcher.intake.held();
      return held
        ? { ok: false, detail: `claiming paused by ${held.code} since ${held.since}` }
        : { ok: true, detail: 'watching' };
    };
  return checks;
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
