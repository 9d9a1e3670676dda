/**
 * Issue #29: what each shape of the paragraphs costs Elasticsearch, on the real cables of
 * corpus/dev (each indexed `--copies` times under distinct ids), into fresh indices:
 *   none      the cable documents without paragraph texts (the cost of everything else);
 *   nested    the shipped shape: `paragraph_texts` nested in the cable document;
 *   separate  the cable documents without them, and one document per paragraph in an index of its
 *             own (cable_id, number, portion_mark, text with its English twin, and the cable's
 *             sent_at, origin, classification), as an alias `<index>-paragraphs` would hold.
 * Each shape is run `--rounds` times, alternating, and its median reported: Elasticsearch CPU ms per
 * cable (/proc), its indexing time per cable (_nodes/stats), bulk requests, and the store after a
 * force-merge. Writes docs/benchmarks-paragraphs.md. No target: the numbers inform the choice.
 *   npm run bench -- --paragraph-shapes [--copies 10] [--rounds 3]
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/shared/config.js';
import { createEsClient } from '../src/shared/elasticsearch/client.js';
import {
  ENGLISH_ANALYZER,
  englishAnalysisSettings,
  probeEnglishAnalysis,
} from '../src/shared/elasticsearch/english.js';
import { ensureCableIndex } from '../src/shared/elasticsearch/index-template.js';
import { PACKAGE_ROOT } from '../src/shared/paths.js';
import type { CableDocument } from '../src/shared/stages.js';
import { stackUp } from '../tools/stack/index.js';
import { esWorkOfCluster } from './es-work.js';
import { cpuPerCable, cpuSnapshot, servicePids } from './cpu.js';
import { corpusPath } from './scoring/corpus-dir.js';
import { documentOf } from './scoring/corpus.js';

const { values } = parseArgs({
  options: {
    'paragraph-shapes': { type: 'boolean', default: true },
    copies: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    doc: { type: 'string', default: join(PACKAGE_ROOT, 'docs', 'benchmarks-paragraphs.md') },
  },
});
const COPIES = Number(values.copies);
const ROUNDS = Number(values.rounds);
const BULK_DOCS = 500;
const log = (s: string): void => void process.stderr.write(`${s}\n`);

const base = loadConfig();
const stack = await stackUp(base);
const es = createEsClient(stack.elasticsearch.url, { requestTimeoutMs: 120_000 });

const dev: CableDocument[] = [];
for (const name of readdirSync(corpusPath('dev')).filter((n) => n.endsWith('.txt'))) {
  const d = documentOf(readFileSync(corpusPath('dev', name), 'utf8'), name);
  if (d.ok) dev.push(d.doc);
}
const cables = dev.length * COPIES;
const paragraphs = dev.reduce((n, d) => n + d.paragraph_texts.length, 0) * COPIES;

type Shape = 'none' | 'nested' | 'separate';
interface Sample {
  esCpuMs: number;
  indexingMs: number;
  bulkRequests: number;
  storeMb: number;
}

const indexingTimeMs = async (): Promise<number> => (await esWorkOfCluster(es)).indexMs;

async function paragraphsIndex(name: string): Promise<void> {
  const keyword = { type: 'keyword' } as const;
  await es.indices.create({
    index: `${name}-paragraphs`,
    settings: {
      number_of_shards: 1,
      number_of_replicas: 0,
      analysis: englishAnalysisSettings(await probeEnglishAnalysis(es)),
    },
    mappings: {
      dynamic: 'strict',
      properties: {
        cable_id: keyword,
        number: { type: 'short' },
        portion_mark: keyword,
        text: { type: 'text', fields: { english: { type: 'text', analyzer: ENGLISH_ANALYZER } } },
        sent_at: { type: 'date' },
        origin: keyword,
        classification: keyword,
      },
    },
  });
}

async function runShape(shape: Shape, round: number): Promise<Sample> {
  const name = `bench-para-${shape}-${round}`;
  const alias = `${name}-cables`;
  const indices = [await ensureCableIndex(es, alias, { replicas: 0 })];
  if (shape === 'separate') {
    await paragraphsIndex(name);
    indices.push(`${name}-paragraphs`);
  }
  let operations: unknown[] = [];
  let cablesInBatch = 0;
  let bulkRequests = 0;
  const flush = async (): Promise<void> => {
    if (cablesInBatch === 0) return;
    const r = await es.bulk({ operations });
    if (r.errors) throw new Error(`bulk errors in ${shape}: ${JSON.stringify(r.items.find((i) => i.index?.error))}`);
    bulkRequests++;
    operations = [];
    cablesInBatch = 0;
  };
  const services = servicePids();
  const cpu0 = cpuSnapshot(services);
  const time0 = await indexingTimeMs();
  for (let copy = 0; copy < COPIES; copy++) {
    for (const d of dev) {
      const id = `${d.cable_id}-${copy}`;
      const doc = shape === 'nested' ? d : { ...d, paragraph_texts: [] };
      operations.push({ index: { _index: alias, _id: id } }, doc);
      cablesInBatch++;
      if (shape === 'separate')
        for (const p of d.paragraph_texts) {
          operations.push(
            { index: { _index: `${name}-paragraphs`, _id: `${id}-${p.number}` } },
            { cable_id: d.cable_id, ...p, sent_at: d.sent_at, origin: d.origin, classification: d.classification },
          );
        }
      // Batches as large in cables as the other shapes' (the paragraphs ride along).
      if (cablesInBatch >= BULK_DOCS) await flush();
    }
  }
  await flush();
  await es.indices.refresh({ index: indices });
  const cpu = cpuPerCable(cpu0, cpuSnapshot(services), cables);
  const indexingMs = ((await indexingTimeMs()) - time0) / cables;
  await es.indices.forcemerge({ index: indices, max_num_segments: 1 });
  const stats = await es.indices.stats({ index: indices, metric: 'store' });
  const storeMb = (stats._all.primaries?.store?.size_in_bytes ?? 0) / 1e6;
  await es.indices.delete({ index: indices });
  await es.indices.deleteIndexTemplate({ name: alias });
  return { esCpuMs: cpu['elasticsearch']!, indexingMs, bulkRequests, storeMb };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const shapes: Shape[] = ['none', 'nested', 'separate'];
const samples: Record<Shape, Sample[]> = { none: [], nested: [], separate: [] };
log(
  `${cables} cables (${dev.length} dev cables x ${COPIES}), ${paragraphs} paragraphs; warm-up, then ${ROUNDS} rounds`,
);
for (const s of shapes) await runShape(s, 0);
for (let round = 1; round <= ROUNDS; round++)
  for (const s of shapes) {
    const r = await runShape(s, round);
    samples[s].push(r);
    log(
      `round ${round} ${s}: ES ${r.esCpuMs} ms CPU/cable, indexing ${r.indexingMs.toFixed(2)} ms/cable, ${r.storeMb.toFixed(2)} MB`,
    );
  }
// The minimal distribution answers GET / with 405; the nodes info API carries the version.
const esVersion =
  Object.values((await es.nodes.info({ node_id: '_all', metric: '_none' })).nodes)[0]?.version ?? 'unknown';
await es.close();

const rows = shapes.map((s) => {
  const m = (f: (x: Sample) => number): number => median(samples[s].map(f));
  return {
    shape: s,
    cpu: m((x) => x.esCpuMs),
    indexing: m((x) => x.indexingMs),
    bulk: m((x) => x.bulkRequests),
    store: m((x) => x.storeMb),
    all: samples[s],
  };
});
const none = rows[0]!;
const table = [
  '| shape | Elasticsearch CPU ms per cable (median; all rounds) | indexing ms per cable | bulk requests | store MB (force-merged) |',
  '| --- | --- | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.shape} | ${r.cpu.toFixed(2)} (${r.all.map((x) => x.esCpuMs.toFixed(2)).join(' / ')})${r.shape === 'none' ? '' : `, +${(r.cpu - none.cpu).toFixed(2)} over none`} | ${r.indexing.toFixed(2)} | ${r.bulk} | ${r.store.toFixed(2)} |`,
  ),
].join('\n');
const doc = `# Benchmarks: two shapes for the paragraphs (issue #29)

Measured by \`npm run bench -- --paragraph-shapes --copies ${COPIES} --rounds ${ROUNDS}\` (bench/paragraph-shapes.ts) on
${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${new Date().toISOString().slice(0, 10)}, against the local
Elasticsearch ${esVersion} (the minimal distribution, English twins stemmed by Hunspell):
the ${dev.length} parsed cables of corpus/dev, each indexed ${COPIES} times under distinct ids (${cables} cables,
${paragraphs} paragraphs), bulk requests of ${BULK_DOCS} cables, into fresh indices. Each shape ran once to warm up, then
${ROUNDS} times alternating; medians.

${table}

- **none**: the cable documents without paragraph texts (what everything else costs).
- **nested** (shipped): \`paragraph_texts\` nested in the cable document, one hidden Lucene
  document per paragraph beside the cable's.
- **separate**: the cables without them, and one document per paragraph (cable_id, number,
  portion_mark, text and its English twin, sent_at, origin, classification) in an index of its own.

What the numbers leave out: the separate shape's upkeep. Its paragraphs must follow the chosen
version of their cable (cable-versions.ts): when a later file becomes the chosen one, or a file
moves to another document, the old paragraphs are deleted and the new ones written, a second
write path with its own partial failures between two indices. Nested paragraphs ride in the cable
document's one conditioned write (\`if_seq_no\`), so the identity guarantees hold for them unchanged.

Why nested ships: Elasticsearch's CPU per cable is about the same in both shapes, within what
rounds vary on this machine (the paragraphs' text, analysed twice, is most of the cost wherever it
lives), the store is the same, and nested keeps one
document per cable, one write and one place for each decision. What analysts lose: Lens and the
aggregation-based visualizations cannot aggregate nested fields, so the dashboard's "Paragraphs by
portion mark" is a Vega panel with its own nested aggregation, and Discover lists the cables that
hold the paragraphs a query finds, not the paragraphs alone. What they keep: "the SECRET paragraphs
that mention X" is one KQL query (\`paragraph_texts:{ portion_mark : S and text.english : X }\`), and
every cable facet (date, origin, TAGS) filters it with no copies of the cable's fields to keep in step.
`;
writeFileSync(values.doc!, doc);
process.stdout.write(`${table}\n\nwrote ${values.doc}\n`);
process.exit(0);
