import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forward } from './http-fault-proxy.js';
import { makeCertificates } from '../../tools/stack/secured-node.js';

/**
 * The TLS front for the API-key tests (issue #28). API keys live in Elasticsearch's `.security`
 * index, which the minimal distribution cannot create (it lacks analysis-common), so no node here
 * can make or check one. This front stands before the real node: HTTPS under a CA it makes
 * (openssl), it accepts one API key, sent as Elasticsearch expects it (`Authorization: ApiKey
 * <base64 of id:api_key>`), forwards such requests to the node, and answers any other request as a
 * secured node does (401, `security_exception`, `WWW-Authenticate: ApiKey`). What it tests is ours:
 * that the client sends the key, in either of the forms users hold it in, and what we do when it is
 * refused; everything else is the real node's answer.
 */
export interface ApiKeyFront {
  url: string;
  ca: { cert: string; fingerprint: string };
  close(): Promise<void>;
}

export async function startApiKeyFront(target: string, key: { id: string; apiKey: string }): Promise<ApiKeyFront> {
  const dir = mkdtempSync(join(tmpdir(), 'api-key-front-'));
  const ca = makeCertificates(dir);
  const expected = `ApiKey ${Buffer.from(`${key.id}:${key.apiKey}`).toString('base64')}`;
  const to = new URL(target);
  const server: Server = createServer(
    { key: readFileSync(join(dir, 'node.key')), cert: readFileSync(join(dir, 'node.crt')) },
    (req: IncomingMessage, res) => {
      if (req.headers['authorization'] !== expected) {
        req.resume();
        res.writeHead(401, {
          'content-type': 'application/json',
          'www-authenticate': 'ApiKey',
          'x-elastic-product': 'Elasticsearch',
        });
        res.end(
          JSON.stringify({
            error: { type: 'security_exception', reason: 'unable to authenticate with provided credentials' },
            status: 401,
          }),
        );
        return;
      }
      const headers = { ...req.headers };
      delete headers['authorization'];
      forward(to, req, res, headers);
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `https://127.0.0.1:${port}`,
    ca: { cert: ca.cert, fingerprint: ca.fingerprint },
    close: () =>
      new Promise<void>((r) =>
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          r();
        }),
      ),
  };
}
