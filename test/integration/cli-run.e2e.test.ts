import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Client } from '@elastic/elasticsearch';
import { Queue } from 'bullmq';
import type { ServiceConfig } from '../../src/shared/config.js';
import { QUEUE } from '../../src/shared/queues.js';
import type { CableDocument } from '../../src/shared/stages.js';
import { SEEDS_DIR } from '../helpers/paths.js';
import { cliEnv, dropCableIndex, eventually, obliterateQueues, testConfig, testRedis } from '../helpers/services.js';

const CLI = fileURLToPath(new URL('../../src/ops/cli.js', import.meta.url));

describe('`cable-ingest run` as a process: seeds dropped, searchable, SIGTERM stops it cleanly', () => {
  let config: ServiceConfig;
  let child: ChildProcess;
  let stderr = '';
  let es: Client;

  before(async () => {
    config = await testConfig();
    es = new Client({ node: config.elasticsearchUrl });
    child = spawn(process.execPath, [CLI, 'run'], {
      env: cliEnv(config),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    await eventually('the pipeline to start', async () => /running; inbox/.test(stderr), 60_000);
  });

  after(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await obliterateQueues(config);
    await dropCableIndex(es, config.indexAlias);
    await es.close();
  });

  it('indexes both seeds with decoded fields', async () => {
    for (const seed of readdirSync(SEEDS_DIR)) copyFileSync(join(SEEDS_DIR, seed), join(config.inboxDir, seed));
    const doc = await eventually('07MOSCOW584', async () => {
      const r = await es.get<CableDocument>({ index: config.indexAlias, id: '07MOSCOW584' }, { ignore: [404] });
      return r.found ? r._source : null;
    });
    assert.equal(doc.sent_at, '2007-02-09T11:17:00Z');
    assert.equal(doc.from?.country_code, 'RU');
    const other = await eventually('07ULAANBAATAR693', async () => {
      const r = await es.get<CableDocument>({ index: config.indexAlias, id: '07ULAANBAATAR693' }, { ignore: [404] });
      return r.found ? r._source : null;
    });
    assert.equal(other.origin, 'Embassy Ulaanbaatar');
  });

  it('exits 0 on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
  });
});

describe('`cable-ingest run` with a bad configuration', () => {
  it('fails fast with a readable message naming the variable', async () => {
    const c = spawn(process.execPath, [CLI, 'run'], {
      env: { ...process.env, WORKER_CONCURRENCY: 'lots' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    c.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => c.once('exit', resolve));
    assert.equal(code, 2);
    assert.match(err, /invalid configuration:\n {2}WORKER_CONCURRENCY: /);
  });
});

describe('`cable-ingest run` starts no service and installs nothing', () => {
  it('with no Elasticsearch where it looks, it says so in one line and exits; the stack home stays empty', async () => {
    const home = mkdtempSync(join(tmpdir(), 'cable-home-'));
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      CABLE_INGEST_HOME: home,
      LOCAL_ELASTICSEARCH_PORT: String(port),
      INBOX_DIR: mkdtempSync(join(tmpdir(), 'cable-inbox-')),
      OPS_PORT: '0',
      LOG_LEVEL: 'silent',
    };
    delete env['ELASTICSEARCH_URL'];
    delete env['REDIS_URL'];
    const c = spawn(process.execPath, [CLI, 'run'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    c.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => c.once('exit', resolve));
    assert.equal(code, 1);
    assert.match(err, new RegExp(`Elasticsearch at http://127\\.0\\.0\\.1:${port} does not answer .*npm run stack:up`));
    assert.deepEqual(readdirSync(home), [], 'nothing fetched, unpacked or started');
  });
});

describe('graceful shutdown flushes the bulk buffer', () => {
  it('a cable waiting in the bulk buffer at SIGTERM is indexed before the process exits 0', async () => {
    const config = await testConfig();
    const es = new Client({ node: config.elasticsearchUrl });
    const redis = testRedis(config);
    const cables = new Queue(QUEUE.cables, { connection: redis, prefix: config.queuePrefix });
    let err = '';
    const c = spawn(process.execPath, [CLI, 'run'], {
      env: cliEnv(config, { BULK_FLUSH_MS: '60000' }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    c.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    try {
      await eventually('the pipeline to start', async () => /running; inbox/.test(err), 60_000);
      copyFileSync(join(SEEDS_DIR, readdirSync(SEEDS_DIR)[0]!), join(config.inboxDir, 'seed.txt'));
      // In flight: the job is active, its document held in the bulk buffer (flush in 60 s).
      await eventually('the job in flight', async () => (await cables.getActiveCount()) === 1 || null);
      const exited = new Promise<number | null>((resolve) => c.once('exit', resolve));
      c.kill('SIGTERM');
      assert.equal(await exited, 0, err);
      assert.equal(await es.exists({ index: config.indexAlias, id: '07MOSCOW584' }), true, 'flushed on shutdown');
      assert.equal(await cables.getCompletedCount(), 1);
    } finally {
      if (c.exitCode === null) c.kill('SIGKILL');
      await cables.obliterate({ force: true });
      await cables.close();
      redis.disconnect();
      await dropCableIndex(es, config.indexAlias);
      await es.close();
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
