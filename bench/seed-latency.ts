/**
 * Drop-to-searchable for the two seeds: start the pipeline in this process on a private inbox,
 * index and queue prefix; drop both seeds; poll `_count` (which sees only refreshed, searchable
 * documents) every 10 ms; repeat with fresh names. Prints numbers; asserts nothing.
 *   npm run bench:seeds -- --rounds 5
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createEsClient } from '../src/shared/elasticsearch/client.js';
import { Queue } from 'bullmq';
import { loadConfig, withServices } from '../src/shared/config.js';
import { createLogger } from '../src/shared/logger.js';
import { SEEDS_DIR } from '../src/shared/paths.js';
import { QUEUE } from '../src/shared/queues.js';
import { createRedis } from '../src/shared/redis.js';
import { runRoles } from '../src/app/run.js';
import { stackUp } from '../tools/stack/index.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(values.rounds);
const seeds = readdirSync(SEEDS_DIR);
const samples: number[] = [];

for (let round = 0; round < rounds; round++) {
  const id = `bench-${randomUUID().slice(0, 8)}`;
  const base = loadConfig({
    ...process.env,
    INBOX_DIR: mkdtempSync(join(tmpdir(), 'bench-inbox-')),
    ELASTICSEARCH_INDEX: id,
    QUEUE_PREFIX: id,
    OPS_PORT: '0',
    LOG_LEVEL: 'silent',
  });
  const stack = await stackUp(base);
  const config = withServices(base, stack.redis.url, stack.elasticsearch.url);
  const running = await runRoles(config, ['worker', 'watcher'], createLogger(config));
  const es = createEsClient(config.elasticsearchUrl);
  const started = performance.now();
  for (const s of seeds) copyFileSync(join(SEEDS_DIR, s), join(config.inboxDir, s));
  for (;;) {
    const c = await es.count({ index: config.indexAlias });
    if (c.count >= seeds.length) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  samples.push(performance.now() - started);
  await running.stop();
  const redis = createRedis(config.redis, 'worker');
  for (const q of [QUEUE.cables, QUEUE.deadLetter]) {
    const queue = new Queue(q, { connection: redis, prefix: id });
    await queue.obliterate({ force: true });
    await queue.close();
  }
  redis.disconnect();
  const idx = Object.keys(await es.indices.get({ index: [`${id}-v*`, `${id}-failures-v*`] }));
  await es.indices.delete({ index: idx });
  for (const t of [id, `${id}-failures`]) await es.indices.deleteIndexTemplate({ name: t });
  await es.close();
}
samples.sort((a, b) => a - b);
const fmt = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
process.stdout.write(
  `seeds drop-to-searchable over ${rounds} rounds (both seeds searchable; stability window ${loadConfig().watchStabilityMs} ms, refresh ${loadConfig().elasticsearchRefreshInterval}):\n` +
    `  min ${fmt(samples[0]!)}  median ${fmt(samples[Math.floor(samples.length / 2)]!)}  max ${fmt(samples[samples.length - 1]!)}\n`,
);
