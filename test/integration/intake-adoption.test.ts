import assert from 'node:assert/strict';
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ServiceConfig } from '../../src/shared/config.js';
import { connect, type Connections } from '../../src/shared/connections.js';
import { CableBatchJob } from '../../src/shared/job-data.js';
import { createLogger } from '../../src/shared/logger.js';
import { batchJobId, QUEUE } from '../../src/shared/queues.js';
import { openIntake, type OpenedIntake } from '../../src/intake/open.js';
import { eventually, obliterateQueues, testConfig, testRedis } from '../helpers/services.js';

/**
 * Issue #27, defect 4: a batch folder another process is still filling (a backfill into the same
 * spool) is never taken over: not when a batch of this intake finishes with a file left in it,
 * and not when a guest (backfill, reprocess) starts. Only folders untouched for a minute are.
 * The real Redis and queue; the worker is one that answers outcomes as the test needs.
 */
describe('the intake takes over only batch folders no process is using', () => {
  let config: ServiceConfig;
  let conn: Connections;
  let redis: Redis;
  let cables: Queue;
  let worker: Worker;
  let workerConnection: Redis;
  const opened: OpenedIntake[] = [];
  let answered = 0;

  before(async () => {
    config = await testConfig();
    conn = connect(config);
    redis = testRedis(config);
    cables = new Queue(QUEUE.cables, { connection: redis, prefix: config.queuePrefix });
    workerConnection = testRedis(config);
    // The first job it sees comes back with no outcome for its file; every later one, indexed.
    worker = new Worker(
      QUEUE.cables,
      async (job: Job) => {
        const files = CableBatchJob.parse(job.data).files;
        return answered++ === 0
          ? { outcomes: {} }
          : { outcomes: Object.fromEntries(files.map((f) => [f.name, { outcome: 'indexed', cableId: 'X' }])) };
      },
      { connection: workerConnection, prefix: config.queuePrefix },
    );
  });

  after(async () => {
    for (const o of opened) await o.close();
    await worker.close();
    workerConnection.disconnect();
    await cables.close();
    redis.disconnect();
    await obliterateQueues(config);
    await conn.close();
  });

  /** A batch folder as a backfill in another process is filling it: a file in it, no job yet. */
  const strayBatch = (name: string, ageMs = 0): string => {
    const dir = join(config.spoolDir, 'claimed', name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `0~${name}.txt`), 'SUBJECT: BEING FILLED\n');
    const at = new Date(Date.now() - ageMs);
    utimesSync(dir, at, at);
    return name;
  };

  it('a finished batch with a file left re-queues only itself, not a folder being filled', async () => {
    const owner = await openIntake(conn, createLogger(config), { claimMode: 'rename', owner: true });
    opened.push(owner);
    const filling = strayBatch('0-filling-now');
    writeFileSync(join(config.inboxDir, 'one.txt'), 'SUBJECT: ONE\n');
    utimesSync(join(config.inboxDir, 'one.txt'), new Date(0), new Date(0));
    owner.intake.offer(join(config.inboxDir, 'one.txt'));
    // The first answer leaves the file without an outcome: its batch is queued again and finished.
    await eventually('the batch finished after being queued again', async () => answered >= 2 && owner.intake.idle);
    assert.equal(await cables.getJob(batchJobId(owner.spool.id, filling)), undefined, 'not queued');
    assert.ok(existsSync(join(config.spoolDir, 'claimed', filling, `0~${filling}.txt`)), 'its file left where it is');
  });

  it('a guest at start leaves a fresh folder alone and takes over one untouched for a minute', async () => {
    const fresh = strayBatch('1-fresh');
    const abandoned = strayBatch('2-abandoned', 120_000);
    const guest = await openIntake(conn, createLogger(config), { claimMode: 'copy', owner: false });
    opened.push(guest);
    await eventually(
      'the abandoned folder queued',
      async () => (await cables.getJob(batchJobId(guest.spool.id, abandoned))) !== undefined || answered >= 3,
    );
    assert.equal(await cables.getJob(batchJobId(guest.spool.id, fresh)), undefined, 'the fresh folder not queued');
    assert.ok(existsSync(join(config.spoolDir, 'claimed', fresh, `0~${fresh}.txt`)), 'its file left where it is');
  });
});
