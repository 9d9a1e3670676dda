import Fastify, { type FastifyInstance } from 'fastify';

export interface OpsServerDeps {
  /** Which roles run in this process, for the health answer. */
  roles: string[];
}

/** The ops HTTP server: built apart from listening (fastify's build/listen split) so tests can inject. */
export function buildOpsServer(deps: OpsServerDeps): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get('/healthz', async () => ({ status: 'ok', roles: deps.roles, pid: process.pid, uptime_s: Math.round(process.uptime()) }));
  return app;
}
