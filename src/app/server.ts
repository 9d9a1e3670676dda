import { timingSafeEqual } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

export type CheckResult = { ok: boolean; detail?: string };
export type HealthCheck = () => Promise<CheckResult>;

export interface OpsServerDeps {
  /** Which roles run in this process, for the health answer. */
  roles: string[];
  /** Named readiness checks (Redis, Elasticsearch, the worker consuming). */
  checks: Record<string, HealthCheck>;
  /** The main and dead-letter queues, for the dashboard. */
  queues?: Queue[];
  registry?: Registry;
  /** Where the server listens: beyond loopback, state changes need the token. */
  host: string;
  token?: string | undefined;
}

/** What orchestrators and Prometheus need, and holds no cable text. */
const OPEN_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || host.startsWith('127.');
}

async function withTimeout(check: HealthCheck, ms: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${ms} ms` }), ms);
  });
  try {
    return await Promise.race([
      check().catch((err: unknown) => ({ ok: false, detail: (err as Error).message })),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '');
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

/**
 * The ops HTTP server, built apart from listening (fastify's build/listen split) so tests can
 * inject. `/healthz`: the process lives. `/readyz`: every check passes (503 otherwise, naming the
 * failing one). `/metrics`: Prometheus. `/queues`: the Bull Board dashboard for both queues.
 * Jobs carry cable text, classified material: whenever the server listens beyond loopback, every
 * route but the probes (`/healthz`, `/readyz`, `/metrics`) needs `Authorization: Bearer
 * <OPS_TOKEN>`, the dashboard and its API included, and is refused (403) with no token configured.
 */
export async function buildOpsServer(deps: OpsServerDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  const guarded = !isLoopback(deps.host);
  app.addHook('onRequest', async (req, reply) => {
    if (!guarded || OPEN_ROUTES.has(req.url.split('?')[0]!)) return;
    if (!deps.token)
      return reply
        .code(403)
        .send({ error: 'beyond loopback, only /healthz, /readyz and /metrics answer without OPS_TOKEN' });
    if (!tokenMatches(req.headers.authorization, deps.token))
      return reply.code(401).send({ error: 'a valid bearer token (OPS_TOKEN) is needed' });
  });
  app.get('/healthz', async () => ({
    status: 'ok',
    roles: deps.roles,
    pid: process.pid,
    uptime_s: Math.round(process.uptime()),
  }));
  app.get('/readyz', async (_req, reply) => {
    const names = Object.keys(deps.checks);
    const results = await Promise.all(names.map((n) => withTimeout(deps.checks[n]!, 2_000)));
    const checks = Object.fromEntries(names.map((n, i) => [n, results[i]!]));
    const ready = results.every((r) => r.ok);
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks });
  });
  if (deps.registry) {
    const registry = deps.registry;
    app.get('/metrics', async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));
  }
  if (deps.queues && deps.queues.length > 0) {
    const board = new FastifyAdapter();
    board.setBasePath('/queues');
    createBullBoard({
      queues: deps.queues.map((q) => new BullMQAdapter(q)),
      serverAdapter: board,
      options: { uiConfig: { boardTitle: 'cable-ingest' } },
    });
    await app.register(board.registerPlugin(), { prefix: '/queues' });
  }
  return app;
}
