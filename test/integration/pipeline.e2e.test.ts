import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@elastic/elasticsearch';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ServiceConfig } from '../../src/shared/config.js';
import { createLogger } from '../../src/shared/logger.js';
import { QUEUE } from '../../src/shared/queues.js';
import type { CableDocument } from '../../src/shared/stages.js';
import { runRoles, type Running } from '../../src/app/run.js';
import { SEEDS_DIR } from '../helpers/paths.js';
import { dropCableIndex, eventually, testConfig, testRedis } from '../helpers/services.js';

const SEED_MOSCOW = '000_c3a957b28fce9504.txt';
const SEED_ULAANBAATAR = '004_8064cce5387d321f.txt';

describe('drop a cable, find it searchable (real Redis, real Elasticsearch)', () => {
  let config: ServiceConfig;
  let running: Running;
  let es: Client;
  let redis: Redis;
  let cables: Queue;
  let deadLetters: Queue;
  const finished: Array<{ outcome: string; path: string }> = [];

  before(async () => {
    config = await testConfig();
    es = new Client({ node: config.elasticsearchUrl });
    redis = testRedis(config);
    cables = new Queue(QUEUE.cables, { connection: redis, prefix: config.queuePrefix });
    deadLetters = new Queue(QUEUE.deadLetter, { connection: redis, prefix: config.queuePrefix });
    running = await runRoles(config, ['worker', 'watcher'], createLogger(config), {
      onFinished: (outcome, path) => finished.push({ outcome, path }),
    });
  });

  after(async () => {
    try {
      await running.stop();
      await cables.obliterate({ force: true });
      await deadLetters.obliterate({ force: true });
      await dropCableIndex(es, config.indexAlias);
    } finally {
      await cables.close();
      await deadLetters.close();
      redis.disconnect();
      await es.close();
    }
  });

  const getDoc = async (id: string): Promise<CableDocument | null> => {
    const r = await es.get<CableDocument>({ index: config.indexAlias, id }, { ignore: [404] });
    return r.found ? (r._source ?? null) : null;
  };

  it('both seeds become searchable documents with decoded fields', async () => {
    // The documented convention: write under a temporary name, rename into place.
    for (const seed of [SEED_MOSCOW, SEED_ULAANBAATAR]) {
      const tmp = join(config.inboxDir, `.${seed}.tmp`);
      copyFileSync(join(SEEDS_DIR, seed), tmp);
      renameSync(tmp, join(config.inboxDir, seed));
    }
    const moscow = await eventually('07MOSCOW584 indexed', () => getDoc('07MOSCOW584'));
    await eventually('07ULAANBAATAR693 indexed', () => getDoc('07ULAANBAATAR693'));

    assert.equal(moscow.sent_at, '2007-02-09T11:17:00Z');
    assert.equal(moscow.origin, 'Embassy Moscow');
    assert.equal(moscow.classification, 'SECRET');
    assert.equal(moscow.from?.ri, 'RUEHMO');
    assert.equal(moscow.from?.country_code, 'RU');
    assert.ok(moscow.from?.location && Math.abs(moscow.from.location.lat - 55.75) < 0.3);
    assert.equal(moscow.to[0]?.ri, 'RUEHC');
    assert.equal(moscow.info.find((a) => a.ri === 'RUEHUM')?.country_code, 'MN');
    for (const t of ['PREF', 'PREL', 'PHUM', 'PGOV', 'RS', 'KN']) assert.ok(moscow.tags.includes(t), t);
    assert.equal(moscow.subject, 'UNHCR COMPLETES INTERVIEWS OF NORTH KOREANS');
    assert.equal(moscow.ingest.source_path, join(config.inboxDir, SEED_MOSCOW));

    // Searchable, not just stored: a full-text query and a keyword filter find it.
    await es.indices.refresh({ index: config.indexAlias });
    const hits = await es.search({
      index: config.indexAlias,
      query: {
        bool: { must: [{ match: { body: 'asylum seekers' } }], filter: [{ term: { 'from.country_code': 'RU' } }] },
      },
    });
    assert.deepEqual(
      hits.hits.hits.map((h) => h._id),
      ['07MOSCOW584'],
    );
  });

  it('each file is finished by the owner: kept under done/, its job (and the text it carried) gone from Redis', async () => {
    const day = new Date().toISOString().slice(0, 10);
    const kept = join(config.spoolDir, 'done', day, SEED_MOSCOW);
    await eventually('the seeds finished', async () => (existsSync(kept) && finished.length >= 2) || null);
    assert.deepEqual(readFileSync(kept), readFileSync(join(SEEDS_DIR, SEED_MOSCOW)), 'the original, byte for byte');
    assert.equal(existsSync(join(config.inboxDir, SEED_MOSCOW)), false, 'the inbox holds only unclaimed files');
    const counts = await cables.getJobCounts('completed', 'waiting', 'active', 'delayed', 'failed');
    assert.deepEqual(Object.values(counts), [0, 0, 0, 0, 0], JSON.stringify(counts));
    assert.deepEqual(readdirSync(join(config.spoolDir, 'claimed')), []);
  });

  it('the same bytes dropped again, long after their job is gone, make no second document', async () => {
    const again = join(config.inboxDir, 'moscow-again.txt');
    copyFileSync(join(SEEDS_DIR, SEED_MOSCOW), again);
    await eventually('the copy finished', async () => finished.find((e) => e.path === again));
    await es.indices.refresh({ index: config.indexAlias });
    const n = await es.count({ index: config.indexAlias, query: { term: { cable_id: '07MOSCOW584' } } });
    assert.equal(n.count, 1);
    assert.equal((await es.count({ index: config.indexAlias })).count, 2);
  });

  it('a binary file is dead-lettered at once with reason not_text', async () => {
    writeFileSync(
      join(config.inboxDir, 'image.txt'),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]),
    );
    const [entry] = await eventually('a dead-letter entry', async () => {
      const jobs = await deadLetters.getJobs(['waiting']);
      return jobs.length > 0 ? jobs : null;
    });
    assert.equal(entry?.data.code, 'not_text');
    assert.equal(entry?.data.stage, 'read');
    assert.equal(entry?.data.attempts, 1);
    assert.equal(entry?.data.job.path, join(config.inboxDir, 'image.txt'));
    // The original goes to the spool's failed area, its reason beside it.
    const sha = entry!.data.job.sha256 as string;
    const failed = join(config.spoolDir, 'failed', `${sha.slice(0, 12)}-image.txt`);
    await eventually('the original in the failed area', async () => existsSync(`${failed}.reason.json`) || null);
    assert.equal(JSON.parse(readFileSync(`${failed}.reason.json`, 'utf8')).code, 'not_text');
    assert.ok(existsSync(failed));
  });

  it('answers /healthz, and /readyz with every check', async () => {
    const res = await fetch(`${running.opsUrl}/healthz`);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { status: string }).status, 'ok');
    const ready = await fetch(`${running.opsUrl}/readyz`);
    const body = (await ready.json()) as { status: string; checks: Record<string, { ok: boolean }> };
    assert.equal(ready.status, 200, JSON.stringify(body));
    assert.deepEqual(Object.keys(body.checks).sort(), ['elasticsearch', 'redis', 'watcher', 'worker']);
  });
});
