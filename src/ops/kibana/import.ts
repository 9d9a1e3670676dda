import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { EsAuth } from '#shared/config.js';

/** How to reach Kibana: its URL, the credential (the pipeline's own by default) and the CA of its HTTPS. */
export interface KibanaTarget {
  url: string;
  auth: EsAuth | null;
  /** A PEM file; unset, the machine's trusted CAs. */
  caCert: string | undefined;
  verify: boolean;
}

export interface ImportedObject {
  type: string;
  id: string;
  title: string;
  /** Kibana's error type for this object (`conflict`, `missing_references`, ...), or null when imported. */
  error: string | null;
}

export interface KibanaImport {
  success: boolean;
  successCount: number;
  objects: ImportedObject[];
}

/** The `Authorization` header for a credential, as Kibana takes it (the same as Elasticsearch). */
export function authorizationOf(auth: EsAuth | null): string | undefined {
  if (!auth) return undefined;
  if ('apiKey' in auth) {
    const key = auth.apiKey.reveal();
    // `id:api_key` is sent encoded; the encoded form as it is.
    return `ApiKey ${key.includes(':') ? Buffer.from(key).toString('base64') : key}`;
  }
  return `Basic ${Buffer.from(`${auth.username}:${auth.password.reveal()}`).toString('base64')}`;
}

/**
 * Load saved objects through Kibana's saved-objects import API
 * (`POST /api/saved_objects/_import?overwrite=true`, multipart, with the `kbn-xsrf` header Kibana
 * requires of every write), with the credential and CA given. Returns Kibana's verdict per object.
 */
export async function importIntoKibana(target: KibanaTarget, ndjsonPath: string): Promise<KibanaImport> {
  const form = new FormData();
  form.append('file', new Blob([readFileSync(ndjsonPath)], { type: 'application/ndjson' }), 'cable-ingest.ndjson');
  // The multipart body and its boundary, as fetch would send them; sent with node:https so that a
  // CA file can be given (fetch takes none).
  const encoded = new Request('http://form.invalid/', { method: 'POST', body: form });
  const body = Buffer.from(await encoded.arrayBuffer());
  const url = new URL('/api/saved_objects/_import?overwrite=true', target.url);
  const headers: Record<string, string> = {
    'kbn-xsrf': 'cable-ingest',
    'content-type': encoded.headers.get('content-type')!,
    'content-length': String(body.length),
  };
  const authorization = authorizationOf(target.auth);
  if (authorization) headers['authorization'] = authorization;
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      url,
      {
        method: 'POST',
        headers,
        timeout: 60_000,
        ...(url.protocol === 'https:'
          ? {
              rejectUnauthorized: target.verify,
              ...(target.caCert ? { ca: readFileSync(target.caCert) } : {}),
            }
          : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('Kibana did not answer within 60 s')));
    req.on('error', reject);
    req.end(body);
  });
  if (status === 401 || status === 403)
    throw new Error(
      `Kibana at ${url.origin} refuses the credential (HTTP ${status}): importing saved objects needs a user or key with Kibana's saved-objects privileges`,
    );
  if (status < 200 || status >= 300)
    throw new Error(`Kibana at ${url.origin} answered ${status}: ${text.slice(0, 300)}`);
  const r = JSON.parse(text) as {
    success: boolean;
    successCount: number;
    successResults?: Array<{ type: string; id: string; meta?: { title?: string } }>;
    errors?: Array<{ type: string; id: string; title?: string; meta?: { title?: string }; error?: { type?: string } }>;
  };
  const objects: ImportedObject[] = [
    ...(r.successResults ?? []).map((o) => ({ type: o.type, id: o.id, title: o.meta?.title ?? '', error: null })),
    ...(r.errors ?? []).map((o) => ({
      type: o.type,
      id: o.id,
      title: o.title ?? o.meta?.title ?? '',
      error: o.error?.type ?? 'error',
    })),
  ];
  return { success: r.success, successCount: r.successCount, objects };
}

/** One line per object, as the CLI prints them. */
export function describeImport(r: KibanaImport): string {
  const lines = r.objects.map(
    (o) => `${o.error ? `failed (${o.error})` : 'imported'}  ${o.type} ${o.id}${o.title ? `  "${o.title}"` : ''}`,
  );
  lines.push(`${r.successCount} imported, ${r.objects.filter((o) => o.error).length} failed`);
  return `${lines.join('\n')}\n`;
}
