import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Client } from '@elastic/elasticsearch';
import { Queue } from 'bullmq';
import { QUEUE } from '../../src/shared/queues.js';
import { runRoles } from '../../src/app/run.js';
import { withServices, type ServiceConfig } from '../../src/shared/config.js';
import { createEsClient } from '../../src/shared/elasticsearch/client.js';
import { createLogger } from '../../src/shared/logger.js';
import { writerRole } from '../../src/shared/elasticsearch/privileges.js';
import { Secret } from '../../src/shared/secret.js';
import { SEEDS_DIR } from '../helpers/paths.js';
import { startSecuredNode, type SecuredNode } from '../../tools/stack/secured-node.js';
import { cliEnv, dropCableIndex, eventually, obliterateQueues, testConfig, testRedis } from '../helpers/services.js';

const CLI = fileURLToPath(new URL('../../src/ops/cli.js', import.meta.url));

/**
 * Issue #28: a real node with security on and HTTPS under a CA this test makes (openssl), users in
 * the file realm. The pipeline ingests the seeds with the CA file and with the CA's fingerprint;
 * a wrong CA and an http:// URL are refused at start, each in one line that names the setting.
 */
describe('Elasticsearch over HTTPS with a CA of its own (real secured node)', () => {
  const WRITER = { name: 'cable_writer', password: 'tls-writer-password-1' };
  let node: SecuredNode;
  let base: ServiceConfig;

  const NO_WRITE = { name: 'cable_no_write', password: 'tls-nowrite-password-1' };

  before(async () => {
    // The pipeline's user has only the least privileges it needs (privileges.ts); another lacks write.
    const writer = writerRole('cables');
    node = await startSecuredNode(
      [
        { ...WRITER, role: 'cable_ingest_writer' },
        { ...NO_WRITE, role: 'cable_ingest_no_write' },
      ],
      {
        port: 9260,
        tls: true,
        roles: {
          cable_ingest_writer: writer,
          cable_ingest_no_write: {
            ...writer,
            indices: writer.indices.map((i) => ({ ...i, privileges: i.privileges.filter((p) => p !== 'write') })),
          },
        },
      },
    );
    base = await testConfig();
  });
  after(async () => {
    await node?.stop();
  });

  const configWith = (tls: ServiceConfig['elasticsearchTls']): ServiceConfig => ({
    ...withServices(base, base.redis, node.url),
    elasticsearchAuth: { username: WRITER.name, password: new Secret(WRITER.password) },
    elasticsearchTls: tls,
  });

  for (const how of ['the CA file', 'the CA fingerprint'] as const) {
    it(`ingests both seeds as a least-privilege user with ${how}`, async () => {
      const ca = node.ca!;
      const t = await testConfig();
      const config: ServiceConfig = {
        ...configWith(
          how === 'the CA file'
            ? { caCert: ca.cert, caFingerprint: undefined, verify: true }
            : { caCert: undefined, caFingerprint: ca.fingerprint, verify: true },
        ),
        inboxDir: t.inboxDir,
        spoolDir: t.spoolDir,
        indexAlias: t.indexAlias,
        queuePrefix: t.queuePrefix,
      };
      const es: Client = createEsClient(config);
      const running = await runRoles(config, ['worker', 'watcher'], createLogger(config));
      try {
        for (const seed of readdirSync(SEEDS_DIR)) copyFileSync(join(SEEDS_DIR, seed), join(config.inboxDir, seed));
        await eventually(
          'both seeds searchable',
          async () => {
            await es.indices.refresh({ index: config.indexAlias });
            return (await es.count({ index: config.indexAlias })).count === 2;
          },
          60_000,
          250,
        );
      } finally {
        await running.stop();
        await obliterateQueues(config);
        await dropCableIndex(es, config.indexAlias);
        await es.close();
      }
    });
  }

  const start = async (env: Record<string, string>): Promise<{ code: number | null; err: string }> => {
    const c = spawn(process.execPath, [CLI, 'run'], {
      env: cliEnv(base, {
        ELASTICSEARCH_USERNAME: WRITER.name,
        ELASTICSEARCH_PASSWORD: WRITER.password,
        ...env,
      }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    c.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => c.once('exit', resolve));
    return { code, err };
  };

  it('a wrong CA is refused at start, in one line naming the CA settings', async () => {
    const r = await start({ ELASTICSEARCH_URL: node.url, ELASTICSEARCH_CA_CERT: node.ca!.otherCert });
    assert.equal(r.code, 1);
    assert.match(r.err, /its certificate is not trusted .*ELASTICSEARCH_CA_CERT or ELASTICSEARCH_CA_FINGERPRINT/);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
    assert.ok(!r.err.includes(WRITER.password));
  });

  it('an http:// URL for an HTTPS node is refused at start, saying an https:// URL is needed', async () => {
    const r = await start({ ELASTICSEARCH_URL: node.url.replace('https:', 'http:') });
    assert.equal(r.code, 1);
    assert.match(r.err, /does not answer .*needs an https:\/\/ URL/);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
  });

  it('a user whose role lacks write: the workers pause (403, the privilege named), nothing dead-lettered', async () => {
    const t = await testConfig();
    const c = spawn(process.execPath, [CLI, 'run'], {
      env: cliEnv(t, {
        ELASTICSEARCH_URL: node.url,
        ELASTICSEARCH_USERNAME: NO_WRITE.name,
        ELASTICSEARCH_PASSWORD: NO_WRITE.password,
        ELASTICSEARCH_CA_CERT: node.ca!.cert,
        LOG_FORMAT: 'json',
      }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    c.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    try {
      await eventually('the pipeline to start', async () => /running; inbox/.test(err), 60_000);
      for (const seed of readdirSync(SEEDS_DIR)) copyFileSync(join(SEEDS_DIR, seed), join(t.inboxDir, seed));
      const line = await eventually('the outage said, naming the privilege', async () =>
        err.split('\n').find((l) => l.includes('es_forbidden') && /index privileges \[[^\]]*write/.test(l)),
      );
      assert.match(line, /elasticsearch outage: pausing the queue/);
      const redis = testRedis(t);
      const dlq = new Queue(QUEUE.deadLetter, { connection: redis, prefix: t.queuePrefix });
      assert.equal(await dlq.count(), 0, 'a missing privilege dead-letters nothing');
      await dlq.close();
      redis.disconnect();
    } finally {
      c.kill('SIGKILL');
      await obliterateQueues(t);
    }
  });
});
