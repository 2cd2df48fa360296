import { GhesRequestError, raceAbort } from "@ghes-sdk/core";
import { PACKAGE } from "./errors.js";

// Issue 8: a request's AbortSignal (the caller's, or the one a timeout gives it) ends everything the call
// waits on — a shared mint, a clock-skew retry, the pause before a replication-lag retry, a 2FA prompt.
// The caller leaves at once; work that others still wait for (a shared mint or prompt) goes on for them.

/** The request a wait is on behalf of, and what it is waiting for ("waiting for the installation token"). */
export interface Waiting {
  readonly method: string;
  readonly url: string;
  readonly what: string;
}

/**
 * The error a caller gets when its signal fires while auth waits on its behalf: a GhesRequestError (the
 * type a timeout or abort of the request itself has) with code TIMEOUT when the signal's reason is a
 * timeout (`AbortSignal.timeout`, a client timeout), ABORTED otherwise, naming the request and the wait.
 * The signal's reason is kept as `cause`.
 */
export function abortError(signal: AbortSignal, waiting: Waiting): GhesRequestError {
  const reason: unknown = signal.reason;
  const timedOut =
    reason instanceof Error && (reason.name === "TimeoutError" || (reason instanceof GhesRequestError && reason.code === "TIMEOUT"));
  return new GhesRequestError({
    code: timedOut ? "TIMEOUT" : "ABORTED",
    packageName: PACKAGE,
    method: waiting.method,
    url: waiting.url,
    detail: `${timedOut ? "timed out" : "was aborted"} while ${waiting.what}`,
    cause: reason,
  });
}

/** Throws abortError when the signal has already fired. */
export function throwIfAborted(signal: AbortSignal | null | undefined, waiting: Waiting): void {
  if (signal?.aborted) throw abortError(signal, waiting);
}

/**
 * Waits for `promise`, or rejects with abortError as soon as `signal` fires (the promise itself goes on;
 * use it for work someone else may still want). The listener is removed either way, so long-lived
 * signals do not collect one listener per wait.
 */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | null | undefined, waiting: Waiting): Promise<T> {
  return signal ? raceAbort(promise, signal, () => abortError(signal, waiting)) : promise;
}

/** A pause that ends early, with abortError, when the signal fires (and then clears its timer). */
export function sleep(ms: number, signal: AbortSignal | null | undefined, waiting: Waiting): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const paused = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return raceSignal(paused, signal, waiting).finally(() => clearTimeout(timer));
}

/**
 * One piece of work several callers wait for (a token mint, a 2FA prompt). Each caller joins with its own
 * signal and leaves alone when that signal fires; the work gets a signal of its own that fires only when
 * every caller has left, so nobody waits on, and nothing keeps running for, a result no one wants.
 */
export class SharedWork<T> {
  readonly promise: Promise<T>;
  readonly #controller = new AbortController();
  #waiters = 0;
  #settled = false;

  constructor(run: (signal: AbortSignal) => Promise<T>) {
    this.promise = run(this.#controller.signal).finally(() => {
      this.#settled = true;
    });
    this.promise.catch(() => undefined);
  }

  /** True once every caller has left before the work finished (its signal has fired). */
  get abandoned(): boolean {
    return this.#controller.signal.aborted;
  }

  join(signal: AbortSignal | null | undefined, waiting: Waiting): Promise<T> {
    this.#waiters += 1;
    let left = false;
    const leave = () => {
      if (left) return;
      left = true;
      this.#waiters -= 1;
      if (this.#waiters === 0 && !this.#settled) this.#controller.abort(new Error(`${PACKAGE}: every caller ${waiting.what} has gone`));
    };
    return raceSignal(this.promise, signal, waiting).finally(leave);
  }
}
