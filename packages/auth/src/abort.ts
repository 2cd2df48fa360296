import { GhesRequestError, raceAbort, type CallEnd } from "@ghes-sdk/core";
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
 * What ends a wait on a request's behalf: the request's AbortSignal, or — for the client's light request —
 * its CallEnd, which fires at the same moment without the call making a signal of its own.
 */
export type Until = AbortSignal | CallEnd | null | undefined;

/** Why `until` has ended the wait (an abort or timeout reason), or undefined while it has not. */
export function endedBy(until: Until): unknown {
  if (!until) return undefined;
  if ("onEnd" in until) return until.endReason;
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
  if (until && "onEnd" in until) return raceEnd(promise, until, fail, settled);
  const raced = until ? raceAbort(promise, until, () => fail(until.reason)) : promise;
  return settled ? raced.finally(settled) : raced;
}

/** raceSignal on a CallEnd. */
function raceEnd<T>(promise: Promise<T>, until: CallEnd, fail: (reason: unknown) => Error, settled: (() => void) | undefined): Promise<T> {
  const reason = until.endReason;
  if (reason !== undefined) {
    promise.catch(() => undefined);
    settled?.();
    return Promise.reject(fail(reason));
  }
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const finish = (): boolean => {
      if (done) return false;
      done = true;
      until.offEnd(ended);
      settled?.();
      return true;
    };
    const ended = (why: unknown) => finish() && reject(fail(why));
    until.onEnd(ended);
    promise.then(
      (value) => finish() && resolve(value),
      (error: unknown) => finish() && reject(error),
    );
  });
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
 * What can be waited for by calling `then(onReady, onFailed)` once: a promise, or a {@link Joined}. Its
 * `then` need not answer a promise, so it cannot be chained; `await` and `Promise.resolve` take it.
 */
export interface Waitable {
  then(onReady: (value: unknown) => unknown, onFailed: (error: unknown) => unknown): unknown;
}

/**
 * A caller of a SharedWork that waits through one `then(onReady, onFailed)` call, with no promise of its
 * own: what a request queued behind a mint gives the client's PREPARE wait (see SharedWork.wait). It is
 * its own waiter record; `then` answers nothing.
 */
class Joined<T> implements Waiter<T>, Waitable {
  listener?: (reason?: unknown) => void;
  #onReady: ((value: unknown) => unknown) | undefined;
  #onFailed: ((error: unknown) => unknown) | undefined;
  /** Set when the work settled (or the caller left) before `then` was called. */
  #outcome: { ok: boolean; value: unknown } | undefined;

  constructor(
    readonly until: Until,
    readonly waiting: Waiting,
  ) {}

  then(onReady: (value: unknown) => unknown, onFailed: (error: unknown) => unknown): void {
    const outcome = this.#outcome;
    if (!outcome) {
      this.#onReady = onReady;
      this.#onFailed = onFailed;
      return;
    }
    // Settled already: called back asynchronously, as a promise would.
    queueMicrotask(() => (outcome.ok ? onReady(outcome.value) : onFailed(outcome.value)));
  }

  resolve(value: T): void {
    this.#settle(true, value);
  }

  reject(error: unknown): void {
    this.#settle(false, error);
  }

  #settle(ok: boolean, value: unknown): void {
    const callback = ok ? this.#onReady : this.#onFailed;
    if (!callback) {
      this.#outcome ??= { ok, value };
      return;
    }
    this.#onReady = this.#onFailed = undefined;
    callback(value);
  }
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

  /**
   * Like join, for a caller that only needs to know when the work is over (either way): the answer is a
   * {@link Joined}, a waiter record with a `then`, and no promise is made for the caller.
   */
  wait(until: Until, waiting: Waiting): Waitable {
    const early = this.#early(until, waiting);
    if (early) return early;
    const waiter = new Joined<T>(until, waiting);
    this.#add(waiter);
    return waiter;
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
    if ("onEnd" in until) until.onEnd((waiter.listener = (why) => this.#leave(waiter, why)));
    else until.addEventListener("abort", (waiter.listener = () => this.#leave(waiter, until.reason)), { once: true });
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
  if ("onEnd" in until) until.offEnd(listener);
  else until.removeEventListener("abort", listener);
}
