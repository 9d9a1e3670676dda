import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Client } from '@elastic/elasticsearch';
import { runRoles } from '../../src/app/run.js';
import { loadConfig, withServices, type ServiceConfig } from '../../src/shared/config.js';
import { createLogger } from '../../src/shared/logger.js';
import { startApiKeyFront, type ApiKeyFront } from '../helpers/api-key-front.js';
import { SEEDS_DIR } from '../helpers/paths.js';
import { cliEnv, dropCableIndex, eventually, obliterateQueues, testConfig } from '../helpers/services.js';

const CLI = fileURLToPath(new URL('../../src/ops/cli.js', import.meta.url));
const KEY = { id: 'VuaCfGcBCdbkQm-e5aOx', apiKey: 'ui2lp2axTNmsyakw9tvNnw' };

/**
 * Issue #28: an API key, as users hold it (`id:api_key`, or the encoded form Elasticsearch returns),
 * reaches Elasticsearch as the `ApiKey` header, over TLS with the CA file; a wrong key is refused at
 * start in one line. Through the TLS front (api-key-front.ts says why and what it is) before the
 * real node.
 */
describe('an API key, through a TLS front before the real node', () => {
  let front: ApiKeyFront;
  let base: ServiceConfig;
  let es: Client;

  before(async () => {
    base = await testConfig();
    front = await startApiKeyFront(base.elasticsearchUrl, KEY);
    es = new Client({ node: base.elasticsearchUrl });
  });
  after(async () => {
    await front.close();
    await es.close();
  });

  const encoded = Buffer.from(`${KEY.id}:${KEY.apiKey}`).toString('base64');
  for (const [form, value] of [
    ['id:api_key', `${KEY.id}:${KEY.apiKey}`],
    ['encoded', encoded],
  ] as const) {
    it(`ingests both seeds with the key in the ${form} form`, async () => {
      const t = await testConfig();
      const settings = loadConfig({
        ...process.env,
        ELASTICSEARCH_URL: front.url,
        ELASTICSEARCH_API_KEY: value,
        ELASTICSEARCH_CA_CERT: front.ca.cert,
      });
      const config: ServiceConfig = {
        ...withServices(t, t.redis, front.url),
        elasticsearchAuth: settings.elasticsearchAuth,
        elasticsearchTls: settings.elasticsearchTls,
      };
      const running = await runRoles(config, ['worker', 'watcher'], createLogger(config));
      try {
        for (const seed of readdirSync(SEEDS_DIR)) copyFileSync(join(SEEDS_DIR, seed), join(t.inboxDir, seed));
        await eventually(
          'both seeds searchable',
          async () => {
            await es.indices.refresh({ index: t.indexAlias });
            return (await es.count({ index: t.indexAlias })).count === 2;
          },
          60_000,
          250,
        );
      } finally {
        await running.stop();
        await obliterateQueues(t);
        await dropCableIndex(es, t.indexAlias);
      }
    });
  }

  it('a wrong key is refused at start, in one line, the key not shown', async () => {
    const wrong = `${KEY.id}:not-the-key-at-all`;
    const c = spawn(process.execPath, [CLI, 'run'], {
      env: cliEnv(base, {
        ELASTICSEARCH_URL: front.url,
        ELASTICSEARCH_API_KEY: wrong,
        ELASTICSEARCH_CA_FINGERPRINT: front.ca.fingerprint,
      }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    c.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => c.once('exit', resolve));
    assert.equal(code, 1);
    assert.match(err, /refuses the credential \(HTTP 401\)/);
    assert.equal(err.trim().split('\n').length, 1, err);
    assert.ok(!err.includes('not-the-key-at-all'));
  });
});
