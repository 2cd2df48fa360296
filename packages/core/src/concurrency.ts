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

/**
 * At most `limit` fetches of one client on the wire at once; the others wait for a slot in the order
 * they asked. A fetch holds its slot until it settles (the response's headers, or a failure) — not while
 * its call waits behind a mint, between retries or while its body is read. A call that ends while it
 * waits leaves the queue.
 */
export class Slots {
  #free: number;
  readonly #queue: (() => void)[] = [];

  constructor(limit: number) {
    this.#free = limit;
  }

  /** `send()` once a slot is free (or at once), the slot given back when it settles; rejects with the signal's reason if it fires first. */
  async run<T>(signal: AbortSignal, send: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--;
    else await this.#wait(signal);
    try {
      return await send();
    } finally {
      this.#release();
    }
  }

  #wait(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    return new Promise<void>((resolve, reject) => {
      const go = (): void => {
        signal.removeEventListener("abort", leave);
        resolve();
      };
      const leave = (): void => {
        this.#queue.splice(this.#queue.indexOf(go), 1);
        reject(signal.reason);
      };
      this.#queue.push(go);
      signal.addEventListener("abort", leave, { once: true });
    });
  }

  /** Hands the slot to the first waiter, or frees it. */
  #release(): void {
    const next = this.#queue.shift();
    if (next) next();
    else this.#free++;
  }
}
