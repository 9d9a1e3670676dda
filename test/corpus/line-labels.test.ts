import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { matchBanner } from '../../src/workers/stages/parse/banner.js';
import * as G from '../../src/workers/stages/parse/grammar.js';
import { HeaderLine, HeaderLineLabels } from '../../src/workers/stages/parse/line-labels.js';
import { normaliseLines } from '../../src/workers/stages/parse/text.js';
import { LINE_GRAMMAR } from '../../bench/scoring/line-grammar.js';
import { corpusPath } from '../helpers/paths.js';

/** Each label as its plain pattern says, tried on every line whatever its first character. */
const PLAIN: Record<keyof typeof HeaderLine, (l: string) => boolean> = {
  blank: (l) => l === '',
  distributionBlock: (l) => G.DISTRIBUTION_BLOCK.test(l),
  distributionCont: (l) => G.DISTRIBUTION_CONT.test(l),
  printBreak: (l) => G.PAGE_START.test(l) || G.DASH_SEQ.test(l) || G.END_OF_MESSAGE.test(l),
  transmission: (l) => G.TRANSMISSION.test(l),
  relay: (l) => G.RELAY.test(l),
  routing: (l) => G.DE_LINE.test(l),
  security: (l) => G.SECURITY.test(l),
  precedenceDtg: (l) => G.PRECEDENCE_DTG.test(l),
  from: (l) => G.FM_LINE.test(l),
  to: (l) => G.TO_LINE.test(l),
  info: (l) => G.INFO_LINE.test(l),
  xmt: (l) => G.XMT_LINE.test(l),
  riPla: (l) => G.RI_PLA.test(l),
  bareList: (l) => G.BARE_LIST.test(l),
  mailFrom: (l) => G.MAIL_FROM.test(l),
  bodyStart: (l) => G.CLASSIFICATION_START.test(l) || G.BODY_FIELD_START.test(l),
  bodyFirst: (l) => matchBanner(l) !== null || G.EO_OR_PARAGRAPH_START.test(l),
};

describe("header line labels on every header-window line of the dev cables and the grammar's examples", () => {
  const dir = corpusPath('dev');
  const lines = readdirSync(dir)
    .filter((n) => n.endsWith('.txt'))
    .flatMap((n) => normaliseLines(readFileSync(join(dir, n), 'utf8')).slice(0, 120))
    .map((l) => l.trim())
    // And the grammar's own examples (no dev header has an XMT line).
    .concat(LINE_GRAMMAR.map((e) => e.example));

  it('agree with the plain patterns: the first-character shortcuts drop no match', () => {
    const seen: Record<string, number> = {};
    for (const line of lines) {
      const labels = new HeaderLineLabels(line);
      for (const [name, plain] of Object.entries(PLAIN) as Array<[keyof typeof HeaderLine, (l: string) => boolean]>) {
        const want = plain(line);
        assert.equal(labels.is(HeaderLine[name]), want, `${name} on ${JSON.stringify(line.slice(0, 80))}`);
        if (want) seen[name] = (seen[name] ?? 0) + 1;
      }
    }
    // Every label occurs, so each shortcut was tried on lines it must keep.
    assert.deepEqual(
      Object.keys(PLAIN).filter((k) => !seen[k]),
      [],
    );
  });
});
