import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../src/shared/config.js';
import { writerRole } from '../../src/shared/elasticsearch/privileges.js';
import { pidAlive } from './process.js';
import { startSecuredNode } from './secured-node.js';

/**
 * `cable-ingest stack up --secured`: a local Elasticsearch node as users meet one in production,
 * security on, HTTPS under a CA of its own, a least-privilege user for the pipeline (the role
 * `es role` prints) and an administrator for Kibana imports and checks. Kept under the stack's
 * cache folder; the settings to use are written beside it (`settings.env`, mode 0600) and printed.
 * A second call finds the node running and prints them again.
 */
export async function securedLocalNode(
  config: Pick<Config, 'stackHome' | 'indexAlias' | 'localElasticsearch'>,
): Promise<{ settingsFile: string; settings: string; stop: string }> {
  const dir = join(config.stackHome, 'secured-node');
  const settingsFile = join(config.stackHome, 'secured-node.env');
  const stop = 'npm run stack:down';
  if (existsSync(settingsFile) && pidAlive(join(dir, 'es.pid')) !== null)
    return { settingsFile, settings: readFileSync(settingsFile, 'utf8'), stop };
  const port = config.localElasticsearch.port + 10;
  const password = randomBytes(12).toString('base64url');
  const adminPassword = randomBytes(12).toString('base64url');
  const role = `cable_ingest_${config.indexAlias.replace(/[^a-z0-9_]/g, '_')}`;
  const node = await startSecuredNode(
    [
      { name: 'cable_ingest', password, role },
      { name: 'cable_ingest_admin', password: adminPassword, role: 'superuser' },
    ],
    { port, tls: true, roles: { [role]: writerRole(config.indexAlias) }, dir },
  );
  const settings = [
    '# The pipeline, as a least-privilege user over HTTPS (`set -a; . this-file; set +a`, or copy into .env)',
    `ELASTICSEARCH_URL=${node.url}`,
    'ELASTICSEARCH_USERNAME=cable_ingest',
    `ELASTICSEARCH_PASSWORD=${password}`,
    `ELASTICSEARCH_CA_CERT=${node.ca!.cert}`,
    `# or, instead of the CA file: ELASTICSEARCH_CA_FINGERPRINT=${node.ca!.fingerprint}`,
    `# an administrator (superuser), for kibana import and checks: cable_ingest_admin / ${adminPassword}`,
    '',
  ].join('\n');
  writeFileSync(settingsFile, settings, { mode: 0o600 });
  return { settingsFile, settings, stop };
}

/** Stop the secured local node if it runs. */
export function stopSecuredLocalNode(config: Pick<Config, 'stackHome'>): string {
  const pid = pidAlive(join(config.stackHome, 'secured-node', 'es.pid'));
  if (pid === null) return 'secured elasticsearch: not running';
  process.kill(pid, 'SIGTERM');
  return `secured elasticsearch: stopped (pid ${pid})`;
}
