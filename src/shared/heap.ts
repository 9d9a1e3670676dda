import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets a process's old generation grow past what a major collection left live before
 * it marks the heap again: to `1 + percent / 100` times it (V8's `--heap-growing-percent`). 0
 * leaves V8's own choice.
 *
 * Why a role sets it: the roles run with a capped heap (README, "Memory"), and for a capped heap
 * V8 picks a small factor. A worker with about 40 MB live got a limit about 24 MB above it. V8
 * starts marking as soon as the room under that limit is no more than its young generation's target
 * capacity, and a busy worker's young generation is larger than that. So the worker began marking
 * again as soon as it had finished: about 45 major collections per 10,000 cables, each marking the
 * whole heap on the helper threads, competing with Elasticsearch for the same cores. With 50 the
 * same kind of run made about 25, with 100 about 16 for 10-15 MB more memory (docs/benchmarks.md,
 * "The old generation's room"). The cap (`--max-old-space-size`) still bounds the heap.
 *
 * V8 reads the flag each time it sets the limit (after every major collection), so setting it in a
 * running process takes effect from its next collection. Node refuses the flag in NODE_OPTIONS,
 * which is why the process sets it itself.
 */
export function setHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
