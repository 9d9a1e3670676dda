import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@elastic/elasticsearch';
import { Queue } from 'bullmq';
import { runRoles, type Running } from '../../src/app/run.js';
import { loadConfig, withServices, type ServiceConfig } from '../../src/shared/config.js';
import { createLogger } from '../../src/shared/logger.js';
import { QUEUE } from '../../src/shared/queues.js';
import { dropGeneratedCables } from '../helpers/drop-cables.js';
import { startPrivateRedis, type PrivateRedis } from '../helpers/private-redis.js';
import { dropCableIndex, eventually, testConfig, testRedis } from '../helpers/services.js';
import { generateCable, loadVocabulary } from '../../bench/generate.js';

/**
 * Issue #28, resource faults. Redis at maxmemory (noeviction: writes refused with OOM) and the
 * spool's file system full are outages: the watcher stops claiming and says why (readiness, the
 * `cable_ingest_intake_held` gauge, a log line), nothing is lost or dead-lettered, and claiming
 * resumes by itself once memory or space frees.
 */

async function ops(running: Running, path: string): Promise<string> {
  return (await fetch(`${running.opsUrl}${path}`)).text();
}

async function indexedCount(es: Client, alias: string): Promise<number> {
  await es.indices.refresh({ index: alias }).catch(() => undefined);
  return (await es.count({ index: alias }).catch(() => ({ count: 0 }))).count;
}

describe('Redis at maxmemory in the middle of a drop', () => {
  const CABLES = 2_000;
  let redisServer: PrivateRedis;
  let config: ServiceConfig;
  let running: Running;
  let es: Client;

  before(async () => {
    redisServer = await startPrivateRedis();
    // A low high-water mark, so that the watcher is still claiming from the inbox when memory runs out.
    const base = await testConfig({ QUEUE_HIGH_WATER_FILES: '200' });
    config = withServices(base, redisServer.url, base.elasticsearchUrl);
    es = new Client({ node: config.elasticsearchUrl });
    running = await runRoles(config, ['worker', 'watcher'], createLogger(config));
  });
  after(async () => {
    try {
      await running.stop();
      await dropCableIndex(es, config.indexAlias);
    } finally {
      await es.close();
      await redisServer.stop();
    }
  });

  it(`${CABLES} cables: OOM midway holds the watcher (said three ways), memory freed, all indexed once`, async () => {
    const admin = testRedis(config);
    try {
      dropGeneratedCables(config.inboxDir, CABLES, 31);
      await eventually('a first part indexed', async () => (await indexedCount(es, config.indexAlias)) >= 300, 120_000);
      // One byte: below anything Redis holds, so with noeviction every write that could grow memory
      // is refused, whatever the watcher frees meanwhile (removing finished jobs is allowed).
      await admin.config('SET', 'maxmemory', '1');
      const heldAt = await indexedCount(es, config.indexAlias);

      await eventually(
        'readiness names the outage',
        async () => /claiming paused by redis_out_of_memory/.test(await ops(running, '/readyz')),
        60_000,
        200,
      );
      assert.match(await ops(running, '/metrics'), /cable_ingest_intake_held\{code="redis_out_of_memory"\} 1/);
      // The watcher claims nothing while held: the inbox keeps what it has.
      const inboxThen = readdirSync(config.inboxDir).length;
      await new Promise((r) => setTimeout(r, 3_000));
      assert.ok(inboxThen > 0, 'files still wait in the inbox');
      assert.equal(readdirSync(config.inboxDir).length, inboxThen, 'nothing claimed while Redis refuses writes');

      await admin.config('SET', 'maxmemory', '0');
      await eventually(
        'every cable indexed',
        async () => (await indexedCount(es, config.indexAlias)) >= CABLES,
        300_000,
        500,
      );
      assert.equal(await indexedCount(es, config.indexAlias), CABLES, 'each cable once');
      await eventually(
        'nothing left claimed',
        async () => readdirSync(join(config.spoolDir, 'claimed')).length === 0,
        120_000,
        500,
      );
      const dlq = new Queue(QUEUE.deadLetter, { connection: admin, prefix: config.queuePrefix });
      assert.equal(await dlq.count(), 0, 'nothing dead-lettered');
      await dlq.close();
      assert.match(await ops(running, '/metrics'), /cable_ingest_intake_held\{code="redis_out_of_memory"\} 0/);
      assert.doesNotMatch(await ops(running, '/readyz'), /claiming paused/);
      process.stdout.write(
        `# redis OOM: held at ${heldAt} indexed with ${inboxThen} in the inbox; ${CABLES} indexed once after memory freed, 0 dead-lettered, 0 left claimed\n`,
      );
    } finally {
      admin.disconnect();
    }
  });
});

