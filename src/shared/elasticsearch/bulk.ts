import type { Client } from '@elastic/elasticsearch';
import { failure } from '../errors.js';
import type { CableDocument, IndexResult } from '../stages.js';
import { classifyBulkItemStatus, classifyEsError } from './classify.js';

export interface BulkLimits {
  maxDocs: number;
  maxBytes: number;
  flushMs: number;
  /** `_bulk` requests under way at once; documents arriving meanwhile gather for the next one. */
  maxInFlight?: number;
}

interface Pending {
  id: string;
  line: string;
  resolve: (r: IndexResult) => void;
}

/**
 * Gathers documents from concurrent jobs into `_bulk` requests, bounded by count, bytes and time,
 * and maps each item's result back to the job that added it.
 *
 * Batching adapts to load: while `maxInFlight` requests are under way, documents gather and go
 * together when one returns, so a busy worker sends few large requests (Elasticsearch's cost per
 * request, a translog fsync among it, dominates small ones) and an idle one sends a lone cable
 * after `flushMs` at most.
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

  index(doc: CableDocument): Promise<IndexResult> {
    const line = JSON.stringify(doc);
    return new Promise<IndexResult>((resolve) => {
      this.buffer.push({ id: doc.cable_id, line, resolve });
      this.bytes += line.length;
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
      while (n < this.buffer.length && n < this.limits.maxDocs && (n === 0 || bytes + this.buffer[n]!.line.length <= this.limits.maxBytes)) bytes += this.buffer[n++]!.line.length;
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
    // The same cable twice in one batch: the later copy wins, both jobs get its result.
    const body: string[] = [];
    for (const p of batch) body.push(JSON.stringify({ index: { _index: this.indexName, _id: p.id } }), p.line);
    const started = performance.now();
    try {
      // Pre-serialised lines: the transport's ndjson serialiser passes strings through unchanged.
      const res = await this.client.bulk<string>({ operations: body });
      this.onBatch?.(batch.length, bytes, performance.now() - started);
      res.items.forEach((item, i) => {
        const p = batch[i]!;
        const op = item.index!;
        if (op.error || (op.status ?? 500) >= 300) {
          const code = classifyBulkItemStatus(op.status ?? 500);
          const reason = op.error ? `${op.error.type}: ${op.error.reason ?? ''}` : `status ${op.status}`;
          p.resolve({ ok: false, id: p.id, failure: failure(code, reason) });
        } else {
          p.resolve({ ok: true, id: p.id, index: op._index, result: (op.result as 'created' | 'updated' | 'noop') ?? 'updated' });
        }
      });
    } catch (err) {
      const code = classifyEsError(err);
      const message = err instanceof Error ? err.message : String(err);
      for (const p of batch) p.resolve({ ok: false, id: p.id, failure: failure(code, message, undefined, 'index') });
    }
  }
}
