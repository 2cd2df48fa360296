import { GhesSdkError } from "./errors.js";

/** 30 s: GHES answers these endpoints in well under a second when healthy; this leaves room for a slow
 * appliance, a token mint and two retries, and ends a hung connection long before undici's own 300 s. */
export const DEFAULT_TIMEOUT = 30_000;

// setTimeout fires at once for anything above 2^31 - 1 ms, so longer values are refused.
const MAX_TIMER = 2_147_483_647;

/** Checks a `timeout` option; `where` names it ("options.timeout", "the request's timeout"). */
export function checkTimeout(packageName: string, where: string, value: unknown): number {
  if (value === Number.POSITIVE_INFINITY) return value;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0 || value > MAX_TIMER) {
    throw new GhesSdkError(packageName, `${where} must be a number of milliseconds above 0 and at most ${MAX_TIMER}, or Infinity for none`);
  }
  return value;
}

/**
 * One call's deadline: a signal that fires when the timeout runs out or the caller's signal fires,
 * whichever comes first, and says which. `end()` clears the timer and the listener, so a finished call
 * keeps nothing alive.
 */
export class Deadline {
  readonly signal: AbortSignal;
  /** "timeout" or "aborted" once the signal fired. */
  cause: "timeout" | "aborted" | undefined;
  readonly #controller = new AbortController();
  readonly #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #caller: AbortSignal | undefined;
  readonly #onAbort = () => this.#fire("aborted", this.#caller?.reason);
  readonly timeout: number;

  constructor(timeout: number, caller: AbortSignal | null | undefined) {
    this.signal = this.#controller.signal;
    this.timeout = timeout;
    this.#caller = caller ?? undefined;
    if (caller?.aborted) {
      this.#fire("aborted", caller.reason);
    } else {
      caller?.addEventListener("abort", this.#onAbort, { once: true });
      if (timeout !== Number.POSITIVE_INFINITY) {
        this.#timer = setTimeout(() => this.#fire("timeout", new DOMException(`timed out after ${timeout} ms`, "TimeoutError")), timeout);
      }
    }
  }

  /** Milliseconds left, Infinity without a timeout. */
  remaining(started: number, now = Date.now()): number {
    return this.timeout - (now - started);
  }

  end(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#caller?.removeEventListener("abort", this.#onAbort);
  }

  #fire(cause: "timeout" | "aborted", reason: unknown): void {
    if (this.cause) return;
    this.cause = cause;
    this.#controller.abort(reason);
  }
}

/** Settles like `promise`, or rejects with `onAbort()` the moment `signal` fires — whatever `promise` waits on. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal, onAbort: () => unknown): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(onAbort());
  }
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(onAbort());
    signal.addEventListener("abort", abort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", abort);
        reject(error);
      },
    );
  });
}

/** Waits `ms`, or rejects with `onAbort()` the moment `signal` fires. */
export function sleep(ms: number, signal: AbortSignal, onAbort: () => unknown): Promise<void> {
  if (signal.aborted) return Promise.reject(onAbort());
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", abort);
      resolve();
    }, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(onAbort());
    };
    signal.addEventListener("abort", abort, { once: true });
  });
}
