import { errors, type Client, type estypes } from '@elastic/elasticsearch';
import { documentIdOf, plannedWrite, versionFrom, versionOf } from '../cable-versions.js';
import { failure } from '../errors.js';
import type { CableDocument, CableVersion, IndexResult } from '../stages.js';
import { classifyBulkItemStatus, classifyEsError } from './classify.js';
import { documentSourceJson } from './document-json.js';

export interface BulkLimits {
  maxDocs: number;
  maxBytes: number;
  flushMs: number;
  /** `_bulk` requests under way at once; documents arriving meanwhile gather for the next one. */
  maxInFlight?: number;
}

/**
 * A document waiting for its `_bulk` request: its JSON without the versions, which are merged at
 * send time, and its file's version. Not the document itself: batches wait here, and a document's
 * object graph (its text a second time, its paragraphs) held that long is what the garbage
 * collector pays most for. Not the JSON string either: a 20 KB string that waits a few hundred
 * milliseconds survives the young generation's collections and is copied into the old one, where
 * a major collection marks it again; its UTF-8 bytes live outside the JavaScript heap, and are
 * what the request sends anyway.
 */
interface Pending {
  /** The document's `_id` (cable-versions.ts documentIdOf). */
  id: string;
  /** The version its file records (the document's one version, as enrich made it). */
  version: CableVersion;
  /** The document without `versions` and `version_count`, serialised once, as the UTF-8 bytes of `{...}`. */
  source: Buffer;
  /** A reprocessed file whose document had another id: its version leaves that document once this one is written. */
  previousId: string | null;
  resolve: (r: IndexResult) => void;
}

/** What the index holds for an id: its versions and the sequence number they were read at. */
interface Known {
  versions: CableVersion[];
  seqNo: number;
  primaryTerm: number;
}

/** Rounds of read-merge-write for one batch before its remaining documents fail as transient (the job retries them). */
const MAX_CONFLICT_ROUNDS = 8;

/**
 * Gathers documents from concurrent jobs into `_bulk` requests, bounded by count, bytes and time,
 * and maps each item's result back to the job that added it.
 *
 * Batching adapts to load: while `maxInFlight` requests are under way, documents gather and go
 * together when one returns, so a busy worker sends few large requests (Elasticsearch's cost per
 * request, a translog fsync among it, dominates small ones) and an idle one sends a lone cable
 * after `flushMs` at most.
 *
 * Writes are versioned (cable-versions.ts): a document's id is written with `create` first (a new
 * cable costs one request); when the id exists, its versions are read (`_mget`, real time) and
 * merged with the arriving file's, and the write is conditioned on the sequence number read
 * (`if_seq_no` / `if_primary_term`): a writer that lost a race reads again and merges again, so
 * every version is kept and the chosen one is the same whatever the order. No scripts: the
 * minimal Elasticsearch distribution has no painless.
 *
 * Contract: `index(doc)` resolves (never rejects) with the item's IndexResult. A request-level
 * failure (ES down, 429 on the whole request) resolves every item in it with the same transient
 * failure; item-level errors are classified one by one.
 */
export class BulkIndexer {
  private buffer: Pending[] = [];
  private bytes = 0;
  private timer: NodeJS.Timeout | null = null;
  private inFlight = new Set<Promise<void>>();

  constructor(
    private readonly client: Client,
    private readonly indexName: string,
    private readonly limits: BulkLimits,
    private readonly onBatch?: (docs: number, bytes: number, ms: number) => void,
  ) {}

  /** @param previousId the id this file's document had before (a reprocessed file), when it may have changed. */
  index(doc: CableDocument, previousId: string | null = null): Promise<IndexResult> {
    const { versions: _versions, version_count: _count, ...rest } = doc;
    const source = Buffer.from(documentSourceJson(rest));
    const version = versionOf(doc);
    const id = documentIdOf(doc);
    return new Promise<IndexResult>((resolve) => {
      this.buffer.push({ id, version, source, previousId, resolve });
      this.bytes += source.length;
      if (this.inFlight.size >= this.maxInFlight) return; // sent when a request under way returns
      if (this.full()) this.flushNow();
      else if (!this.timer) this.timer = setTimeout(() => this.flushNow(), this.limits.flushMs);
    });
  }

  /** Requests under way and documents waiting for one. */
  get backlog(): { requests: number; documents: number } {
    return { requests: this.inFlight.size, documents: this.buffer.length };
  }

  /** Send what is buffered and wait for every request under way. */
  async flush(): Promise<void> {
    while (this.buffer.length > 0 || this.inFlight.size > 0) {
      this.flushNow(true);
      await Promise.all([...this.inFlight]);
    }
  }

  private get maxInFlight(): number {
    return this.limits.maxInFlight ?? Number.POSITIVE_INFINITY;
  }

