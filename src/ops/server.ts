import Fastify, { type FastifyInstance } from 'fastify';

export type CheckResult = { ok: boolean; detail?: string };
export type HealthCheck = () => Promise<CheckResult>;

export interface OpsServerDeps {
  /** Which roles run in this process, for the health answer. */
  roles: string[];
  /** Named readiness checks (Redis, Elasticsearch, the worker consuming). */
  checks: Record<string, HealthCheck>;
}

async function withTimeout(check: HealthCheck, ms: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${ms} ms` }), ms);
  });
  try {
    return await Promise.race([check().catch((err: unknown) => ({ ok: false, detail: (err as Error).message })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The ops HTTP server, built apart from listening (fastify's build/listen split) so tests can
 * inject. `/healthz`: the process lives. `/readyz`: every check passes (503 otherwise, naming the
 * failing one) — Redis and Elasticsearch answer and the worker is consuming, not just connected.
 */
export function buildOpsServer(deps: OpsServerDeps): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get('/healthz', async () => ({ status: 'ok', roles: deps.roles, pid: process.pid, uptime_s: Math.round(process.uptime()) }));
  app.get('/readyz', async (_req, reply) => {
    const names = Object.keys(deps.checks);
    const results = await Promise.all(names.map((n) => withTimeout(deps.checks[n]!, 2_000)));
    const checks = Object.fromEntries(names.map((n, i) => [n, results[i]!]));
    const ready = results.every((r) => r.ok);
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks });
  });
  return app;
}
