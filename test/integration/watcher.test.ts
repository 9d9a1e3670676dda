import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ServiceConfig } from '../../src/shared/config.js';
import { CableBatchJob, type BatchOutcomes } from '../../src/shared/job-data.js';
import { connect } from '../../src/shared/connections.js';
import { createLogger } from '../../src/shared/logger.js';
import { QUEUE } from '../../src/shared/queues.js';
import { startWatcher } from '../../src/watcher/main.js';
import { eventually, testConfig, testRedis } from '../helpers/services.js';

/** The watcher alone, on the real file system and the real queue. */
describe('watcher: what is enqueued, and what is not', () => {
  let config: ServiceConfig;
  let redis: Redis;
  let cables: Queue;
  let queuedFiles = 0;
  const jobPaths = async (): Promise<string[]> =>
    (await cables.getJobs(['waiting']))
      .flatMap((j) => (j.data as { files: Array<{ path: string }> }).files.map((f) => f.path))
      .sort();

  before(async () => {
    config = await testConfig({ RESCAN_INTERVAL_MS: '300' });
    redis = testRedis(config);
    cables = new Queue(QUEUE.cables, { connection: redis, prefix: config.queuePrefix });
  });
  after(async () => {
    await cables.obliterate({ force: true });
    await cables.close();
    redis.disconnect();
  });

  it('enqueues files at start and nested files; ignores hidden, temporary and escaping symlinked files', async () => {
    writeFileSync(join(config.inboxDir, 'before-start.txt'), 'SUBJECT: ONE\n');
    const conn = connect(config);
    const w = await startWatcher(conn, createLogger(config), { onQueued: (n) => (queuedFiles += n) });
    mkdirSync(join(config.inboxDir, 'a', 'b'), { recursive: true });
    writeFileSync(join(config.inboxDir, 'a', 'b', 'nested.txt'), 'SUBJECT: TWO\n');
    writeFileSync(join(config.inboxDir, '.hidden.txt'), 'SUBJECT: HIDDEN\n');
    writeFileSync(join(config.inboxDir, 'partial.tmp'), 'SUBJECT: TMP\n');
    writeFileSync(join(config.inboxDir, 'draft.txt~'), 'SUBJECT: BACKUP\n');
    symlinkSync('/etc/hostname', join(config.inboxDir, 'escape.txt'));
    // The write-then-rename convention: only the final name is read.
    writeFileSync(join(config.inboxDir, '.incoming.part'), 'SUBJECT: THREE\n');
    renameSync(join(config.inboxDir, '.incoming.part'), join(config.inboxDir, 'renamed.txt'));
    const want = ['a/b/nested.txt', 'before-start.txt', 'renamed.txt'].map((p) => join(config.inboxDir, p)).sort();
    await eventually('three files enqueued', async () => ((await jobPaths()).length >= 3 ? true : null));
    // Let a rescan pass too: it must add nothing more.
    await eventually('a rescan to pass', async () => queuedFiles >= 3 || null);
    await new Promise((r) => setTimeout(r, 700));
    assert.deepEqual(await jobPaths(), want);
    // Claimed: the inbox keeps only what was not taken (the hidden, temporary and symlinked names).
    assert.deepEqual(readdirSync(config.inboxDir).sort(), [
      '.hidden.txt',
      'a',
      'draft.txt~',
      'escape.txt',
      'partial.tmp',
    ]);
    assert.deepEqual(readdirSync(join(config.inboxDir, 'a', 'b')), []);
    await w.close();
    await conn.close();
  });

  it('files dropped while the watcher was down are enqueued once when it returns', async () => {
    writeFileSync(join(config.inboxDir, 'while-down.txt'), 'SUBJECT: FOUR\n');
    const conn = connect(config);
    const w = await startWatcher(conn, createLogger(config));
    await eventually(
      'the file dropped while down',
      async () => (await jobPaths()).includes(join(config.inboxDir, 'while-down.txt')) || null,
    );
    await new Promise((r) => setTimeout(r, 700));
    assert.equal((await jobPaths()).length, 4, 'batches claimed and queued before the restart are not queued again');
    await w.close();
    await conn.close();
  });
});

/**
 * A backlog stays in the inbox, not in the watcher: past its bound (twice the high-water mark, at
 * least 2,000 paths) it holds no more, and walks the inbox again as it claims. The jobs are taken
 * by a stand-in consumer that reports every file indexed: the watcher is what is under test.
 */
describe('watcher: a backlog larger than it holds', () => {
  const FILES = 3_000;
  let config: ServiceConfig;
  let redis: Redis;

  before(async () => {
    config = await testConfig({ QUEUE_HIGH_WATER_FILES: '100', RESCAN_INTERVAL_MS: '0' });
    redis = testRedis(config);
  });
  after(async () => {
    const q = new Queue(QUEUE.cables, { connection: redis, prefix: config.queuePrefix });
    await q.obliterate({ force: true });
    await q.close();
    redis.disconnect();
  });

  it(`${FILES} files in the inbox: at most 2,000 held at once, every file queued once, none left`, async () => {
    for (let i = 0; i < FILES; i++) writeFileSync(join(config.inboxDir, `c${i}.txt`), `SUBJECT: ${i}\n`);
    const seen = new Map<string, number>();
    const consumer = new Worker(
      QUEUE.cables,
      async (job): Promise<BatchOutcomes> => {
        const data = CableBatchJob.parse(job.data);
        for (const f of data.files) seen.set(f.path, (seen.get(f.path) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 5)); // the workers set the pace, not the watcher
        return {
          outcomes: Object.fromEntries(data.files.map((f) => [f.name, { outcome: 'indexed', cableId: f.name }])),
        };
      },
      { connection: redis, prefix: config.queuePrefix, concurrency: 4 },
    );
    const conn = connect(config);
    const w = await startWatcher(conn, createLogger(config));
    let mostHeld = w.intake.pending.candidates;
    const sampler = setInterval(() => (mostHeld = Math.max(mostHeld, w.intake.pending.candidates)), 5);
    try {
      await eventually(
        'every file queued and finished',
        async () => (seen.size === FILES && w.intake.idle) || null,
        60_000,
      );
    } finally {
      clearInterval(sampler);
      await w.close();
      await consumer.close();
      await conn.close();
    }
    assert.ok(mostHeld <= 2_000, `held at most 2,000 paths at once (held ${mostHeld})`);
    assert.ok(mostHeld >= 1_000, `and held a backlog's worth (${mostHeld}), not one at a time`);
    assert.deepEqual(
      [...seen.values()].filter((n) => n !== 1),
      [],
      'each file queued once',
    );
    assert.deepEqual(readdirSync(config.inboxDir), [], 'nothing left in the inbox');
  });
});
