import { versionOf } from '#shared/cable-versions.js';
import type { ReferenceData } from '#shared/reference/types.js';
import type { CableDocument, Classification, DecodedAddress, DroppedFile, ParsedCable } from '#shared/stages.js';
import { decodeAddress, decodeAddressee, postLabel, senderFallback } from './routing.js';
import { tagFacets } from './tags.js';

/** Built by the worker shell and passed in, so enrichment needs no clock and no I/O. */
export interface IngestMeta {
  file: DroppedFile;
  charset: string;
  ingestedAt: string;
  parserVersion: string;
  /** SHA-256 and length of the file's normalised text (shared/cable-versions.ts textIdentity). */
  text: { textSha256: string; textLength: number };
}

const CLASSIFICATION_RANK: Record<Classification, number> = {
  UNCLASSIFIED: 0,
  'SENSITIVE BUT UNCLASSIFIED': 1,
  'LIMITED OFFICIAL USE': 2,
  CONFIDENTIAL: 3,
  SECRET: 4,
  'TOP SECRET': 5,
};

/** ParsedCable x ReferenceData x IngestMeta -> CableDocument. Pure and total: unknown codes are listed, never fatal. */
export function enrichCable(cable: ParsedCable, ref: ReferenceData, meta: IngestMeta): CableDocument {
  const unknown: string[] = [];
  const note = (codes: readonly string[]): void => {
    for (const c of codes) if (!unknown.includes(c)) unknown.push(c);
  };

  const from = senderOf(cable, ref, note);
  const to = cable.to.map((a) => {
    const d = decodeAddressee(ref, a);
    note(d.unknown);
    return d.value;
  });
  const info = cable.info.map((a) => {
    const d = decodeAddressee(ref, a);
    note(d.unknown);
    return d.value;
  });
  for (const ri of cable.relay?.ris ?? []) {
    if (!ref.byRi.has(ri) && !ref.sharedRis.has(ri)) note([`ri:${ri}`]);
  }
  const tags = tagFacets(ref, cable.tags);
  note(tags.unknown);

  const addresseeCountries: string[] = [];
  for (const a of [...to, ...info]) {
    if (a.country_code && !a.excluded && !addresseeCountries.includes(a.country_code))
      addresseeCountries.push(a.country_code);
  }

  const doc: CableDocument = {
    cable_id: cable.cableId ?? meta.file.sha256,
    id_basis: cable.cableId === null ? 'content' : (cable.idBasis ?? 'inferred'),
    versions: [],
    version_count: 1,
    sent_at: cable.dtg?.sentAt ?? null,
    filed_at: cable.filedAt,
    origin: from?.label ?? null,
    classification: cable.classification,
    classification_rank: cable.classification ? CLASSIFICATION_RANK[cable.classification] : null,
    caveats: cable.caveats,
    handling: cable.handling,
    precedence: cable.precedence,
    transmission: {
      id: cable.transmission?.id ?? null,
      relay_prosign: cable.relay?.prosign ?? null,
      relay_ris: cable.relay?.ris ?? [],
    },
    origin_station: cable.originStation
      ? { ri: cable.originStation.ri, serial: cable.originStation.serial, section: cable.originStation.section }
      : null,
    from,
    to,
    info,
    addressee_countries: addresseeCountries,
    subject: cable.subject,
    body: cable.body,
    summary: cable.summary,
    tags: cable.tags,
    tag_facets: tags.facets,
    tag_labels: tags.labels,
    tag_countries: tags.countries,
    references: cable.references.map((r) => ({ letter: r.letter, raw: r.raw, kind: r.kind, cable_id: r.cableId })),
    classified_by: cable.classifiedBy
      ? { name: cable.classifiedBy.name, reasons: cable.classifiedBy.reasons, raw: cable.classifiedBy.raw }
      : null,
    eo: cable.eo ? { order: cable.eo.order, raw: cable.eo.raw } : null,
    declassify_on: cable.eo?.declassifyOn ?? null,
    paragraphs: {
      numbers: cable.paragraphs.map((p) => p.number),
      portion_marks: cable.paragraphs.map((p) => p.portionMark ?? ''),
    },
    paragraph_texts: cable.paragraphs.map((p) => ({ number: p.number, portion_mark: p.portionMark, text: p.text })),
    signers: cable.signers,
    banner: cable.banner
      ? {
          station: cable.banner.station,
          serial: cable.banner.serial,
          section: cable.banner.section,
          section_count: cable.banner.sectionCount,
        }
      : null,
    partial_extract: cable.partialExtract,
    ingest: {
      source_path: meta.file.path,
      sha256: meta.file.sha256,
      size: meta.file.size,
      charset: meta.charset,
      parser_version: meta.parserVersion,
      ingested_at: meta.ingestedAt,
      detected_at: meta.file.detectedAt,
      unknown_codes: unknown,
      warnings: cable.warnings,
      text_sha256: meta.text.textSha256,
      text_length: meta.text.textLength,
    },
  };
  doc.versions = [versionOf(doc)];
  return doc;
}

/** FM decoded; without FM, the post of the DE indicator or the banner's station. */
function senderOf(
  cable: ParsedCable,
  ref: ReferenceData,
  note: (codes: readonly string[]) => void,
): DecodedAddress | null {
  if (cable.from) {
    // Decodings are memoised and shared across cables (frozen): build a new value, never assign.
    const d = decodeAddress(ref, cable.originStation?.ri ?? null, cable.from.pla);
    // The DE indicator names the sender's station; when FM's address is unknown, it still decodes.
    const viaRi =
      d.value.location === null && cable.originStation ? decodeAddress(ref, cable.originStation.ri, '') : null;
    if (viaRi?.value.location) return { ...viaRi.value, pla: cable.from.pla, label: d.value.label };
    note(d.unknown);
    return d.value;
  }
  const post = senderFallback(ref, cable.originStation?.ri ?? null, cable.banner?.station ?? null);
  if (!post) return null;
  return {
    ri: cable.originStation?.ri ?? post.ri,
    pla: post.pla,
    label: postLabel(post.pla),
    type: post.type,
    city: post.city,
    country: post.country,
    country_code: post.countryCode,
    location: post.location,
  };
}
