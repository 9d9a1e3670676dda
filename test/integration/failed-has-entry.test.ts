import assert from 'node:assert/strict';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@elastic/elasticsearch';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { withServices, type ServiceConfig } from '../../src/shared/config.js';
import { listDeadLetters } from '../../src/shared/dead-letter.js';
import { createLogger } from '../../src/shared/logger.js';
import { QUEUE } from '../../src/shared/queues.js';
import { runRoles, type Running } from '../../src/app/run.js';
import { SEEDS_DIR } from '../helpers/paths.js';
import { startPrivateRedis, type PrivateRedis } from '../helpers/private-redis.js';
import { dropCableIndex, eventually, testConfig, testRedis } from '../helpers/services.js';

const MAX_STALLED = 1;

/**
 * Issue #27: a job's fate is decided once, by a worker, and recorded in the job; the watcher moves
 * files only by what was recorded. The hardest path: a batch whose worker dies holding it more
 * often than WORKER_MAX_STALLED (BullMQ counts the stalls), then Redis restarts while the batch is
 * dead-lettered and its files moved. Every file that reaches failed/ has its dead-letter entry.
 */
describe('a file in failed/ always has its dead-letter entry', () => {
  let redisServer: PrivateRedis;
  let config: ServiceConfig;
  let watcher: Running | null = null;
  let workers: Running | null = null;
  let es: Client;
  let redis: Redis;
  let cables: Queue;
  let deadLetters: Queue;

  before(async () => {
    redisServer = await startPrivateRedis();
    const base = await testConfig({ WORKER_MAX_STALLED: String(MAX_STALLED), WORKER_LOCK_MS: '1000' });
    config = withServices(base, redisServer.url, base.elasticsearchUrl);
    es = new Client({ node: config.elasticsearchUrl });
    redis = testRedis(config);
    cables = new Queue(QUEUE.cables, { connection: redis, prefix: config.queuePrefix });
    deadLetters = new Queue(QUEUE.deadLetter, { connection: redis, prefix: config.queuePrefix });
  });

  after(async () => {
    try {
      await watcher?.stop();
      await workers?.stop();
      await dropCableIndex(es, config.indexAlias);
    } finally {
      await cables.close();
      await deadLetters.close();
      redis.disconnect();
      await es.close();
      await redisServer.stop();
    }
  });

  /** A worker that takes a job and dies holding it (its lock lapses, nothing is acknowledged). */
  const dieHolding = async (): Promise<void> => {
    const connection = testRedis(config);
    let took!: () => void;
    const taken = new Promise<void>((r) => (took = r));
    const w = new Worker(
      QUEUE.cables,
      () => {
        took();
        return new Promise(() => undefined);
      },
      { connection, prefix: config.queuePrefix, lockDuration: 1_000, skipStalledCheck: true },
    );
    try {
      await taken;
      await w.close(true); // force: the job is left active, its lock no longer renewed
    } finally {
      connection.disconnect();
    }
  };
  /** BullMQ's own stalled check, as any worker runs it: a job whose lock lapsed goes back, counted. */
  const checkStalled = async (expectWaiting: number, maxStalledCount: number): Promise<void> => {
    const connection = testRedis(config);
    const w = new Worker(QUEUE.cables, null, {
      connection,
      prefix: config.queuePrefix,
      autorun: false,
      stalledInterval: 300,
      maxStalledCount,
    });
    try {
      void w.startStalledCheckTimer();
      await eventually(
        'the stalled jobs back in waiting',
        async () => (await cables.getWaitingCount()) === expectWaiting,
      );
    } finally {
      await w.close();
      connection.disconnect();
    }
  };

  /**
   * `checkerLimit`: the maxStalledCount of the worker that runs BullMQ's stalled check. Ours never
   * let BullMQ fail a job (the processor decides); a worker of BullMQ's default (1) has BullMQ fail
   * it, and the failed-job path decides instead. Both must leave every file with its entry.
   */
  const scenario = async (label: string, checkerLimit: number): Promise<void> => {
    watcher ??= await runRoles(config, ['watcher'], createLogger(config));
    // One batch: a seed and four files that are no cables, renamed in at once.
    const seed = readdirSync(SEEDS_DIR)[0]!;
    const names = ['junk-1.txt', 'junk-2.txt', 'junk-3.txt', 'junk-4.txt', seed];
    for (const [i, n] of names.entries()) {
      // Content differs per scenario: a dead-letter entry's id is the content hash.
      const text =
        n === seed ? `${readFileSync(join(SEEDS_DIR, seed), 'utf8')}\n${label}\n` : `not a cable, ${label} file ${i}\n`;
      writeFileSync(join(config.inboxDir, `.${label}-${n}.tmp`), text);
    }
    for (const n of names)
      renameSync(join(config.inboxDir, `.${label}-${n}.tmp`), join(config.inboxDir, `${label}-${n}`));
    const jobs = await eventually('the batch queued', async () => {
      const js = await cables.getJobs(['waiting']);
      const files = js.reduce((k, j) => k + (j.data as { files: unknown[] }).files.length, 0);
      return files === names.length ? js : null;
    });
    // Each job's worker dies holding it, one time more than WORKER_MAX_STALLED allows.
    for (let round = 0; round <= MAX_STALLED; round++) {
      for (let k = 0; k < jobs.length; k++) await dieHolding();
      await checkStalled(jobs.length, checkerLimit);
    }
    for (const j of jobs) assert.equal((await cables.getJob(j.id!))?.stalledCounter, MAX_STALLED + 1);

    workers = await runRoles(config, ['worker'], createLogger(config));
    await redisServer.restart();
    const inFailed = (): string[] => failedFiles().filter((f) => f.includes(`-${label}-`));

    const failedDir = join(config.spoolDir, 'failed');
    const failedFiles = (): string[] => {
      try {
        return readdirSync(failedDir).filter((n) => !n.endsWith('.reason.json'));
      } catch {
        return [];
      }
    };
    await eventually('every file of the batch in failed/', async () => inFailed().length === names.length, 60_000);
    const entries = (await listDeadLetters(deadLetters)).filter((e) => e.entry.job.path.includes(`/${label}-`));
    const bySha = new Map(entries.map((e) => [e.id.slice(0, 12), e.entry]));
    for (const f of inFailed()) {
      const entry = bySha.get(f.slice(0, 12));
      assert.ok(entry, `${f} is in failed/ without a dead-letter entry`);
      assert.equal(entry.code, 'worker_stalled');
      const note = JSON.parse(readFileSync(join(failedDir, `${f}.reason.json`), 'utf8')) as { code: string };
      assert.equal(note.code, 'worker_stalled');
    }
    assert.equal(entries.length, names.length);
    await eventually('the finished jobs removed from Redis', async () => (await cables.count()) === 0);
    await workers.stop();
    workers = null;
  };

  it('our workers run the stalled check: the processor dead-letters the batch', () =>
    scenario('processor', Number.MAX_SAFE_INTEGER));
  it("a worker with BullMQ's default limit ran it: BullMQ failed the job, the failed-job path settles it", () =>
    scenario('failed-set', 1));
});
