import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Client } from '@elastic/elasticsearch';
import { Queue } from 'bullmq';
import type { ServiceConfig } from '../../src/shared/config.js';
import { QUEUE } from '../../src/shared/queues.js';
import { generateCable, loadVocabulary, rng } from '../../bench/generate.js';
import { cliEnv, dropCableIndex, eventually, obliterateQueues, testConfig, testRedis } from '../helpers/services.js';

const CLI = fileURLToPath(new URL('../../src/ops/cli.js', import.meta.url));
const GOOD = 4_950;
const BAD = 50;
const KILLS = 20;

/** Every file below a folder, counted (the done area is by date). */
function countFiles(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true }))
    n += e.isDirectory() ? countFiles(join(dir, e.name)) : e.isFile() ? 1 : 0;
  return n;
}

/**
 * Issue #12: SIGKILL at any moment loses nothing and duplicates nothing. A 5,000-file drop (4,950
 * generated cables with distinct ids, 50 distinct binary files) goes through a watcher process and
 * a worker process; one of them is killed with SIGKILL at 20 random moments and started again
 * each time. At the end every good cable is indexed (its original once under done/), every bad file
 * is dead-lettered once (its original once under failed/), and the inbox and claimed/ are empty.
 */
describe('SIGKILL of the watcher or of a worker at 20 random moments during a 5,000-file drop', () => {
  const vocab = loadVocabulary();
  const configs: ServiceConfig[] = [];
  after(async () => {
    for (const c of configs) {
      const es = new Client({ node: c.elasticsearchUrl });
      await obliterateQueues(c);
      await dropCableIndex(es, c.indexAlias);
      await dropCableIndex(es, `${c.indexAlias}-failures`);
      await es.close();
    }
  });

  for (const victim of ['watcher', 'worker'] as const) {
    it(`kills the ${victim}: every good cable indexed, every bad file dead-lettered once, nothing left claimed`, async () => {
      const config = await testConfig();
      configs.push(config);
      // A short lock, so that a killed worker's jobs are taken over in seconds, and no limit on
      // stalls that 20 kills could reach (the limit is for jobs that kill their worker themselves).
      const env = cliEnv(config, { WORKER_LOCK_MS: '2000', WORKER_MAX_STALLED: '50', LOG_LEVEL: 'error' });
      const stderr: Record<string, string> = { watch: '', work: '' };
      const start = async (role: 'watch' | 'work'): Promise<ChildProcess> => {
        const from = stderr[role]!.length;
        const c = spawn(process.execPath, [CLI, role], { env, stdio: ['ignore', 'ignore', 'pipe'] });
        c.stderr!.on('data', (d: Buffer) => (stderr[role] += d.toString()));
        await eventually(
          `the ${role} role to start`,
          async () => stderr[role]!.slice(from).includes('running; inbox'),
          60_000,
          50,
        );
        return c;
      };
      const kill = async (c: ChildProcess): Promise<void> => {
        c.kill('SIGKILL');
        if (c.exitCode === null && c.signalCode === null) await new Promise((r) => c.once('exit', r));
      };

      const staging = mkdtempSync(join(tmpdir(), 'kill-staging-'));
      const ids = new Set<string>();
      for (let i = 0; ids.size < GOOD; i++) {
        const g = generateCable(i, vocab, 12);
        if (ids.has(g.id)) continue;
        ids.add(g.id);
        writeFileSync(join(staging, `${g.id}.txt`), g.text);
      }
      const random = rng(victim === 'watcher' ? 7 : 8);
      for (let i = 0; i < BAD; i++)
        writeFileSync(
          join(staging, `bad-${i}.bin`),
          Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, i, Math.floor(random() * 256)]),
        );
      mkdirSync(config.inboxDir, { recursive: true });

      const procs = { watch: await start('watch'), work: await start('work') };
      const role = victim === 'watcher' ? 'watch' : 'work';
      const dropped = (async () => {
        for (const name of readdirSync(staging)) renameSync(join(staging, name), join(config.inboxDir, name));
      })();
      for (let k = 0; k < KILLS; k++) {
        await new Promise((r) => setTimeout(r, 100 + random() * 700));
        await kill(procs[role]);
        procs[role] = await start(role);
      }
      await dropped;

      const es = new Client({ node: config.elasticsearchUrl });
      const redis = testRedis(config);
      const dlq = new Queue(QUEUE.deadLetter, { connection: redis, prefix: config.queuePrefix });
      const cables = new Queue(QUEUE.cables, { connection: redis, prefix: config.queuePrefix });
      try {
        await eventually(
          'every file finished',
          async () => {
            const claimed = readdirSync(join(config.spoolDir, 'claimed')).length;
            const done = countFiles(join(config.spoolDir, 'done'));
            return claimed === 0 && done === GOOD && readdirSync(config.inboxDir).length === 0 ? true : null;
          },
          240_000,
          500,
        );
        await es.indices.refresh({ index: config.indexAlias });
        assert.equal((await es.count({ index: config.indexAlias })).count, GOOD, 'every good cable, one document each');
        const found = await es.mget({ index: config.indexAlias, ids: [...ids].slice(0, 500), _source: false });
        assert.equal(found.docs.filter((d) => 'found' in d && d.found).length, 500);
        assert.equal(await dlq.count(), BAD, 'each bad file dead-lettered once');
        const failed = readdirSync(join(config.spoolDir, 'failed'));
        assert.equal(failed.filter((n) => !n.endsWith('.reason.json')).length, BAD);
        assert.equal(failed.filter((n) => n.endsWith('.reason.json')).length, BAD);
        assert.equal(countFiles(join(config.spoolDir, 'done')), GOOD, 'each original kept once');
        const left = await cables.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
        assert.deepEqual(Object.values(left), [0, 0, 0, 0, 0], `no job left behind: ${JSON.stringify(left)}`);
        process.stdout.write(
          `kill-anytime (${victim}): ${KILLS} SIGKILLs during a ${GOOD + BAD}-file drop: ${GOOD} indexed, ${BAD} dead-lettered, 0 lost, 0 duplicated\n`,
        );
      } finally {
        await kill(procs.watch);
        await kill(procs.work);
        await cables.close();
        await dlq.close();
        redis.disconnect();
        await es.close();
      }
    });
  }
});
