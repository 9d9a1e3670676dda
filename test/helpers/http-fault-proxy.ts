import {
  createServer,
  request,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';

/**
 * A loopback HTTP proxy in front of a real Elasticsearch node, for fault tests that need one kind
 * of request to fail while every other reaches the node unchanged (the toxiproxy idea, one layer
 * up from tcp-proxy.ts). `fault` sees each request; when it returns an answer, that answer is sent
 * instead of forwarding.
 */
export interface HttpFaultProxy {
  url: string;
  fault: ((req: { method: string; path: string }) => { status: number; body: unknown } | null) | null;
  close(): Promise<void>;
}

/** A request passed on to `to` as it came (with these headers), and the answer passed back. */
export function forward(to: URL, req: IncomingMessage, res: ServerResponse, headers: IncomingHttpHeaders): void {
  const upstream = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  upstream.on('error', () => res.destroy());
  req.pipe(upstream);
}

export async function startHttpFaultProxy(target: string): Promise<HttpFaultProxy> {
  const to = new URL(target);
  const proxy: HttpFaultProxy = { url: '', fault: null, close: async () => undefined };
  const server: Server = createServer((req: IncomingMessage, res) => {
    const answer = proxy.fault?.({ method: req.method ?? 'GET', path: req.url ?? '/' }) ?? null;
    if (answer) {
      req.resume();
      res.writeHead(answer.status, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
      res.end(JSON.stringify(answer.body));
      return;
    }
    forward(to, req, res, req.headers);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  proxy.url = `http://127.0.0.1:${port}`;
  proxy.close = () => new Promise<void>((r) => server.close(() => r()));
  return proxy;
}
