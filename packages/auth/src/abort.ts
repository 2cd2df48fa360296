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

/** What ends a wait on a request's behalf: the request's AbortSignal (none: the wait only ends when it is over). */
export type Until = AbortSignal | null | undefined;

/** Why `until` has ended the wait (an abort or timeout reason), or undefined while it has not. */
export function endedBy(until: Until): unknown {
  if (!until) return undefined;
  return until.aborted ? until.reason : undefined;
}

/**
 * The error a caller gets when its request ends while auth waits on its behalf: a GhesRequestError (the
 * type a timeout or abort of the request itself has) with code TIMEOUT when the reason is a timeout
 * (`AbortSignal.timeout`, a client timeout), ABORTED otherwise, naming the request and the wait. The
 * reason is kept as `cause`.
 */
export function abortError(reason: unknown, waiting: Waiting): GhesRequestError {
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

/** Throws abortError when the request has already ended. */
export function throwIfAborted(until: Until, waiting: Waiting): void {
  const reason = endedBy(until);
  if (reason !== undefined) throw abortError(reason, waiting);
}

/**
 * Waits for `promise`, or rejects with abortError as soon as `until` ends the request (the promise itself
 * goes on; use it for work someone else may still want). `settled` runs once either way, when the wait
 * ends. The listener is removed either way, so a long-lived signal does not collect one per wait.
 */
export function raceSignal<T>(promise: Promise<T>, until: Until, waiting: Waiting, settled?: () => void): Promise<T> {
  const fail = (reason: unknown) => abortError(reason, waiting);
  const raced = until ? raceAbort(promise, until, () => fail(until.reason)) : promise;
  return settled ? raced.finally(settled) : raced;
}

/** A pause that ends early, with abortError, when the request ends (and then clears its timer). */
export function sleep(ms: number, until: Until, waiting: Waiting): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const paused = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return raceSignal(paused, until, waiting, () => clearTimeout(timer));
}

/**
 * A caller of a SharedWork: how to settle it, and the listener (set when it joins, if its request can end)
 * that makes it leave when its request ends.
 */
interface Waiter<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
  readonly until: Until;
  readonly waiting: Waiting;
  listener?: (reason?: unknown) => void;
}

/**
 * One piece of work several callers wait for (a token mint, a 2FA prompt). Each caller joins with what
 * ends its request and leaves alone when that fires; the work gets a signal of its own that fires only
 * when every caller has left, so nobody waits on, and nothing keeps running for, a result no one wants.
 *
 * The work settles its callers itself, from one callback: a caller waiting for it keeps its promise, a
 * small record and one listener on its request's end — which matters when ten thousand requests queue
 * behind a hundred mints.
 */
export class SharedWork<T> {
  readonly promise: Promise<T>;
  readonly #controller = new AbortController();
  readonly #waiters = new Set<Waiter<T>>();
  #settled = false;

  constructor(run: (signal: AbortSignal) => Promise<T>) {
    this.promise = run(this.#controller.signal);
    this.promise.then(
      (value) => this.#settle(true, value),
      (error: unknown) => this.#settle(false, error),
    );
  }

  /** True once every caller has left before the work finished (its signal has fired). */
  get abandoned(): boolean {
    return this.#controller.signal.aborted;
  }

  join(until: Until, waiting: Waiting): Promise<T> {
    const early = this.#early(until, waiting);
    if (early) return early;
    return new Promise<T>((resolve, reject) => this.#add({ resolve, reject, until, waiting }));
  }

  /** The answer for a caller that need not wait: the work is done, or its request has already ended. */
  #early(until: Until, waiting: Waiting): Promise<T> | undefined {
    if (this.#settled) return this.promise;
    const reason = endedBy(until);
    if (reason === undefined) return undefined;
    if (this.#waiters.size === 0) this.#abandon(waiting);
    return Promise.reject(abortError(reason, waiting));
  }

  #add(waiter: Waiter<T>): void {
    this.#waiters.add(waiter);
    const { until } = waiter;
    // A caller with nothing to end its request (no signal) waits until the work settles.
    if (!until) return;
    until.addEventListener("abort", (waiter.listener = () => this.#leave(waiter, until.reason)), { once: true });
  }

  #settle(ok: boolean, result: unknown): void {
    this.#settled = true;
    for (const waiter of this.#waiters) {
      unlisten(waiter.until, waiter.listener);
      if (ok) waiter.resolve(result as T);
      else waiter.reject(result);
    }
    this.#waiters.clear();
  }

  /** A caller's request ended: it gets abortError, and when it was the last one the work is told to stop. */
  #leave(waiter: Waiter<T>, reason: unknown): void {
    if (!this.#waiters.delete(waiter)) return;
    unlisten(waiter.until, waiter.listener);
    waiter.reject(abortError(reason, waiter.waiting));
    if (this.#waiters.size === 0 && !this.#settled) this.#abandon(waiter.waiting);
  }

  #abandon(waiting: Waiting): void {
    if (!this.#settled) this.#controller.abort(new Error(`${PACKAGE}: every caller ${waiting.what} has gone`));
  }
}

function unlisten(until: Until, listener: ((reason?: unknown) => void) | undefined): void {
  if (!until || !listener) return;
  until.removeEventListener("abort", listener);
}
