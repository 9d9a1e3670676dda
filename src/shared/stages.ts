/**
 * The typed boundaries between stages:
 *   DroppedFile -> RawCable -> ParsedCable -> CableDocument -> IndexResult
 * ParsedCable is a zod schema because the validate stage checks parser output against it;
 * the others are plain types produced by code we control.
 */
import * as z from 'zod';
import type { Failure } from './errors.js';

/** A file noticed in the inbox, identified by the SHA-256 of its whole content. */
export interface DroppedFile {
  path: string;
  sha256: string;
  size: number;
  /** ISO time the watcher noticed it; the start of the drop-to-searchable clock. */
  detectedAt: string;
}

export const LINE_ENDINGS = ['lf', 'crlf', 'cr', 'none'] as const;
export const CHARSETS = ['utf-8', 'windows-1252', 'latin1'] as const;

/** Bytes decoded to text. */
export interface RawCable {
  file: DroppedFile;
  text: string;
  charset: (typeof CHARSETS)[number];
  lineEnding: (typeof LINE_ENDINGS)[number];
}

export const CLASSIFICATIONS = [
  'UNCLASSIFIED',
  'SENSITIVE BUT UNCLASSIFIED',
  'LIMITED OFFICIAL USE',
  'CONFIDENTIAL',
  'SECRET',
  'TOP SECRET',
] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

export const PRECEDENCES = ['FLASH', 'IMMEDIATE', 'PRIORITY', 'ROUTINE', 'EMERGENCY', 'CRITIC'] as const;
export type Precedence = (typeof PRECEDENCES)[number];

const IsoDateTime = z.iso.datetime();
const IsoDate = z.iso.date();

export const Addressee = z.object({
  /** Routing indicator (RUEHMO); null for plain-address-only lines. */
  ri: z
    .string()
    .regex(/^R[A-Z]{3,7}$/)
    .nullable(),
  /** Plain-language address as the cable writes it, normalised (no precedence, no serial). */
  pla: z.string(),
  precedence: z.string().nullable(),
  /** Running message count to this addressee ("7329"). */
  serial: z.string().nullable(),
  /** Listed after XMT: removed from a collective distribution. */
  excluded: z.boolean(),
});
export type Addressee = z.infer<typeof Addressee>;

export const Reference = z.object({
  letter: z.string().nullable(),
  raw: z.string(),
  kind: z.enum(['cable', 'email', 'document', 'other']),
  /** Canonical id for cable references ("07MOSCOW211"). */
  cableId: z.string().nullable(),
});
export type Reference = z.infer<typeof Reference>;

export const ParsedCable = z.object({
  /** Canonical id: 2-digit year + station + serial without leading zeros. */
  cableId: z
    .string()
    .regex(/^\d{2}[A-Z]+\d+$/)
    .nullable(),
  /**
   * How the id's year was known: written in the text (`read`) or weighed from clues (`inferred`); null
   * without an id.
   */
  idBasis: z.enum(['read', 'inferred']).nullable(),
  partialExtract: z.boolean(),
  transmission: z
    .object({ id: z.string(), channel: z.string().nullable(), sequence: z.string().nullable() })
    .nullable(),
  relay: z.object({ prosign: z.string(), ris: z.array(z.string()) }).nullable(),
  originStation: z
    .object({
      ri: z.string(),
      serial: z.string(),
      section: z.string().nullable(),
      julianDay: z.number().int().min(1).max(366).nullable(),
      time: z
        .string()
        .regex(/^\d{4}$/)
        .nullable(),
    })
    .nullable(),
  securityLine: z.object({ signal: z.string(), letters: z.string() }).nullable(),
  precedence: z.enum(PRECEDENCES).nullable(),
  dtg: z.object({ raw: z.string(), sentAt: IsoDateTime }).nullable(),
  /** Filing time from the DE line, resolved against the DTG's year. */
  filedAt: IsoDateTime.nullable(),
  from: Addressee.nullable(),
  to: z.array(Addressee),
  info: z.array(Addressee),
  banner: z
    .object({
      raw: z.string(),
      station: z.string().nullable(),
      serial: z.string().nullable(),
      section: z.number().int().nullable(),
      sectionCount: z.number().int().nullable(),
    })
    .nullable(),
  classification: z.enum(CLASSIFICATIONS).nullable(),
  caveats: z.array(z.string()),
  handling: z.array(z.string()),
  eo: z
    .object({
      raw: z.string(),
      order: z.string().nullable(),
      declassifyOn: IsoDate.nullable(),
      declassifyRule: z.string().nullable(),
    })
    .nullable(),
  tags: z.array(z.string()),
  tagsRaw: z.string().nullable(),
  subject: z.string().nullable(),
  references: z.array(Reference),
  classifiedBy: z.object({ raw: z.string(), name: z.string().nullable(), reasons: z.array(z.string()) }).nullable(),
  paragraphs: z.array(z.object({ number: z.number().int(), portionMark: z.string().nullable(), text: z.string() })),
  summary: z.string().nullable(),
  signers: z.array(z.string()),
  /** The text analysts read: banner onwards, page markers taken out. */
  body: z.string(),
  /** Parser notes that are not failures (e.g. a DTG that disagrees with the filing time). */
  warnings: z.array(z.string()),
});
export type ParsedCable = z.infer<typeof ParsedCable>;

