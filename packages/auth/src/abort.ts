import { GhesAuthError } from "./errors.js";

// Issue 8: a request's AbortSignal (the caller's, or the one a timeout gives it) ends everything the call
// waits on — a shared mint, a clock-skew retry, the pause before a replication-lag retry, a 2FA prompt.
// The caller leaves at once; work that others still wait for (a shared mint or prompt) goes on for them.

/**
 * The error a caller gets when its signal fires while auth is waiting on its behalf. `operation` says what
 * was being waited for ("GET /installation/repositories: waiting for the installation token"); the
 * signal's reason is kept as `cause`, and a timeout (AbortSignal.timeout, reason name "TimeoutError")
 * gets code TIMEOUT instead of ABORTED, so it reads as what it is.
 */
export function abortError(signal: AbortSignal, operation: string): GhesAuthError {
  const reason: unknown = signal.reason;
  const timedOut = reason instanceof Error && reason.name === "TimeoutError";
  return new GhesAuthError(timedOut ? "TIMEOUT" : "ABORTED", `${operation}: ${timedOut ? "timed out" : "aborted"}`, {
    cause: reason,
  });
}

/** Throws abortError when the signal has already fired. */
export function throwIfAborted(signal: AbortSignal | null | undefined, operation: string): void {
  if (signal?.aborted) throw abortError(signal, operation);
}

/**
 * Waits for `promise`, or rejects with abortError as soon as `signal` fires (the promise itself goes on;
 * use it for work someone else may still want). The listener is removed either way, so long-lived
 * signals do not collect one listener per wait.
 */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | null | undefined, operation: string): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(abortError(signal, operation));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      promise.catch(() => undefined);
      reject(abortError(signal, operation));
    };
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** A pause that ends early, with abortError, when the signal fires. */
export function sleep(ms: number, signal: AbortSignal | null | undefined, operation: string): Promise<void> {
  return raceSignal(new Promise<void>((resolve) => setTimeout(resolve, ms)), signal, operation);
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

  join(signal: AbortSignal | null | undefined, operation: string): Promise<T> {
    this.#waiters += 1;
    let left = false;
    const leave = () => {
      if (left) return;
      left = true;
      this.#waiters -= 1;
      if (this.#waiters === 0 && !this.#settled) {
        this.#controller.abort(new GhesAuthError("ABORTED", `${operation}: every caller waiting for it has gone`));
      }
    };
    return raceSignal(this.promise, signal, operation).then(
      (value) => {
        leave();
        return value;
      },
      (error: unknown) => {
        leave();
        throw error;
      },
    );
  }
}