describe("the spool's file system full", () => {
  const CABLES = 500;
  const BAD = ['bad-1.txt', 'bad-2.txt', 'bad-3.txt'];
  let mount: string;
  let config: ServiceConfig;
  let running: Running | null = null;
  let es: Client;

  before(async () => {
    mount = mkdtempSync(join(tmpdir(), 'cable-small-fs-'));
    // A file system of its own, small in bytes and in inodes, that the test can fill (root only).
    const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=32m,nr_inodes=4096', 'tmpfs', mount], {
      encoding: 'utf8',
    });
    assert.equal(m.status, 0, `mount a small tmpfs for the spool (the test needs root): ${m.stderr}`);
    mkdirSync(join(mount, 'inbox'));
    const base = await testConfig();
    const own = loadConfig({
      ...process.env,
      INBOX_DIR: join(mount, 'inbox'),
      ELASTICSEARCH_INDEX: base.indexAlias,
      QUEUE_PREFIX: base.queuePrefix,
      OPS_PORT: '0',
      LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
      WATCH_STABILITY_MS: '150',
    });
    config = withServices(own, base.redis, base.elasticsearchUrl);
    es = new Client({ node: config.elasticsearchUrl });
  });
  after(async () => {
    try {
      await running?.stop();
      await dropCableIndex(es, config.indexAlias);
      const admin = testRedis(config);
      for (const name of [QUEUE.cables, QUEUE.deadLetter]) {
        const q = new Queue(name, { connection: admin, prefix: config.queuePrefix });
        await q.obliterate({ force: true });
        await q.close();
      }
      admin.disconnect();
    } finally {
      await es.close();
      spawnSync('umount', [mount]);
      rmSync(mount, { recursive: true, force: true });
    }
  });

  it(`${CABLES} good and ${BAD.length} bad files arrive on a full disk: held, said, space freed, none lost`, async () => {
    running = await runRoles(config, ['worker', 'watcher'], createLogger(config));
    // Written beside the inbox on the same file system, then renamed in once the disk is full (a
    // rename takes no space), as files reach a landing zone on a full disk.
    const staging = join(mount, 'staging');
    mkdirSync(staging);
    const vocab = loadVocabulary();
    const ids = new Set<string>();
    for (let i = 0; ids.size < CABLES; i++) {
      const g = generateCable(i, vocab, 32);
      if (ids.has(g.id)) continue;
      ids.add(g.id);
      writeFileSync(join(staging, `${g.id}.txt`), g.text);
    }
    // Distinct bytes: a dead-letter entry is one per content.
    for (const b of BAD) writeFileSync(join(staging, b), `not a cable at all, only a line of prose (${b})\n`);
    // Fill every byte, then every inode.
    const filler = join(mount, 'filler');
    mkdirSync(filler);
    const fd = openSync(join(filler, 'bytes'), 'w');
    const block = Buffer.alloc(1 << 16);
    try {
      for (;;) writeSync(fd, block);
    } catch (err) {
      assert.equal((err as NodeJS.ErrnoException).code, 'ENOSPC');
    } finally {
      closeSync(fd);
    }
    try {
      for (let i = 0; ; i++) closeSync(openSync(join(filler, `i${i}`), 'w'));
    } catch (err) {
      assert.equal((err as NodeJS.ErrnoException).code, 'ENOSPC');
    }
    for (const name of readdirSync(staging)) renameSync(join(staging, name), join(config.inboxDir, name));

    await eventually(
      'readiness names the outage',
      async () => /claiming paused by spool_disk_full/.test(await ops(running!, '/readyz')),
      60_000,
      200,
    );
    assert.match(await ops(running, '/metrics'), /cable_ingest_intake_held\{code="spool_disk_full"\} 1/);
    await new Promise((r) => setTimeout(r, 2_000));
    assert.equal(readdirSync(config.inboxDir).length, CABLES + BAD.length, 'every file still in the inbox');
    assert.equal(await indexedCount(es, config.indexAlias), 0);

    rmSync(filler, { recursive: true, force: true });
    await eventually(
      'every good cable indexed',
      async () => (await indexedCount(es, config.indexAlias)) >= CABLES,
      180_000,
      500,
    );
    assert.equal(await indexedCount(es, config.indexAlias), CABLES, 'each cable once');
    await eventually(
      'every file finished: kept under done/ or failed/',
      async () =>
        readdirSync(join(config.spoolDir, 'claimed')).length === 0 &&
        readdirSync(join(config.spoolDir, 'failed')).filter((n) => !n.endsWith('.reason.json')).length === BAD.length,
      120_000,
      500,
    );
    assert.equal(readdirSync(config.inboxDir).length, 0, 'nothing left in the inbox');
    const admin = testRedis(config);
    const dlq = new Queue(QUEUE.deadLetter, { connection: admin, prefix: config.queuePrefix });
    assert.equal(await dlq.count(), BAD.length, 'only the bad files dead-lettered');
    await dlq.close();
    admin.disconnect();
    assert.match(await ops(running, '/metrics'), /cable_ingest_intake_held\{code="spool_disk_full"\} 0/);
    process.stdout.write(
      `# spool disk full: ${CABLES + BAD.length} files held in the inbox; after space freed ${CABLES} indexed once, ${BAD.length} (the bad ones) dead-lettered, none lost\n`,
    );
  });
});
