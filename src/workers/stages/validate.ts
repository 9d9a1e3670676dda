import { failure, type IssueLite } from '#shared/errors.js';
import { fail, ok, type Result } from '#shared/result.js';
import { ParsedCable } from '#shared/stages.js';

/**
 * ParsedCable -> ParsedCable: the parser's output checked against the schema. The parser is ours,
 * so a failure here is a grammar bug or an impossible value; it is dead-lettered with every issue.
 */
export function validateCable(cable: ParsedCable): Result<ParsedCable> {
  const r = ParsedCable.safeParse(cable);
  if (!r.success) {
    const issues: IssueLite[] = r.error.issues.map((i) => ({
      path: i.path.join('.'),
      message: i.message,
      code: i.code,
    }));
    return fail(
      failure(
        'validation_failed',
        `${issues.length} schema issue(s): ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
        issues,
      ),
    );
  }
  const c = r.data;
  // A header and nothing after it: the file was cut off (or is only a routing slip).
  const text =
    c.banner === null && c.subject === null && c.tags.length === 0 && c.paragraphs.length === 0
      ? c.body.replace(/\s+/g, '')
      : null;
  if (text !== null && text.length < 200) {
    return fail(
      failure('validation_failed', 'a header with no cable text after it: the file looks truncated', [
        {
          path: 'body',
          message: `${text.length} characters of text, no banner, SUBJECT, TAGS or paragraphs`,
          code: 'truncated',
        },
      ]),
    );
  }
  if (c.cableId === null && c.subject === null && c.tags.length === 0 && c.dtg === null) {
    return fail(
      failure(
        'validation_failed',
        'no cable id, date-time group, subject or TAGS: nothing an analyst could find it by',
        [{ path: 'cableId', message: 'no id could be read from the header or banner', code: 'missing' }],
      ),
    );
  }
  return ok(c);
}
