import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Secret } from '../../src/shared/secret.js';
import { KIBANA_DIR } from '../../src/shared/paths.js';
import { describeImport, importIntoKibana } from '../../src/ops/kibana/import.js';
import { makeCertificates } from '../../tools/stack/secured-node.js';

const NDJSON = join(KIBANA_DIR, 'cable-ingest.ndjson');

/**
 * Issue #28: `kibana import` reaches a Kibana behind HTTPS with its own CA, with the pipeline's
 * credential and the `kbn-xsrf` header, and prints Kibana's verdict per object. Kibana cannot run
 * here, so the far end is an HTTPS server of the test's that answers the import call as Kibana's
 * saved-objects API documents it, taking one API key and refusing anything else. What the shipped
 * objects are is checked against the real Elasticsearch in kibana-assets.test.ts.
 */
describe('kibana import over HTTPS with a credential and a CA', () => {
  let server: Server;
  let url: string;
  let ca: string;
  let otherCa: string;
  const seen: Array<{ xsrf: string | undefined; auth: string | undefined; type: string | undefined; body: string }> =
    [];
  const KEY = 'kid:ksecret-28';

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kibana-tls-'));
    const certs = makeCertificates(dir);
    ca = certs.cert;
    otherCa = certs.otherCert;
    server = createServer(
      { key: readFileSync(join(dir, 'node.key')), cert: readFileSync(join(dir, 'node.crt')) },
      (req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          seen.push({
            xsrf: req.headers['kbn-xsrf'] as string | undefined,
            auth: req.headers.authorization,
            type: req.headers['content-type'],
            body,
          });
          if (req.headers.authorization !== `ApiKey ${Buffer.from(KEY).toString('base64')}`) {
            res.writeHead(401, { 'content-type': 'application/json' }).end('{"statusCode":401}');
            return;
          }
          if (!req.headers['kbn-xsrf']) {
            res.writeHead(400).end('{"message":"Request must contain a kbn-xsrf header."}');
            return;
          }
          // Kibana's answer: every object of the file imported, but for one we mark as a conflict.
          const objects = body
            .split('\n')
            .filter((l) => l.startsWith('{') && l.includes('"type"'))
            .map((l) => JSON.parse(l) as { type: string; id: string; attributes?: { title?: string } })
            .filter((o) => o.id);
          const [first, ...rest] = objects;
          res.writeHead(200, { 'content-type': 'application/json' }).end(
            JSON.stringify({
              success: false,
              successCount: rest.length,
              successResults: rest.map((o) => ({ type: o.type, id: o.id, meta: { title: o.attributes?.title } })),
              errors: [
                { type: first!.type, id: first!.id, title: first!.attributes?.title, error: { type: 'conflict' } },
              ],
            }),
          );
        });
      },
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('sends the file as multipart with kbn-xsrf and the key, trusting the CA given; prints each object', async () => {
    const r = await importIntoKibana({ url, auth: { apiKey: new Secret(KEY) }, caCert: ca, verify: true }, NDJSON);
    const last = seen.at(-1)!;
    assert.equal(last.xsrf, 'cable-ingest');
    assert.match(last.type ?? '', /^multipart\/form-data; boundary=/);
    assert.ok(last.body.includes(readFileSync(NDJSON, 'utf8').split('\n')[0]!), 'the NDJSON travels in the form');
    const objects = readFileSync(NDJSON, 'utf8')
      .split('\n')
      .filter((l) => l.includes('"id"') && l.includes('"type"'));
    assert.equal(r.objects.length, objects.length, 'one verdict per object sent');
    assert.equal(r.objects.filter((o) => o.error === 'conflict').length, 1);
    const printed = describeImport(r);
    assert.match(printed, /^failed \(conflict\) {2}\S+ \S+/m);
    assert.match(printed, /^imported {2}dashboard /m);
    assert.match(printed, new RegExp(`${r.successCount} imported, 1 failed\\n$`));
  });

  it('a wrong key: one line naming the refusal, the key never shown', async () => {
    await assert.rejects(
      importIntoKibana({ url, auth: { apiKey: new Secret('kid:wrong-secret') }, caCert: ca, verify: true }, NDJSON),
      (err: Error) => {
        assert.match(err.message, /refuses the credential \(HTTP 401\)/);
        assert.doesNotMatch(err.message, /wrong-secret/);
        return true;
      },
    );
  });

  it('a CA that did not sign its certificate: refused before anything is sent', async () => {
    const before = seen.length;
    await assert.rejects(
      importIntoKibana({ url, auth: { apiKey: new Secret(KEY) }, caCert: otherCa, verify: true }, NDJSON),
      /certificate/,
    );
    assert.equal(seen.length, before);
  });
});
