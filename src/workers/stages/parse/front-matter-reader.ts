import { caveatsIn, matchEo, parseClassifiedBy, type ClassifiedBy, type EoLine } from './front-matter.js';
import { CLASSIFIED_BY, PARAGRAPH_START, REF_LINE, SUBJECT_LINE, TAGS_LINE } from './grammar.js';
import { mayHoldRunOnFields, splitRunOn } from './line-repair.js';
import { splitTags } from './tags.js';
import { codeAt, isWhiteSpace, squash } from './text.js';

/** How many lines the front matter (handling, E.O., TAGS, SUBJECT, REF) may span. */
const FRONT_MATTER_WINDOW = 80;

export interface FrontMatter {
  caveats: string[];
  handling: string[];
  sensitive: boolean;
  eo: EoLine | null;
  tags: string[];
  tagsRaw: string | null;
  subject: string | null;
  refText: string | null;
  classifiedBy: ClassifiedBy | null;
  /** First line after the front matter. */
  endLine: number;
}

/** Two or more words, every one a known TAGS code. */
function isUnlabelledTagsLine(line: string, knownTags?: ReadonlySet<string>): boolean {
  if (!knownTags || line.length > 120) return false;
  const words = line.split(/[\s,]+/).filter(Boolean);
  return words.length >= 2 && words.every((w) => /^[A-Z]{2,6}$/.test(w) && knownTags.has(w));
}

/**
 * The REF list so far ends inside an item: a bullet with nothing after it, a year or a name still
 * waiting for its serial.
 */
