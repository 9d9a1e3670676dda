/**
 * What production topology costs (issue #28), in one run on this machine: the whole pipeline
 * (watcher and workers in one process, BullMQ on the local Redis) indexing the same generated
 * cables into
 *   cluster, 0 replicas   three nodes of the minimal distribution (HTTP), ELASTICSEARCH_REPLICAS=0
 *   cluster, 1 replica    the same cluster, ELASTICSEARCH_REPLICAS=1 (every write made twice)
 *   secured, HTTP         one node with security on (a least-privilege user), plain HTTP
 *   secured, HTTPS        the same node set-up with TLS under its own CA (the CA file given)
 * Each configuration is run once to warm up, then `--rounds` times, alternating, and its median is reported. No target:
 * the cost is what is reported. Writes docs/benchmarks-topology.md.
 *   npm run bench -- --topology [--n 5000] [--rounds 3]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runRoles } from '../src/app/run.js';
import { loadConfig, withServices, type ServiceConfig } from '../src/shared/config.js';
import { createEsClient } from '../src/shared/elasticsearch/client.js';
import { writerRole } from '../src/shared/elasticsearch/privileges.js';
import { createLogger } from '../src/shared/logger.js';
import { PACKAGE_ROOT } from '../src/shared/paths.js';
import { QUEUE } from '../src/shared/queues.js';
import { createRedis } from '../src/shared/redis.js';
import { Queue } from 'bullmq';
import { startEsCluster } from '../tools/stack/cluster.js';
import { ES_DEFAULT_VERSION } from '../tools/stack/elasticsearch.js';
import { stackUp } from '../tools/stack/index.js';
import { startSecuredNode } from '../tools/stack/secured-node.js';
import { generateCable, loadVocabulary } from './generate.js';

const { values } = parseArgs({
  options: {
    topology: { type: 'boolean', default: true },
    n: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '4' },
    doc: { type: 'string', default: join(PACKAGE_ROOT, 'docs', 'benchmarks-topology.md') },
  },
});
const N = Number(values.n);
const ROUNDS = Number(values.rounds);
const log = (s: string): void => void process.stderr.write(`${s}\n`);

const vocab = loadVocabulary();
const cables = new Map<string, string>();
for (let i = 0; cables.size < N; i++) {
  const g = generateCable(i, vocab, 28);
  cables.set(`${g.id}.txt`, g.text);
}

const base = loadConfig();
const redis = (await stackUp(base)).redis.url;

/** One timed run: drop N cables into a fresh inbox and wait until all are searchable. */
async function timedRun(label: string, env: Record<string, string>): Promise<number> {
  const id = `bt-${randomUUID().slice(0, 8)}`;
  const inbox = mkdtempSync(join(tmpdir(), 'bench-topology-inbox-'));
  const c = loadConfig({
    ...env,
    INBOX_DIR: inbox,
    ELASTICSEARCH_INDEX: id,
    QUEUE_PREFIX: id,
    OPS_PORT: '0',
    LOG_LEVEL: 'silent',
    FINISHED_FILES: 'delete',
  });
  const config: ServiceConfig = withServices(c, redis, c.elasticsearchUrl!);
  const es = createEsClient(config);
  // Written beside the inbox first, then renamed in all at once (the timed part), as a backlog arrives.
  const staged = mkdtempSync(join(tmpdir(), 'bench-topology-'));
  for (const [name, text] of cables) writeFileSync(join(staged, name), text);
  const running = await runRoles(config, ['worker', 'watcher'], createLogger(config));
  const started = performance.now();
  for (const name of cables.keys()) renameSync(join(staged, name), join(inbox, name));
  for (;;) {
    await es.indices.refresh({ index: id }).catch(() => undefined);
    const count = (await es.count({ index: id }).catch(() => ({ count: 0 }))).count;
    if (count >= N) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = (performance.now() - started) / 1000;
  await running.stop();
  const r = createRedis(redis, 'worker');
  for (const q of [QUEUE.cables, QUEUE.deadLetter]) {
    const queue = new Queue(q, { connection: r, prefix: id });
    await queue.obliterate({ force: true });
    await queue.close();
  }
  r.disconnect();
  const indices = Object.keys(await es.indices.get({ index: [`${id}-v*`, `${id}-failures-v*`] }));
  if (indices.length > 0) await es.indices.delete({ index: indices });
  for (const t of [id, `${id}-failures`]) await es.indices.deleteIndexTemplate({ name: t }).catch(() => undefined);
  await es.close();
  log(`  ${label}: ${N} in ${seconds.toFixed(1)} s = ${Math.round(N / seconds)} cables/s`);
  return N / seconds;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const results: Array<{ label: string; rates: number[] }> = [];

async function compare(configs: Array<{ label: string; env: Record<string, string> }>): Promise<void> {
  const rates = configs.map(() => [] as number[]);
  // A first round of each, not counted: the nodes' JVMs warm up (JIT, caches) on it.
  for (const c of configs) await timedRun(`${c.label} (warm-up, not counted)`, c.env);
  for (let round = 0; round < ROUNDS; round++)
    for (const [i, c] of configs.entries()) rates[i]!.push(await timedRun(c.label, c.env));
  for (const [i, c] of configs.entries()) results.push({ label: c.label, rates: rates[i]! });
}

log(`three-node cluster (HTTP), ${N} cables, ${ROUNDS} rounds`);
const cluster = await startEsCluster(9380);
try {
  const url = cluster.urls.join(',');
  await compare([
    { label: 'cluster of 3, 0 replicas', env: { ELASTICSEARCH_URL: url, ELASTICSEARCH_REPLICAS: '0' } },
    { label: 'cluster of 3, 1 replica', env: { ELASTICSEARCH_URL: url, ELASTICSEARCH_REPLICAS: '1' } },
  ]);
} finally {
  await cluster.stop();
}

// The same single-node set-up (security on, a least-privilege user) over HTTP and over HTTPS.
const user = { name: 'bench_writer', password: 'bench-writer-28', role: 'bench_writer' };
const roles = { bench_writer: writerRole('bt-*') };
const auth = { ELASTICSEARCH_USERNAME: user.name, ELASTICSEARCH_PASSWORD: user.password };
log(`secured node over HTTP and over HTTPS, ${N} cables, ${ROUNDS} rounds`);
const plain = await startSecuredNode([user], { port: 9390, roles });
const tls = await startSecuredNode([user], { port: 9391, roles, tls: true });
try {
  await compare([
    { label: 'one secured node, HTTP', env: { ELASTICSEARCH_URL: plain.url, ...auth } },
    {
      label: 'one secured node, HTTPS (TLS)',
      env: { ELASTICSEARCH_URL: tls.url, ELASTICSEARCH_CA_CERT: tls.ca!.cert, ...auth },
    },
  ]);
} finally {
  await plain.stop();
  await tls.stop();
}

const rate = (label: string): number => median(results.find((r) => r.label === label)!.rates);
const replicaCost = 1 - rate('cluster of 3, 1 replica') / rate('cluster of 3, 0 replicas');
const tlsCost = 1 - rate('one secured node, HTTPS (TLS)') / rate('one secured node, HTTP');
const table = [
  '| configuration | cables/s (median) | each round |',
  '| --- | ---: | --- |',
  ...results.map(
    (r) => `| ${r.label} | ${Math.round(median(r.rates))} | ${r.rates.map((x) => Math.round(x)).join(', ')} |`,
  ),
].join('\n');
const md = `# Benchmarks: what the production topology costs

Measured by \`npm run bench -- --topology --n ${N} --rounds ${ROUNDS}\` (bench/topology.ts) on ${cpus().length} cores
(${cpus()[0]?.model.trim() ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version},
Elasticsearch ${ES_DEFAULT_VERSION} (the minimal distribution), at ${new Date().toISOString()}.

The whole pipeline in one process (watcher and workers, BullMQ on the local Redis, originals deleted
when finished) indexes ${N} generated cables (bench/generate.ts) until all are searchable; each
configuration runs once to warm the nodes up (not counted), then ${ROUNDS} times, alternating with the one it is compared with. Every node of every
configuration runs on the same two cores as the pipeline, so these are costs on one machine, not a
cluster's capacity: three nodes of 384 MB heap here share the CPU a real cluster would spread.

${table}

- **One replica against none** (the same three-node cluster): ${(replicaCost * 100).toFixed(0)}% fewer cables/s with a replica.
  Each write is made on the primary and then on the replica's node before the bulk answers.
- **TLS against plain HTTP** (the same single node, security on and the same least-privilege user
  both times): ${
    tlsCost > 0
      ? `${(tlsCost * 100).toFixed(0)}% fewer cables/s over HTTPS`
      : `no cost measured: HTTPS ran ${(-tlsCost * 100).toFixed(0)}% faster, which is inside the spread between rounds`
  }. The client keeps its connections open, so the handshake is paid once per connection; what
  remains is the encryption of the bulk bodies, small beside parsing and indexing.
`;
writeFileSync(values.doc!, md);
process.stdout.write(
  `${table}\nreplica cost ${(replicaCost * 100).toFixed(1)}%, TLS cost ${(tlsCost * 100).toFixed(1)}%\nwrote ${values.doc}\n`,
);
process.exit(0);
