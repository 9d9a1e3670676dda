/**
 * Issue #30: what the bulk writer costs its own process per document, apart from Elasticsearch.
 * The workers' CPU per cable is the pipeline bench's figure, but there it shares two cores with
 * Elasticsearch and moves with the host by a third; this holds the rest still. Documents built
 * once (read, parse, enrich), then written `--rounds` times through the shipped BulkIndexer
 * (bulk.ts) to a sink: a child process that reads each `_bulk` body and answers every line
 * `created`. The sink does no indexing, so this measures only the client's side (serialising the
 * document, building the request's body, sending it, reading the answer) in the client's own CPU
 * time. Two sets: the real cables of corpus/dev, and the bench's generated ones (bench/generate.ts).
 *   npm run bench:bulk-client [-- --rounds 20]
 * Not a test of anything: Elasticsearch's own behaviour is measured by the pipeline bench.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Client } from '@elastic/elasticsearch';
import { contentHash } from '../src/shared/file-bytes.js';
import { BulkIndexer } from '../src/shared/elasticsearch/bulk.js';
import { loadReferenceData } from '../src/shared/reference/load.js';
import type { CableDocument } from '../src/shared/stages.js';
import { documentFromBytes } from '../src/workers/pipeline.js';
import { generateCable, loadVocabulary } from './generate.js';
import { corpusPath } from './scoring/corpus-dir.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '20' } } });
const ROUNDS = Number(values.rounds);

/** Answers `_bulk` with one `created` item per action line; anything else with `{}`. */
const SINK = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    let lines = 0;
    for (let i = body.indexOf(10); i >= 0; i = body.indexOf(10, i + 1)) lines++;
    const items = [];
    for (let i = 0; i < lines / 2; i++) items.push({ create: { _index: 'sink', _id: String(i), status: 201, result: 'created' } });
    res.writeHead(200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
    res.end(JSON.stringify(req.url.includes('_bulk') ? { took: 1, errors: false, items } : {}));
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

const ref = loadReferenceData();

/** The documents the workers would build from these files (the read stage decodes their charset). */
function built(files: Array<[string, Buffer]>): CableDocument[] {
  const out: CableDocument[] = [];
  for (const [name, bytes] of files) {
    const file = {
      path: `/in/${name}`,
      sha256: contentHash(bytes),
      size: bytes.length,
      detectedAt: new Date().toISOString(),
    };
    const d = documentFromBytes(file, bytes, ref, 5 * 1024 * 1024);
    if (d.ok) out.push(d.value);
  }
  return out;
}

const dev = built(
  readdirSync(corpusPath('dev'))
    .filter((n) => n.endsWith('.txt'))
    .map((n) => [n, readFileSync(corpusPath('dev', n))]),
);
const vocabulary = loadVocabulary();
const generated = built(
  Array.from({ length: dev.length }, (_, i) => {
    const g = generateCable(i, vocabulary);
    return [`${g.id}.txt`, Buffer.from(g.text)] as [string, Buffer];
  }),
);

const sink = spawn(process.execPath, ['-e', SINK], { stdio: ['ignore', 'pipe', 'inherit'] });
// The sink goes with the bench, however the bench ends (an exception too).
process.once('exit', () => sink.kill());
const [portLine] = (await once(sink.stdout, 'data')) as [Buffer];
const es = new Client({ node: `http://127.0.0.1:${portLine.toString().trim()}` });

/** Client CPU µs per document over ROUNDS writes of the set, after one round to warm up. */
async function measure(docs: CableDocument[]): Promise<{ us: number; kb: number; wide: number }> {
  const indexer = new BulkIndexer(es, 'sink', { maxDocs: 500, maxBytes: 5 * 1024 * 1024, flushMs: 20, maxInFlight: 1 });
  await Promise.all(docs.map((d) => indexer.index(d)));
  const before = process.cpuUsage();
  for (let r = 0; r < ROUNDS; r++) await Promise.all(docs.map((d) => indexer.index(d)));
  const used = process.cpuUsage(before);
  const json = docs.map((d) => JSON.stringify(d));
  return {
    us: Math.round(((used.user + used.system) / (docs.length * ROUNDS)) * 10) / 10,
    kb: Math.round(json.reduce((n, j) => n + Buffer.byteLength(j), 0) / docs.length / 102.4) / 10,
    // Documents holding a character beyond Latin-1: JavaScript keeps such a string two bytes a character.
    wide: json.filter((j) => [...j].some((c) => c.codePointAt(0)! > 0xff)).length,
  };
}

try {
  for (const [name, docs] of [
    ['corpus/dev', dev],
    ['generated', generated],
  ] as const) {
    const m = await measure(docs);
    process.stdout.write(
      `${name}: ${docs.length} documents (mean ${m.kb} KB, ${m.wide} beyond Latin-1) x ${ROUNDS}: ` +
        `bulk writer ${m.us} µs of client CPU per document\n`,
    );
  }
} finally {
  await es.close();
}
