import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { LINE_GRAMMAR } from '../../bench/scoring/line-grammar.js';
import { corpusPath } from '../helpers/paths.js';

describe('the line grammar: every named pattern with its example and its FORMATS.md section', () => {
  const formats = readFileSync(corpusPath('FORMATS.md'), 'utf8');
  for (const entry of LINE_GRAMMAR) {
    it(`${entry.name}: matches ${JSON.stringify(entry.example.slice(0, 50))}`, () => {
      assert.match(entry.example, entry.pattern);
    });
  }
  it('names sections that FORMATS.md has, and every pattern once', () => {
    for (const e of LINE_GRAMMAR)
      assert.ok(formats.includes(`**${e.section}`), `${e.name}: no section ${e.section} in FORMATS.md`);
    assert.equal(new Set(LINE_GRAMMAR.map((e) => e.pattern)).size, LINE_GRAMMAR.length);
  });
  it('holds no stateful (global or sticky) pattern: readers share them', () => {
    for (const e of LINE_GRAMMAR) assert.ok(!e.pattern.global && !e.pattern.sticky, e.name);
  });
});