function refItemDangles(refText: string): boolean {
  const t = refText.trimEnd();
  if (/(?:^|[\s;,])(?:\(?[A-Z]\)|[A-Z]\.)$/.test(t)) return true;
  const lastItem = t
    .split(/(?:^|[\s;,])(?:\(?[A-Z]\)|[A-Z]\.)\s/)
    .at(-1)!
    .trim();
  if (/^(?:19|20)?\d{2}$/.test(lastItem)) return true;
  return (
    lastItem !== '' &&
    !/\d/.test(lastItem) &&
    /^[A-Za-z][A-Za-z .'-]{1,30}$/.test(lastItem) &&
    lastItem.split(/\s+/).length <= 3
  );
}

/** A paragraph that starts on the REF line (its line breaks lost): `... 124006   1.  In response to reftel, ...`. */
const PARAGRAPH_IN_LINE = /\s(?:¶\s?)?\d{1,3}\s?\.\s+(?:\([A-Z/ ]{1,12}\)\s*)?[A-Z][a-z]/;
/** Longer than any REF list seen (the longest of the dev corpus is under 1,000 characters): the rest is run-on text. */
const REF_TEXT_LIMIT = 2_000;

/** A field's text without the body that a run-on line carries after it. */
function untilParagraph(text: string): string {
  const para = PARAGRAPH_IN_LINE.exec(text);
  return para ? text.slice(0, para.index) : text;
}

/** The REF list without the body that a run-on line carries after it. */
function endOfRefList(refText: string): string {
  const cut = untilParagraph(refText);
  return cut.length > REF_TEXT_LIMIT ? cut.slice(0, REF_TEXT_LIMIT) : cut;
}

/** The letter a lettered REF list would use next (`B` after `(A) ...`), or null. */
function nextRefLetter(refLines: readonly string[]): string | null {
  const letters = [...refLines.join(' ').matchAll(/(?:^|[\s;,])(?:¶\s?)?\(?([A-Z])[.)]/g)].map((m) => m[1]!);
  const last = letters.at(-1);
  return last ? String.fromCharCode(last.charCodeAt(0) + 1) : null;
}

/** `B.`, `(B)`, `¶B.` opening a line: the next bullet of a lettered REF list (one pattern per letter, made once). */
const REF_BULLETS = new Map<string, RegExp>();
function refBulletPattern(letter: string): RegExp {
  let re = REF_BULLETS.get(letter);
  if (!re) REF_BULLETS.set(letter, (re = new RegExp(`^\\s*(?:¶\\s?)?\\(?${letter}[.)]`)));
  return re;
}

const HANDLING_WORDS = /\b(?:NOFORN|SIPDIS|SENSITIVE|NOT FOR INTERNET DISTRIBUTION|EXDIS|NODIS|LIMDIS|STADIS)\b/gi;
const SEPARATORS = /[\s,;/.-]+/g;

/**
 * A line before the fields says more than its caveats (`DEPT FOR EAP/CM`): more than two
 * characters are left without the caveat words and separators. Most lines hold no caveat word
 * (`anyCaveat` from caveatsIn, whose words include all of these but SENSITIVE): then only the
 * separators need counting, without building the rest.
 */
function holdsMoreThanCaveats(t: string, anyCaveat: boolean): boolean {
  if (anyCaveat || /SENSITIVE/i.test(t)) return t.replace(HANDLING_WORDS, '').replace(SEPARATORS, '').length > 2;
  let kept = 0;
  for (let k = 0; k < t.length && kept <= 2; k++) if (!isSeparator(codeAt(t, k))) kept++;
  return kept > 2;
}

/** The characters of SEPARATORS: white space (as `\\s` has it), `,` `;` `/` `.` `-`. */
function isSeparator(c: number): boolean {
  return c === 0x2c || c === 0x3b || c === 0x2f || c === 0x2e || c === 0x2d || isWhiteSpace(c);
}

const SUBJECT_PORTION_MARK = /^\((U|C|S|SBU|LOU|TS|C\/NF|S\/NF|S\/\/NF|C\/\/NF|TS\/\/NF|U\/\/FOUO|FOUO|SBU\/NF)\)\s*/i;

type OpenField = 'tags' | 'subject' | 'ref' | 'classifiedBy' | null;

/** Lines before any field that may still hold a caveat or a handling line. */
const HANDLING_LIMIT = 10;

/**
 * The front matter between banner and first paragraph, read line by line: a field stays open
 * across wrapped lines until a blank line, another field or a paragraph closes it.
 * `knownTags` (the reference table's TAGS codes) splits glued entries and spots unlabelled TAGS lines.
 */
export function readFrontMatter(lines: readonly string[], start: number, knownTags?: ReadonlySet<string>): FrontMatter {
  return new FrontMatterReader(lines, start, knownTags).read();
}

/**
 * The reader's state while it goes down the lines: what each field has gathered so far. A field is
 * open to wrapped lines while `open` names it; a field already read is not read again (its lines
 * are not empty). `finish` makes the FrontMatter value from it.
 */
class FrontMatterReader {
  private open: OpenField = null;
  private eo: EoLine | null = null;
  private readonly caveats: string[] = [];
  private readonly handlingLines: string[] = [];
  private sensitive = false;
  private readonly subjectLines: string[] = [];
  private readonly refLines: string[] = [];
  private readonly tagLines: string[] = [];
  private readonly classifiedLines: string[] = [];
  private readonly wrapped = {
    subject: { lines: this.subjectLines, maxLines: 6 },
    ref: { lines: this.refLines, maxLines: 12 },
    classifiedBy: { lines: this.classifiedLines, maxLines: 4 },
  };
  private sawField = false;
  private refLetter: { lines: number; next: string | null } = { lines: -1, next: null };

  constructor(
    private readonly lines: readonly string[],
    private readonly start: number,
    private readonly knownTags?: ReadonlySet<string>,
  ) {}

  read(): FrontMatter {
    const end = Math.min(this.lines.length, this.start + FRONT_MATTER_WINDOW);
    let i = this.start;
    for (; i < end; i++) {
      const rawLine = this.lines[i]!;
      if (rawLine.trim() === '') {
        this.blank(i);
        continue;
      }
      if (this.paragraphsBegin(i, rawLine)) break;
      i = this.line(i, rawLine);
    }
    return this.finish(i);
  }

  /** A blank line closes the open field, unless a lettered REF list goes on after it. */
  private blank(i: number): void {
    if (this.open === 'ref') {
      // Lettered references often stand apart: `REF: A. PANAMA 651`, blank, `¶B. PANAMA 1213`.
      const next = this.lines.slice(i + 1, i + 4).find((l) => l.trim() !== '');
      if (next !== undefined && !PARAGRAPH_START.test(next)) {
        if (/^\s*[-–]?\s*(?:¶\s?)?(?:\(?[A-Z]\)|[A-Z][.)]|\[[A-Z]\])\s*\S/.test(next)) return;
        // A page break inside an item: `C) RIO`, blank, `DE JANEIRO 1291`; `D)`, blank, `Taipei 03196`.
        if (refItemDangles(this.refLines.join(' ')) && next.length < 120) return;
      }
    }
    this.open = null;
  }

  /**
   * The first paragraph ends the front matter; `(C) Sao Paulo 42` continuing a lettered REF list (`(A)
   * ...; (B) ...;`) does not.
   */
  private paragraphsBegin(i: number, rawLine: string): boolean {
    const nextLetter = this.open === 'ref' ? this.nextRefLetter() : null;
    const refBullet = nextLetter !== null && refBulletPattern(nextLetter).test(rawLine);
    return !refBullet && PARAGRAPH_START.test(rawLine) && (this.sawField || i > this.start + 30);
  }

  /** nextRefLetter of the REF lines so far, worked out again only when a line was added. */
  private nextRefLetter(): string | null {
    if (this.refLetter.lines !== this.refLines.length)
      this.refLetter = { lines: this.refLines.length, next: nextRefLetter(this.refLines) };
    return this.refLetter.next;
  }

  /** One line: its fields (several when their newlines were lost); returns the last line it used. */
  private line(i: number, rawLine: string): number {
    // Fields whose newlines were lost sit on one line: split them apart.
    const pieces: string[] = mayHoldRunOnFields(rawLine)
      ? splitRunOn(rawLine).filter((p) => p.trim() !== '')
      : [rawLine];
    // SUBJECT keeps its whole line, run-ons included (as the page titles do); REF and Classified By
    // on the same line are still read from the pieces after it.
    const wholeSubject = this.subjectLines.length === 0 ? SUBJECT_LINE.exec(rawLine.trim()) : null;
    if (wholeSubject) {
      i = this.subjectLine(i, wholeSubject[1]!);
      this.open = pieces.length > 1 ? null : 'subject';
      pieces.shift();
    }
    for (const piece of pieces) {
      const t = piece.trim();
      if (this.field(t) || this.continued(t)) continue;
      this.handling(t);
    }
    return i;
  }

  /** `SUBJECT:` alone takes the subject from the next line after a blank. */
  private subjectLine(i: number, text: string): number {
    let subjectText = text;
    if (subjectText.trim() === '') {
      const j = this.lines.findIndex((l, k) => k > i && l.trim() !== '');
      if (j > i && j <= i + 3 && !PARAGRAPH_START.test(this.lines[j]!)) {
        subjectText = this.lines[j]!;
        i = j;
      }
    }
    this.subjectLines.push(subjectText);
    this.sawField = true;
    return i;
  }

  /** A field's first line: E.O., TAGS (labelled or not), SUBJECT, REF, Classified By. */
  private field(t: string): boolean {
    const eo = this.eo === null ? matchEo(t) : null;
    if (eo) {
      this.eo = eo;
      return this.opened(null);
    }
    const tg = this.tagLines.length === 0 && !/^TAG(?!ES\b)[A-Z]{2,}/i.test(t) ? TAGS_LINE.exec(t) : null;
    if (tg) return this.tags((tg[1] ?? tg[2] ?? '').trim());
    // A TAGS line that lost its label, between the E.O. line and SUBJECT: `EFIN, ECON, EINV, PGOV, CH`.
    if (
      this.tagLines.length === 0 &&
      this.eo !== null &&
      this.subjectLines.length === 0 &&
      this.open === null &&
      isUnlabelledTagsLine(t, this.knownTags)
    )
      return this.tags(t);
    const sj = this.subjectLines.length === 0 ? SUBJECT_LINE.exec(t) : null;
    if (sj) {
      this.subjectLines.push(sj[1]!);
      return this.opened('subject');
    }
    if (this.refLines.length === 0 && this.refLine(t)) return this.opened('ref');
    const cb = this.classifiedLines.length === 0 ? CLASSIFIED_BY.exec(t) : null;
    if (cb) {
      this.classifiedLines.push(cb[1]!);
      return this.opened('classifiedBy');
    }
    return false;
  }

  private opened(field: OpenField): true {
    this.open = field;
    this.sawField = true;
    return true;
  }

  private tags(first: string): true {
    this.tagLines.push(first);
    return this.opened('tags');
  }

  /** `REF: ...`, and `A. REF AMMAN 222`, which opens a lettered list with its first bullet. */
  private refLine(t: string): boolean {
    const first = codeAt(t, 0) | 0x20;
    if (first !== 0x72 && first !== 0x61) return false; // `REF...`, `A. REF ...`
    const bulletFirst = /^A[.)]\s*(?=REF\b)/.exec(t);
    const rf = REF_LINE.exec(bulletFirst ? t.slice(bulletFirst[0].length) : t);
    if (!rf || !(this.sawField || bulletFirst || /^REF/i.test(t))) return false;
    this.refLines.push(bulletFirst ? `A. ${rf[1]!}` : rf[1]!);
    return true;
  }

  /** A wrapped line of the open field; false (and the field closed) when it cannot be one. */
  private continued(t: string): boolean {
    const open = this.open;
    if (open === null) return false;
    if (open === 'tags') {
      if (this.tagsGoOn(t)) {
        this.tagLines.push(t);
        return true;
      }
    } else {
      // Wrapped lines continue the open field, up to a few (the longest of each seen, and some).
      const field = this.wrapped[open];
      if (field.lines.length < field.maxLines) {
        field.lines.push(t);
        return true;
      }
    }
    this.open = null;
    return false;
  }

  /**
   * A wrapped TAGS line continues with codes (`NATO, UK, CN`, `CLEARANCE`), not with prose; after
   * a trailing comma, whatever the case (`Tags: prel, parm,` / `etra, mnuc`).
   */
  private tagsGoOn(t: string): boolean {
    if (this.tagLines.at(-1)?.trimEnd().endsWith(',') && t.length < 120 && !t.includes(':')) return true;
    return (
      /^[A-Z0-9 ,;()/.&'-]+$/.test(t) &&
      t.length < 120 &&
      (t.split(/[\s,]+/).length <= 3 || t.split(/[\s,]+/).every((w) => w.length <= 5))
    );
  }

  /** Before the fields: caveat and handling lines (`SIPDIS`, `NOFORN`, `DEPT FOR EAP/CM`, `SENSITIVE`). */
  private handling(t: string): void {
    if (this.sawField && this.subjectLines.length > 0) return;
    const cav = caveatsIn(t);
    for (const c of cav) if (!this.caveats.includes(c)) this.caveats.push(c);
    if (/^(?:SIPDIS\s+)?SENSITIVE\b/i.test(t)) this.sensitive = true;
    if (!this.sawField && this.handlingLines.length < HANDLING_LIMIT && holdsMoreThanCaveats(t, cav.length > 0))
      this.handlingLines.push(squash(t));
  }

  private finish(endLine: number): FrontMatter {
    const caveats = this.caveats;
    const tagsRaw = this.tagLines.length > 0 ? squash(this.tagLines.join(' ')) : null;
    let subject: string | null = null;
    if (this.subjectLines.length > 0) {
      const joined = squash(this.subjectLines.join(' '));
      const mark = SUBJECT_PORTION_MARK.exec(joined);
      const s = mark ? joined.slice(mark[0].length) : joined;
      subject = s.length > 0 ? s : null;
      // The subject line's own portion mark `(C/NF)` marks the cable NOFORN.
      if (mark && /NF\b/i.test(mark[1]!) && !caveats.includes('NOFORN')) caveats.push('NOFORN');
    }
    return {
      caveats,
      handling: this.handlingLines,
      sensitive: this.sensitive,
      eo: this.eo,
      tags: tagsRaw === null ? [] : splitTags(tagsRaw, this.knownTags),
      tagsRaw,
      subject,
      refText: this.refLines.length > 0 ? endOfRefList(squash(this.refLines.join(' '))) : null,
      classifiedBy:
        this.classifiedLines.length > 0 ? parseClassifiedBy(untilParagraph(this.classifiedLines.join(' '))) : null,
      endLine,
    };
  }
}