export interface GeoPoint {
  lat: number;
  lon: number;
}

/** An address decoded through the reference data. */
export interface DecodedAddress {
  ri: string | null;
  pla: string;
  label: string | null;
  type: string | null;
  city: string | null;
  country: string | null;
  country_code: string | null;
  location: GeoPoint | null;
}

export interface DecodedAddressee extends DecodedAddress {
  precedence: string | null;
  serial: string | null;
  excluded: boolean;
}

/**
 * How `cable_id` was known: `read` (year and serial both written in the text: DTG, dated header
 * or wrapper, banner), `inferred` (the year weighed from clues), `content` (no id: the SHA-256).
 */
export type IdBasis = 'read' | 'inferred' | 'content';

/**
 * One file that reads as the cable: the document records every one (src/shared/cable-versions.ts).
 * Not a shape of its own: these fields of the file's `ingest`, and these of the cable as that file
 * reads. The mapping of `versions` is derived from the same lists (index-template.ts).
 */
export const VERSION_FILE_FIELDS = [
  'sha256',
  'source_path',
  'size',
  'charset',
  'detected_at',
  'ingested_at',
  'parser_version',
  'text_sha256',
  'text_length',
] as const;
export const VERSION_CABLE_FIELDS = ['id_basis', 'cable_id', 'partial_extract'] as const;
export type CableVersion = Pick<IngestFacts, (typeof VERSION_FILE_FIELDS)[number]> &
  Pick<CableDocument, (typeof VERSION_CABLE_FIELDS)[number]>;

/** What the pipeline records of the file a document's content comes from. */
export interface IngestFacts {
  source_path: string;
  sha256: string;
  size: number;
  charset: string;
  parser_version: string;
  ingested_at: string;
  detected_at: string;
  unknown_codes: string[];
  warnings: string[];
  /** SHA-256 and length of the normalised text (LF, no trailing white space): what makes two files the same text. */
  text_sha256: string;
  text_length: number;
}

/**
 * What is indexed: one document per cable, snake_case. The one declaration of its shape: the index
 * mapping (index-template.ts) is checked against it by the compiler (MappingOf), and so are the
 * fields Kibana's assets name (FieldPath).
 */
export interface CableDocument {
  cable_id: string;
  id_basis: IdBasis;
  /** Every file of this cable, the chosen one (whose content this is) first. */
  versions: CableVersion[];
  version_count: number;
  sent_at: string | null;
  filed_at: string | null;
  origin: string | null;
  classification: Classification | null;
  classification_rank: number | null;
  caveats: string[];
  handling: string[];
  precedence: Precedence | null;
  transmission: { id: string | null; relay_prosign: string | null; relay_ris: string[] };
  origin_station: { ri: string | null; serial: string | null; section: string | null } | null;
  from: DecodedAddress | null;
  to: DecodedAddressee[];
  info: DecodedAddressee[];
  addressee_countries: string[];
  subject: string | null;
  body: string;
  summary: string | null;
  tags: string[];
  tag_facets: {
    subject: string[];
    program: string[];
    geographic: string[];
    organization: string[];
    person: string[];
    other: string[];
  };
  tag_labels: string[];
  tag_countries: string[];
  references: Array<{ letter: string | null; raw: string; kind: string; cable_id: string | null }>;
  classified_by: { name: string | null; reasons: string[]; raw: string } | null;
  eo: { order: string | null; raw: string } | null;
  declassify_on: string | null;
  paragraphs: { numbers: number[]; portion_marks: string[] };
  /** Each numbered paragraph with its mark and text (nested: one paragraph's mark goes with its own words). */
  paragraph_texts: Array<{ number: number; portion_mark: string | null; text: string }>;
  signers: string[];
  banner: {
    station: string | null;
    serial: string | null;
    section: number | null;
    section_count: number | null;
  } | null;
  partial_extract: boolean;
  ingest: IngestFacts;
}

/** What happened to one document in Elasticsearch. */
export type IndexResult =
  | { ok: true; id: string; index: string; result: 'created' | 'updated' | 'noop' }
  | { ok: false; id: string; failure: Failure };