  private full(): boolean {
    return this.buffer.length >= this.limits.maxDocs || this.bytes >= this.limits.maxBytes;
  }

  /** Requests of at most maxDocs / maxBytes each, while there is room for them (or all, when draining). */
  private flushNow(drain = false): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.buffer.length > 0 && (drain || this.inFlight.size < this.maxInFlight)) {
      let n = 0;
      let bytes = 0;
      while (
        n < this.buffer.length &&
        n < this.limits.maxDocs &&
        (n === 0 || bytes + this.buffer[n]!.source.length <= this.limits.maxBytes)
      )
        bytes += this.buffer[n++]!.source.length;
      const batch = this.buffer.splice(0, n);
      this.bytes -= bytes;
      const p: Promise<void> = this.send(batch, bytes).finally(() => {
        this.inFlight.delete(p);
        // What gathered while this request was under way goes now, as one request.
        if (this.buffer.length > 0 && this.inFlight.size < this.maxInFlight) this.flushNow();
      });
      this.inFlight.add(p);
    }
  }

  private async send(batch: Pending[], bytes: number): Promise<void> {
    // Files of the same document in one batch are merged into one write.
    let groups = new Map<string, Pending[]>();
    for (const p of batch) groups.set(p.id, [...(groups.get(p.id) ?? []), p]);
    const known = new Map<string, Known | null>();
    const started = performance.now();
    try {
      // A file read again (reprocess) most likely finds its document there: read it first rather than try `create`.
      const again = [...groups.keys()].filter((id) => groups.get(id)!.some((p) => p.previousId === id));
      if (again.length > 0) await this.readKnown(again, known);
      for (let round = 0; groups.size > 0; round++) {
        if (round >= MAX_CONFLICT_ROUNDS) {
          for (const [id, ps] of groups)
            resolveAll(ps, {
              ok: false,
              id,
              failure: failure(
                'es_version_conflict',
                `${id} kept changing under concurrent writers through ${round} rounds`,
              ),
            });
          break;
        }
        groups = await this.writeRound(groups, known);
      }
      this.onBatch?.(batch.length, bytes, performance.now() - started);
    } catch (err) {
      const code = classifyEsError(err);
      const message = err instanceof Error ? err.message : String(err);
      for (const [id, ps] of groups)
        resolveAll(ps, { ok: false, id, failure: failure(code, message, undefined, 'index') });
    }
  }

  /**
   * One `_bulk` request for the groups; returns the groups that met a concurrent write (409),
   * with what the index now holds for them read into `known`.
   */
  private async writeRound(
    groups: Map<string, Pending[]>,
    known: Map<string, Known | null>,
  ): Promise<Map<string, Pending[]>> {
    const ids = [...groups.keys()];
    const pieces: Buffer[] = [];
    for (const id of ids) this.operationsFor(id, groups.get(id)!, known.get(id), pieces);
    // The body as bytes (the client sends a Buffer as it is): given as strings, the client would
    // concatenate them into one string, flatten it to measure its length, and encode it again to send it.
    const res = await this.client.transport.request<estypes.BulkResponse>({
      method: 'POST',
      path: '/_bulk',
      bulkBody: Buffer.concat(pieces),
    });
    const conflicts = new Map<string, Pending[]>();
    const moved: Array<{ p: Pending; result: IndexResult }> = [];
    res.items.forEach((item, i) => {
      const id = ids[i]!;
      const ps = groups.get(id)!;
      const op = (item.create ?? item.index ?? item.update)!;
      // 409: another writer came first; 404 on an update: the document went meanwhile. Both: read again.
      if (op.status === 409 || (item.update && op.status === 404)) {
        conflicts.set(id, ps);
      } else if (op.error || (op.status ?? 500) >= 300) {
        const code = classifyBulkItemStatus(op.status ?? 500);
        const reason = op.error ? `${op.error.type}: ${op.error.reason ?? ''}` : `status ${op.status}`;
        resolveAll(ps, { ok: false, id, failure: failure(code, reason) });
      } else {
        const result: IndexResult = {
          ok: true,
          id,
          index: op._index,
          result: (op.result as 'created' | 'updated' | 'noop') ?? 'updated',
        };
        for (const p of ps) {
          if (p.previousId !== null && p.previousId !== id) moved.push({ p, result });
          else p.resolve(result);
        }
      }
    });
    // A reprocessed file whose id changed: its version leaves the old document only now that the
    // new one holds it, and the file is indexed only once it has left; until then it has failed
    // (retried, or paused by an outage), so a version never stays on two documents unrecorded.
    for (const { p, result } of moved) p.resolve(await this.retireVersion(p.previousId!, p.version.sha256, result));
    if (conflicts.size > 0) await this.readKnown([...conflicts.keys()], known);
    return conflicts;
  }

  /**
   * The bulk lines that write one document (create it, replace it because an arriving file is the
   * chosen one, or update its versions), appended to `pieces` as the bytes of the request's body.
   */
  private operationsFor(id: string, ps: Pending[], k: Known | null | undefined, pieces: Buffer[]): void {
    const plan = plannedWrite(
      k?.versions ?? null,
      ps.map((p) => p.version),
    );
    const versionsJson = `"versions":${JSON.stringify(plan.versions)},"version_count":${plan.versions.length}`;
    const condition = k ? { if_seq_no: k.seqNo, if_primary_term: k.primaryTerm } : {};
    if (plan.content) {
      const source = ps.find((p) => p.version === plan.content)!.source;
      const action = k
        ? { index: { _index: this.indexName, _id: id, ...condition } }
        : { create: { _index: this.indexName, _id: id } };
      // The document's `{...}` with the versions put in before its closing brace, without copying it.
      pieces.push(
        Buffer.from(`${JSON.stringify(action)}\n`),
        source.subarray(0, -1),
        Buffer.from(`,${versionsJson}}\n`),
      );
      return;
    }
    const action = { update: { _index: this.indexName, _id: id, ...condition } };
    pieces.push(Buffer.from(`${JSON.stringify(action)}\n{"doc":{${versionsJson}}}\n`));
  }

  /** What the index holds for these ids, read in real time (null: no such document). */
  private async readKnown(ids: string[], known: Map<string, Known | null>): Promise<void> {
    const res = await this.client.mget<StoredIdentity>({
      index: this.indexName,
      ids,
      _source_includes: ['versions', 'ingest', 'cable_id', 'id_basis', 'partial_extract'],
    });
    res.docs.forEach((d, i) => {
      const id = ids[i]!;
      if ('found' in d && d.found && d._seq_no !== undefined && d._primary_term !== undefined) {
        known.set(id, { versions: storedVersions(d._source), seqNo: d._seq_no, primaryTerm: d._primary_term });
      } else {
        known.set(id, null);
      }
    });
  }

  /**
   * Takes one version off a document (its file now reads as another document). The last version
   * takes the document with it. The shown content stays until the document's other versions are
   * read again (`reprocess` re-reads every version of a document it selects).
   */
  private async retireVersion(id: string, sha256: string, written: IndexResult): Promise<IndexResult> {
    try {
      for (let round = 0; round < MAX_CONFLICT_ROUNDS; round++) {
        const known = new Map<string, Known | null>();
        await this.readKnown([id], known);
        const k = known.get(id);
        if (!k || !k.versions.some((v) => v.sha256 === sha256)) return written;
        const versions = k.versions.filter((v) => v.sha256 !== sha256);
        try {
          if (versions.length === 0)
            await this.client.delete({ index: this.indexName, id, if_seq_no: k.seqNo, if_primary_term: k.primaryTerm });
          else
            await this.client.update({
              index: this.indexName,
              id,
              if_seq_no: k.seqNo,
              if_primary_term: k.primaryTerm,
              doc: { versions, version_count: versions.length },
            });
          return written;
        } catch (err) {
          if (!(err instanceof errors.ResponseError && err.meta.statusCode === 409)) throw err;
        }
      }
      const message = `the version ${sha256.slice(0, 12)} could not leave ${id}: it kept changing through ${MAX_CONFLICT_ROUNDS} rounds`;
      return { ok: false, id: written.id, failure: failure('es_version_conflict', message) };
    } catch (err) {
      const message = `the version ${sha256.slice(0, 12)} could not leave ${id}: ${err instanceof Error ? err.message : String(err)}`;
      return { ok: false, id: written.id, failure: failure(classifyEsError(err), message, undefined, 'index') };
    }
  }
}

/** What a stored document says of its files. */
type StoredIdentity = Partial<Pick<CableDocument, 'versions' | 'ingest' | 'cable_id' | 'id_basis' | 'partial_extract'>>;

/**
 * A stored document's versions. One written before versions were recorded names its one file in
 * `ingest`: it is kept as a version (without a text digest, it ranks after any file that has one).
 */
function storedVersions(s: StoredIdentity | undefined): CableVersion[] {
  if (!s) return [];
  if (s.versions && s.versions.length > 0) return s.versions;
  const i = s.ingest;
  if (!i?.sha256) return [];
  return [
    versionFrom(
      { ...i, text_sha256: i.text_sha256 ?? '', text_length: i.text_length ?? 0 },
      { id_basis: s.id_basis ?? 'read', cable_id: s.cable_id ?? '', partial_extract: s.partial_extract ?? false },
    ),
  ];
}

function resolveAll(ps: readonly Pending[], r: IndexResult): void {
  for (const p of ps) p.resolve(r);
}
