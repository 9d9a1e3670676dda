import { readFileSync } from 'node:fs';

/**
 * Load saved objects through Kibana's saved-objects import API
 * (`POST /api/saved_objects/_import?overwrite=true`, multipart, with the `kbn-xsrf` header).
 */
export async function importIntoKibana(
  kibanaUrl: string,
  ndjsonPath: string,
  auth?: string,
): Promise<{ success: boolean; successCount: number; errors?: unknown[] }> {
  const form = new FormData();
  form.append('file', new Blob([readFileSync(ndjsonPath)], { type: 'application/ndjson' }), 'cable-ingest.ndjson');
  const headers: Record<string, string> = { 'kbn-xsrf': 'cable-ingest' };
  if (auth) headers['authorization'] = auth;
  const res = await fetch(new URL('/api/saved_objects/_import?overwrite=true', kibanaUrl), {
    method: 'POST',
    headers,
    body: form,
  });
  if (!res.ok) throw new Error(`Kibana answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
  return (await res.json()) as { success: boolean; successCount: number; errors?: unknown[] };
}
