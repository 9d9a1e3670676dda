import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { it } from 'node:test';
import { documentOf } from '../../bench/scoring/corpus.js';
import { corpusPath } from '../helpers/paths.js';

// Issue #3: at least 99% of the routing indicators in the dev headers decode to a post
// (an embassy, consulate, mission, agency, military command or collective of the tables, or
// what the plain address beside the indicator says it is).
it('routing indicators in the dev headers decode (>= 99%)', () => {
  const dir = corpusPath('dev');
  let total = 0;
  let decoded = 0;
  const unknown = new Map<string, number>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.txt'))) {
    const o = documentOf(readFileSync(`${dir}/${f}`, 'utf8'));
    if (!o.ok) continue;
    for (const a of [...(o.doc.from ? [o.doc.from] : []), ...o.doc.to, ...o.doc.info]) {
      if (!a.ri) continue;
      total++;
      if (a.type !== null) decoded++;
      else unknown.set(`${a.ri} ${a.pla}`, (unknown.get(`${a.ri} ${a.pla}`) ?? 0) + 1);
    }
  }
  const pct = (100 * decoded) / total;
  process.stdout.write(`routing indicators decoded: ${decoded} / ${total} = ${pct.toFixed(2)}%\n`);
  assert.ok(total > 2000, `only ${total} routing indicators found`);
  assert.ok(pct >= 99, `${pct.toFixed(2)}%; undecoded: ${[...unknown.keys()].slice(0, 20).join(', ')}`);
});
