import type { CableDocument } from '../stages.js';

/** A document as the bulk writer sends it: without its versions, which are merged in at send time. */
export type DocumentSource = Omit<CableDocument, 'versions' | 'version_count'>;

/**
 * The JSON of a document's `_source`: what JSON.stringify makes of it, but for the two long texts
 * (`body`, and the paragraphs' `text`, which together are most of its characters), which are
 * quoted by `jsonString` and come last. The object is the same, member for member; only the order
 * of `body` and `paragraph_texts` among the members differs, which JSON and Elasticsearch ignore.
 *
 * Why: serialising a document and encoding it as UTF-8 was about a third of a worker's own work
 * per cable, and V8's JSON.stringify escaping those two texts one character at a time was the
 * largest part of it (perf over a 40k run: JsonStringifier::SerializeString 10% of the workers'
 * CPU, on Node 20). A regular expression finds the few characters that need escaping: the two texts
 * cost 34 µs instead of 111, and a whole document with its bytes 116 instead of 137
 * (`npm run bench:document-json -- --rounds 12`, the bench's generated cables, Node 20). What is
 * left is JSON.stringify of the rest of the document and the UTF-8 encoding.
 */
export function documentSourceJson(doc: DocumentSource): string {
  const { body, paragraph_texts, ...rest } = doc;
  // The declared shape only: anything else (a partial document a test makes) is JSON.stringify's,
  // so that the bulk writer never throws on a document.
  if (typeof body !== 'string' || !Array.isArray(paragraph_texts) || !paragraph_texts.every(isParagraph))
    return JSON.stringify(doc);
  return withMember(
    withMember(JSON.stringify(rest), 'body', jsonString(body)),
    'paragraph_texts',
    `[${paragraph_texts.map(paragraphJson).join(',')}]`,
  );
}

type Paragraph = DocumentSource['paragraph_texts'][number];
/** Every member of a paragraph is written by paragraphJson: a member added to the type stops this compiling. */
export const _everyParagraphMember: Exclude<keyof Paragraph, 'number' | 'portion_mark' | 'text'> extends never
  ? true
  : never = true;

function isParagraph(p: Paragraph): boolean {
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof p.number === 'number' &&
    (p.portion_mark === null || typeof p.portion_mark === 'string') &&
    typeof p.text === 'string'
  );
}

function paragraphJson(p: Paragraph): string {
  return `{"number":${JSON.stringify(p.number)},"portion_mark":${JSON.stringify(p.portion_mark)},"text":${jsonString(p.text)}}`;
}

/** `{...}` with one more member at its end, whose value is JSON already. */
function withMember(objectJson: string, key: string, valueJson: string): string {
  return `${objectJson === '{}' ? '{' : `${objectJson.slice(0, -1)},`}"${key}":${valueJson}}`;
}

/** What JSON.stringify escapes in a string: controls, the quote, the backslash, and lone surrogates. */
// eslint-disable-next-line no-control-regex -- the control characters are what it looks for
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/g;

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\f': '\\f',
  '\r': '\\r',
};

const isHigh = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

function escapeChar(c: string, at: number, s: string): string {
  const short = SHORT_ESCAPES[c];
  if (short !== undefined) return short;
  const code = c.charCodeAt(0);
  // A surrogate is kept when it is half of a pair; alone it is escaped (well-formed JSON.stringify).
  if (isHigh(code) && isLow(s.charCodeAt(at + 1))) return c;
  if (isLow(code) && isHigh(s.charCodeAt(at - 1))) return c;
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/** JSON.stringify(s), character for character, for a string. */
export function jsonString(s: string): string {
  return `"${s.replace(NEEDS_ESCAPE, escapeChar)}"`;
}
