/**
 * The part of Kibana's query language (KQL) the analysts' page uses, turned into Elasticsearch's
 * query DSL as Kibana turns it: `field : value` (a match), `field : "a phrase"` (a phrase),
 * `field : *` (exists), `field >= "v"` (range), `and`, `or`, `not`, parentheses, and
 * `path:{ ... }` over a nested field (its fields named within, as Kibana reads them). Anything else
 * is refused, so a documented query the tests cannot read fails loudly instead of being skipped.
 */
type Dsl = Record<string, unknown>;

const TOKEN = /\s*(\(|\)|\{|\}|>=|<=|>|<|:|"(?:[^"\\]|\\.)*"|[^\s():<>"{}]+)/y;

function tokens(kql: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (TOKEN.lastIndex < kql.length && (m = TOKEN.exec(kql))) out.push(m[1]!);
  if (kql.slice(TOKEN.lastIndex).trim() !== '') throw new Error(`KQL: cannot read "${kql.slice(TOKEN.lastIndex)}"`);
  return out;
}

export function kqlToDsl(kql: string): Dsl {
  const t = tokens(kql);
  let i = 0;
  const peek = (): string | undefined => t[i];
  const next = (): string => {
    const v = t[i++];
    if (v === undefined) throw new Error(`KQL: "${kql}" ends too soon`);
    return v;
  };
  const lower = (s: string | undefined): string | undefined => s?.toLowerCase();
  let prefix = '';
  const or = (): Dsl => {
    const parts = [and()];
    while (lower(peek()) === 'or') {
      i++;
      parts.push(and());
    }
    return parts.length === 1 ? parts[0]! : { bool: { should: parts, minimum_should_match: 1 } };
  };
  const and = (): Dsl => {
    const parts = [not()];
    while (lower(peek()) === 'and') {
      i++;
      parts.push(not());
    }
    return parts.length === 1 ? parts[0]! : { bool: { filter: parts } };
  };
  const not = (): Dsl => {
    if (lower(peek()) === 'not') {
      i++;
      return { bool: { must_not: [not()] } };
    }
    return primary();
  };
  const primary = (): Dsl => {
    if (peek() === '(') {
      i++;
      const inner = or();
      if (next() !== ')') throw new Error(`KQL: ")" expected in "${kql}"`);
      return inner;
    }
    const field = prefix + next();
    const op = next();
    if (op === ':' && peek() === '{') {
      i++;
      const outer = prefix;
      prefix = `${field}.`;
      const inner = or();
      prefix = outer;
      if (next() !== '}') throw new Error(`KQL: "}" expected in "${kql}"`);
      return { nested: { path: field, query: inner } };
    }
    const raw = next();
    const quoted = raw.startsWith('"');
    const value = quoted ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
    if (op === ':') {
      if (!quoted && value === '*') return { exists: { field } };
      return quoted ? { match_phrase: { [field]: value } } : { match: { [field]: { query: value } } };
    }
    const range = { '>=': 'gte', '<=': 'lte', '>': 'gt', '<': 'lt' }[op];
    if (!range) throw new Error(`KQL: operator "${op}" in "${kql}"`);
    return { range: { [field]: { [range]: value } } };
  };
  const q = or();
  if (i !== t.length) throw new Error(`KQL: "${t.slice(i).join(' ')}" left over in "${kql}"`);
  return q;
}
