import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@elastic/elasticsearch';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { withServices, type ServiceConfig } from '../../src/shared/config.js';
import { Secret } from '../../src/shared/secret.js';
import { createLogger } from '../../src/shared/logger.js';
import { QUEUE } from '../../src/shared/queues.js';
import { runRoles, type Running } from '../../src/app/run.js';
import { corpusPath, SEEDS_DIR } from '../helpers/paths.js';
import { startSecuredNode, type SecuredNode } from '../../tools/stack/secured-node.js';
import { startPrivateRedis } from '../helpers/private-redis.js';
import { cliEnv, dropCableIndex, eventually, testConfig, testRedis } from '../helpers/services.js';

const CLI = fileURLToPath(new URL('../../src/ops/cli.js', import.meta.url));

/**
 * A credential that stops working while the pipeline runs (issue #27): a real node with security
 * on, the pipeline's user's password changed under it. Every bulk request then answers 401: the
 * workers pause as for any outage (readiness names `es_unauthorized`), nothing is dead-lettered,
 * and once the password is back every cable is indexed.
 */
describe('a refused credential is an outage (real secured node, password changed while running)', () => {
  const WRITER = { name: 'cable_writer', password: 'first-password-1' };
  const ADMIN = { name: 'node_admin', password: 'admin-password-1' };
  let node: SecuredNode;
  let config: ServiceConfig;
  let running: Running;
  let es: Client;
  let redis: Redis;
  let deadLetters: Queue;
  let cables: Queue;
  const files = readdirSync(corpusPath('dev'))
    .filter((n) => n.endsWith('.txt'))
    .slice(200, 220);

  before(async () => {
    node = await startSecuredNode([
      { ...ADMIN, role: 'superuser' },
      { ...WRITER, role: 'superuser' },
    ]);
    const base = await testConfig();
    // The credential as users give it (ELASTICSEARCH_USERNAME / ELASTICSEARCH_PASSWORD).
    config = {
      ...withServices(base, base.redis, node.url),
      elasticsearchAuth: { username: WRITER.name, password: new Secret(WRITER.password) },
    };
    es = new Client({ node: node.url, auth: { username: ADMIN.name, password: ADMIN.password } });
    redis = testRedis(config);
    deadLetters = new Queue(QUEUE.deadLetter, { connection: redis, prefix: config.queuePrefix });
    cables = new Queue(QUEUE.cables, { connection: redis, prefix: config.queuePrefix });
    running = await runRoles(config, ['worker', 'watcher'], createLogger(config));
  });

  after(async () => {
    try {
      await running?.stop();
      await cables?.obliterate({ force: true });
      await deadLetters?.obliterate({ force: true });
      if (es) await dropCableIndex(es, config.indexAlias);
    } finally {
      await cables?.close();
      await deadLetters?.close();
      redis?.disconnect();
      await es?.close();
      await node?.stop();
    }
  });

  const count = async (): Promise<number> => {
    await es.indices.refresh({ index: config.indexAlias });
    return (await es.count({ index: config.indexAlias })).count;
  };
  const writerAnswers = async (password: string): Promise<number> => {
    const auth = Buffer.from(`${WRITER.name}:${password}`).toString('base64');
    return (await fetch(`${node.url}/_cluster/health`, { headers: { authorization: `Basic ${auth}` } })).status;
  };

  it('pauses on 401, dead-letters nothing, and indexes every cable once the credential works again', async () => {
    for (const seed of readdirSync(SEEDS_DIR)) copyFileSync(join(SEEDS_DIR, seed), join(config.inboxDir, seed));
    await eventually('the seeds indexed with the working credential', async () => (await count()) === 2, 60_000, 250);

    node.setPassword(WRITER.name, 'changed-password-2');
    await eventually('the node to refuse the old password', async () => (await writerAnswers(WRITER.password)) === 401);
    for (const f of files) copyFileSync(corpusPath('dev', f), join(config.inboxDir, f));
    const ready = async (): Promise<{ status: number; worker: string }> => {
      const res = await fetch(`${running.opsUrl}/readyz`);
      const body = (await res.json()) as { checks: Record<string, { detail?: string }> };
      return { status: res.status, worker: body.checks['worker']?.detail ?? '' };
    };
    const paused = await eventually('the workers to pause on the refused credential', async () => {
      const r = await ready();
      return /paused by es_unauthorized/.test(r.worker) ? r : null;
    });
    assert.equal(paused.status, 503, 'not ready while the credential is refused');
    await new Promise((r) => setTimeout(r, 3_000)); // the outage lasts a while
    assert.equal(await deadLetters.count(), 0, 'a refused credential dead-letters nothing');
    assert.equal(await cables.getFailedCount(), 0);
    assert.equal(await count(), 2);

    node.setPassword(WRITER.name, WRITER.password);
    await eventually(
      'every cable indexed once the credential works again',
      async () => (await count()) === 2 + files.length,
      90_000,
      500,
    );
    assert.equal(await deadLetters.count(), 0);
    await eventually('ready again', async () => (await ready()).status === 200);
  });

  it('a wrong password at start: one line naming the refusal, no secret shown, nothing dead-lettered', async () => {
    const wrong = 'not-the-password-9';
    const c = spawn(process.execPath, [CLI, 'run'], {
      env: cliEnv(config, {
        ELASTICSEARCH_URL: node.url,
        ELASTICSEARCH_USERNAME: WRITER.name,
        ELASTICSEARCH_PASSWORD: wrong,
      }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    c.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => c.once('exit', resolve));
    assert.equal(code, 1);
    assert.match(err, /^cable-ingest: Elasticsearch at http:\/\/127\.0\.0\.1:\d+ refuses the credential \(HTTP 401\)/);
    assert.equal(err.trim().split('\n').length, 1, err);
    assert.ok(!err.includes(wrong));
    assert.equal(await deadLetters.count(), 0);
  });

  it('no secret appears in logs, errors, readiness, metrics, the dashboard, status or dead-letter entries', async () => {
    // Both services' secrets, as users set them: the Elasticsearch password and a Redis password.
    const redisPassword = 'redis-secret-28x';
    const redisServer = await startPrivateRedis({ password: redisPassword });
    const secrets = [WRITER.password, redisPassword];
    const port = Number(new URL(redisServer.url).port);
    // An inbox of its own: the in-process pipeline of the tests above still watches theirs.
    const inbox = mkdtempSync(join(tmpdir(), 'cable-inbox-secrets-'));
    const env = cliEnv(config, {
      INBOX_DIR: inbox,
      ELASTICSEARCH_URL: node.url,
      ELASTICSEARCH_USERNAME: WRITER.name,
      ELASTICSEARCH_PASSWORD: WRITER.password,
      REDIS_URL: `redis://127.0.0.1:${port}`,
      REDIS_PASSWORD: redisPassword,
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'json',
      OPS_PORT: '0',
    });
    const seen: string[] = [];
    const child = spawn(process.execPath, [CLI, 'run'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let logs = '';
    child.stdout!.on('data', (d: Buffer) => (logs += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (logs += d.toString()));
    try {
      const ops = await eventually('the ops address', async () => /ops (http:\/\/[^\s]+)/.exec(logs)?.[1]);
      for (const seed of readdirSync(SEEDS_DIR)) copyFileSync(join(SEEDS_DIR, seed), join(inbox, seed));
      writeFileSync(join(inbox, 'not-a-cable.txt'), 'prose, not a cable\n');
      const admin = testRedis(redisServer.url);
      const dlq = new Queue(QUEUE.deadLetter, { connection: admin, prefix: config.queuePrefix });
      try {
        await eventually('the bad file dead-lettered', async () => (await dlq.count()) === 1, 60_000, 250);
        const [entry] = await dlq.getJobs(['waiting', 'completed', 'failed', 'delayed']);
        seen.push(JSON.stringify(entry?.data));
        await dlq.obliterate({ force: true });
        await new Queue(QUEUE.cables, { connection: admin, prefix: config.queuePrefix }).obliterate({ force: true });
      } finally {
        await dlq.close();
        admin.disconnect();
      }
      for (const path of ['/healthz', '/readyz', '/metrics', '/queues/api/queues?page=1&jobsPerPage=50'])
        seen.push(await (await fetch(`${ops}${path}`)).text());
      for (const args of [
        ['status', '--json'],
        ['dlq', 'list'],
        ['es', 'role'],
      ]) {
        const r = spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8' });
        seen.push(r.stdout, r.stderr);
      }
      // An error of a bad setting names the variable, not the secret beside it.
      const bad = spawnSync(process.execPath, [CLI, 'status'], {
        env: { ...env, ELASTICSEARCH_PASSWORD_FILE: '/no/such/file' },
        encoding: 'utf8',
      });
      seen.push(bad.stderr);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await redisServer.stop();
    }
    seen.push(logs);
    const all = seen.join('\n');
    assert.ok(all.length > 10_000, `enough output was read (${all.length} characters)`);
    for (const secret of secrets) assert.ok(!all.includes(secret), 'a secret appears in what the pipeline shows');
  });
});
