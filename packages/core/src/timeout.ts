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
 * One call's end: its timeout, or the caller's signal, whichever fires first. `signal` is what the
 * call's request carries, so fetch, auth's waits, a slot in the queue and a pause between retries all
 * end with it; `cause` says which fired. `end()` clears the timer and the listener once the call is over.
 */
export class Deadline {
  readonly signal: AbortSignal;
  readonly due: number;
  cause: "timeout" | "aborted" | undefined;
  readonly #controller = new AbortController();
  readonly #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #caller: AbortSignal | null | undefined;
  readonly #onAbort = (): void => this.#fire("aborted", this.#caller?.reason);

  constructor(
    readonly timeout: number,
    caller: AbortSignal | null | undefined,
  ) {
    this.signal = this.#controller.signal;
    this.due = Date.now() + timeout;
    this.#caller = caller;
    if (caller?.aborted) this.#fire("aborted", caller.reason);
    else caller?.addEventListener("abort", this.#onAbort, { once: true });
    if (timeout !== Number.POSITIVE_INFINITY && !this.cause) {
      this.#timer = setTimeout(() => this.#fire("timeout", new DOMException(`timed out after ${timeout} ms`, "TimeoutError")), timeout);
    }
  }

  /** Milliseconds left (Infinity without a timeout). */
  remaining(): number {
    return this.due - Date.now();
  }

  end(): void {
    clearTimeout(this.#timer);
    this.#caller?.removeEventListener("abort", this.#onAbort);
  }

  #fire(cause: "timeout" | "aborted", reason: unknown): void {
    if (this.cause) return;
    this.cause = cause;
    this.#controller.abort(reason);
    this.end();
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

/** Waits `ms`, or rejects with the signal's reason the moment it fires. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return raceAbort(new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))), signal, () => signal.reason).finally(() => clearTimeout(timer));
}
