import type { CableDocument, CableVersion, IngestFacts } from './stages.js';

export { normalisedText, textIdentity } from './text.js';

/**
 * One cable, one document: the files that read as the same cable are versions of one document,
 * and the content shown comes from one of them, chosen by a rule that does not depend on the order
 * they arrived in (docs/identity.md).
 *
 *   _id        a read id is the document's id (`07MOSCOW584`): every file whose id was read joins it.
 *              An inferred id, or none, is not enough to join a different text: such a file's
 *              document is `<cable_id>~<text digest>`, so it joins only files of the same text
 *              (line endings, charset and trailing white space aside) and can never replace the
 *              document of a read id.
 *   chosen     the version with the best `versionRank`: a read id over an inferred one over none,
 *              a full cable over a partial extract, the longer normalised text, then the lowest
 *              SHA-256. A total order on facts of each file alone: every worker that sees the same
 *              versions picks the same one.
 */

/** The document a file's cable belongs to (see above). */
export function documentIdOf(doc: Pick<CableDocument, 'cable_id' | 'id_basis' | 'ingest'>): string {
  if (doc.id_basis === 'read') return doc.cable_id;
  const prefix = doc.id_basis === 'inferred' ? doc.cable_id : 'content';
  return `${prefix}~${doc.ingest.text_sha256.slice(0, 16)}`;
}

const BASIS_RANK: Record<CableVersion['id_basis'], number> = { read: 0, inferred: 1, content: 2 };

/** Negative when `a` is the better version to show (the rule above). */
export function compareVersions(a: CableVersion, b: CableVersion): number {
  return (
    BASIS_RANK[a.id_basis] - BASIS_RANK[b.id_basis] ||
    Number(a.partial_extract) - Number(b.partial_extract) ||
    b.text_length - a.text_length ||
    (a.sha256 < b.sha256 ? -1 : a.sha256 > b.sha256 ? 1 : 0)
  );
}

export function chosenVersion(versions: readonly CableVersion[]): CableVersion {
  if (versions.length === 0) throw new Error('a document has at least one version');
  return versions.reduce((best, v) => (compareVersions(v, best) < 0 ? v : best));
}

/**
 * Versions known before, with the incoming ones: one per SHA-256 (an incoming version replaces
 * the one it re-reads: a newer parser's view of the same file), in the order of the rule.
 */
export function mergeVersions(known: readonly CableVersion[], incoming: readonly CableVersion[]): CableVersion[] {
  const bySha = new Map<string, CableVersion>();
  for (const v of known) bySha.set(v.sha256, v);
  for (const v of incoming) bySha.set(v.sha256, v);
  return [...bySha.values()].sort(compareVersions);
}

/** The version a document of one file records. */
export function versionOf(doc: CableDocument): CableVersion {
  return versionFrom(doc.ingest, doc);
}

/**
 * The one place a version is made: the file's facts and the cable as that file reads (the compiler
 * holds it to CableVersion, which stages.ts derives from the document's own fields).
 */
export function versionFrom(
  file: Omit<IngestFacts, 'unknown_codes' | 'warnings'>,
  cable: Pick<CableDocument, 'id_basis' | 'cable_id' | 'partial_extract'>,
): CableVersion {
  return {
    sha256: file.sha256,
    source_path: file.source_path,
    size: file.size,
    charset: file.charset,
    detected_at: file.detected_at,
    ingested_at: file.ingested_at,
    parser_version: file.parser_version,
    id_basis: cable.id_basis,
    cable_id: cable.cable_id,
    partial_extract: cable.partial_extract,
    text_sha256: file.text_sha256,
    text_length: file.text_length,
  };
}

/**
 * What a write does to the document of one id, given what the index holds (`known`: its versions,
 * or null when there is no such document) and the versions of the files arriving for it:
 * `content` is the arriving version whose document is written whole, when one of them is the
 * chosen version; otherwise (null) only the version list changes (the shown content stays the
 * chosen file's). Versions, not documents: the writer keeps a document only as its JSON.
 */
export function plannedWrite(
  known: readonly CableVersion[] | null,
  arriving: readonly CableVersion[],
): { versions: CableVersion[]; content: CableVersion | null } {
  const versions = mergeVersions(known ?? [], arriving);
  const chosen = versions[0]!;
  return { versions, content: arriving.find((v) => v.sha256 === chosen.sha256) ?? null };
}
