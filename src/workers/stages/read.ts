import { isUtf8 } from 'node:buffer';
import { failure } from '#shared/errors.js';
import { fail, ok, type Result } from '#shared/result.js';
import type { DroppedFile, RawCable } from '#shared/stages.js';

/**
 * DroppedFile + bytes -> RawCable: a pure function of the bytes (the watcher read them once and
 * they travelled with the job, with their SHA-256). Guards, each a typed reason: too large, empty, binary, unknown
 * charset. Charset: UTF-8 when the bytes are valid UTF-8; else Windows-1252 when C1 bytes occur
 * (curly quotes in Windows exports); else Latin-1. UTF-16 and other wide encodings are not cables.
 */
export function readCable(file: DroppedFile, bytes: Buffer, maxBytes: number): Result<RawCable> {
  if (bytes.length > maxBytes)
    return fail(failure('too_large', `${bytes.length} bytes is over the limit of ${maxBytes} (MAX_FILE_BYTES)`));
  const decoded = decode(bytes);
  if (!decoded.ok) return decoded;
  const { text, charset } = decoded.value;
  if (text.trim() === '')
    return fail(failure('empty_file', bytes.length === 0 ? 'the file is empty' : 'the file holds only white space'));
  // The file's hash came with it (the intake computed it when it read the bytes): not again here.
  return ok({
    file: { ...file, size: bytes.length },
    text,
    charset,
    lineEnding: text.includes('\r\n') ? 'crlf' : text.includes('\r') ? 'cr' : text.includes('\n') ? 'lf' : 'none',
  });
}

export function decode(bytes: Buffer): Result<{ text: string; charset: RawCable['charset'] }> {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    return fail(failure('unknown_charset', 'UTF-16 text (byte-order mark) is not read; save the cable as UTF-8'));
  }
  const sample = bytes.subarray(0, 65_536);
  if (sample.indexOf(0) >= 0) return fail(failure('not_text', 'NUL bytes: the file is binary'));
  // One pass over the sample's bytes (no string made of them): control bytes other than tab, LF,
  // FF and CR (a few are debris, many mean binary); bytes above 0x7F, and any in the C1 row.
  let control = 0;
  let c1 = false;
  let high = 0;
  for (let i = 0; i < sample.length; i++) {
    const b = sample[i]!;
    if (b < 0x20) {
      if (b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d) control++;
    } else if (b >= 0x80) {
      high++;
      if (b <= 0x9f) c1 = true;
    }
  }
  if (control > sample.length * 0.01 + 2)
    return fail(failure('not_text', `${control} control bytes in the first ${sample.length}: the file is binary`));
  if (isUtf8(bytes)) return ok({ text: bytes.toString('utf8'), charset: 'utf-8' });
  // Not UTF-8: a single-byte charset.
  if (c1) return ok({ text: decodeWindows1252(bytes), charset: 'windows-1252' });
  // Mostly high bytes is not Western text in any single-byte charset we know.
  if (high > sample.length * 0.3)
    return fail(failure('unknown_charset', `${high} of ${sample.length} bytes are above 0x7F and not UTF-8`));
  return ok({ text: bytes.toString('latin1'), charset: 'latin1' });
}

/**
 * Windows-1252 by hand: Node's TextDecoder reads the `windows-1252` label as ISO-8859-1 (C1
 * controls where Windows has curly quotes and dashes), so the 0x80-0x9F row is mapped here.
 */
const CP1252_HIGH = [
  0x20ac, 0xfffd, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0xfffd,
  0x017d, 0xfffd, 0xfffd, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0xfffd, 0x017e, 0x0178,
];

export function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  const chunk: number[] = [];
  for (const b of bytes) {
    chunk.push(b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : b);
    if (chunk.length === 8192) {
      out += String.fromCharCode(...chunk);
      chunk.length = 0;
    }
  }
  return out + String.fromCharCode(...chunk);
}
