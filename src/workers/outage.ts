import type { ReasonCode } from '#shared/errors.js';

/**
 * While Elasticsearch is unreachable or overloaded, jobs must wait, not burn their attempts and
 * march into the dead-letter queue (DESIGN.md "Errors"). The processor asks this gate for a pause;
 * the queue is rate-limited for that long (every worker on every machine waits), the job goes back
 * to waiting without counting an attempt, and the pause doubles while the outage lasts, up to
 * 5 s: a bounded probe rate (one failing request per worker every few seconds) buys a recovery
 * within seconds of Elasticsearch coming back.
 */
export class OutageBackoff {
  private delayMs: number;
  private since: number | null = null;
  private lastCode: ReasonCode | null = null;

  constructor(
    private readonly minMs = 1_000,
    private readonly maxMs = 5_000,
    private readonly random: () => number = Math.random,
  ) {
    this.delayMs = minMs;
  }

  /** The next pause, with jitter (50-100% of the delay), and note the outage. */
  next(code: ReasonCode, now = Date.now()): number {
    if (this.since === null) this.since = now;
    this.lastCode = code;
    const d = this.delayMs;
    this.delayMs = Math.min(this.delayMs * 2, this.maxMs);
    return Math.round(d * (0.5 + this.random() / 2));
  }

  /** A success: the outage, if any, is over. */
  recovered(): void {
    this.delayMs = this.minMs;
    this.since = null;
    this.lastCode = null;
  }

  status(): { outage: boolean; since: string | null; code: ReasonCode | null } {
    return {
      outage: this.since !== null,
      since: this.since !== null ? new Date(this.since).toISOString() : null,
      code: this.lastCode,
    };
  }
}
