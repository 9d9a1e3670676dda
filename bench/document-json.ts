/**
 * What serialising one document costs a worker (its JSON, then its UTF-8 bytes, as the bulk writer
 * sends them): JSON.stringify against documentSourceJson (src/shared/elasticsearch/document-json.ts),
 * over the bench's generated cables, in alternating rounds, CPU µs per document (median of the
 * rounds after the first). Also the two texts alone, JSON.stringify against jsonString.
 *   npm run bench:document-json [-- --n 3000 --rounds 8]
 */
import { parseArgs } from 'node:util';
import { documentSourceJson, jsonString, type DocumentSource } from '../src/shared/elasticsearch/document-json.js';
import { loadReferenceData } from '../src/shared/reference/load.js';
import { documentFromBytes } from '../src/workers/pipeline.js';
import { generateCable, loadVocabulary } from './generate.js';

const { values } = parseArgs({
  options: { n: { type: 'string', default: '3000' }, rounds: { type: 'string', default: '8' } },
});
const n = Number(values.n);
const rounds = Number(values.rounds);
const ref = loadReferenceData();
const vocabulary = loadVocabulary();
const sources: DocumentSource[] = [];
for (let i = 0; i < n; i++) {
  const bytes = Buffer.from(generateCable(i, vocabulary).text);
  const file = {
    path: `/inbox/${i}.txt`,
    sha256: '0'.repeat(64),
    size: bytes.length,
    detectedAt: new Date().toISOString(),
  };
  const doc = documentFromBytes(file, bytes, ref, 5_000_000);
  if (!doc.ok) continue;
  const { versions: _v, version_count: _c, ...source } = doc.value;
  sources.push(source);
}

const ways: Record<string, (d: DocumentSource) => unknown> = {
  'JSON.stringify, then Buffer.from': (d) => Buffer.from(JSON.stringify(d)),
  'documentSourceJson, then Buffer.from': (d) => Buffer.from(documentSourceJson(d)),
  'the two texts: JSON.stringify': (d) => [
    JSON.stringify(d.body),
    d.paragraph_texts.map((p) => JSON.stringify(p.text)),
  ],
  'the two texts: jsonString': (d) => [jsonString(d.body), d.paragraph_texts.map((p) => jsonString(p.text))],
};
const times = new Map<string, number[]>(Object.keys(ways).map((k) => [k, []]));
for (let r = 0; r < rounds; r++)
  for (const [name, way] of Object.entries(ways)) {
    const start = process.cpuUsage();
    for (const d of sources) way(d);
    const used = process.cpuUsage(start);
    times.get(name)!.push((used.user + used.system) / sources.length);
  }
const chars = sources.reduce((sum, d) => sum + JSON.stringify(d).length, 0) / sources.length;
process.stdout.write(
  `${sources.length} documents, ${Math.round(chars)} characters of JSON each on average, ${process.version}\n`,
);
for (const [name, xs] of times) {
  const kept = xs.slice(1).sort((a, b) => a - b);
  const median = kept[Math.floor(kept.length / 2)]!;
  process.stdout.write(
    `${name.padEnd(40)} ${median.toFixed(1).padStart(7)} µs per document (rounds ${kept.map((x) => x.toFixed(0)).join(' ')})\n`,
  );
}
