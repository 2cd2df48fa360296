import { GhesSdkError } from "./errors.js";

/**
 * 100: the concurrent requests GHES allows one client before its secondary rate limit ("No more than 100
 * concurrent requests are allowed", Rate limits for the REST API, GHES 3.9 and later, where an
 * administrator turned secondary limits on). It also bounds the sockets and memory of a burst: a burst
 * opens about this many connections, not one per call.
 */
export const DEFAULT_MAX_CONCURRENCY = 100;

export function checkMaxConcurrency(packageName: string, value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_CONCURRENCY;
  if (value === Number.POSITIVE_INFINITY) return value;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new GhesSdkError(packageName, "options.maxConcurrency must be a whole number of requests, 1 or more, or Infinity for no limit");
  }
  return value;
}

/** A request waiting for a slot: `go()` sends it (the slot is its own then); `ended` skips it. */
export interface Queued {
  readonly ended: boolean;
  go(): void;
}

/**
 * At most `limit` requests of one client on the wire at once; the others wait for a slot in the order
 * they asked. A request holds its slot from its fetch until the fetch settles (the response's headers,
 * or a failure) or its call ends, whichever is first — not while it waits behind a mint, in middleware,
 * between retries or while its body is read. A call that ends while it waits takes no slot.
 */
export class Slots {
  #free: number;
  /** Insertion-ordered: the first one is the next to go. */
  readonly #queue = new Set<Queued>();

  constructor(limit: number) {
    this.#free = limit;
  }

  /** True when a slot was free and is now taken; otherwise `waiter.go()` is called once one is. */
  take(waiter: Queued): boolean {
    if (this.#free > 0) {
      this.#free--;
      return true;
    }
    this.#queue.add(waiter);
    return false;
  }

  /** Hands the slot to the first waiter whose call has not ended, or frees it. */
  release(): void {
    for (const next of this.#queue) {
      this.#queue.delete(next);
      if (next.ended) continue;
      next.go();
      return;
    }
    this.#free++;
  }
}
