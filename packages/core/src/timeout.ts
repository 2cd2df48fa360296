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
 * One call's deadline: it ends the call when the timeout runs out or the caller's signal fires,
 * whichever comes first, and says which. `race` and `sleep` settle the moment it does. `end()` lets go
 * of the call, so a finished call keeps nothing alive.
 *
 * `signal` is what the call's fetch and middleware are given. A call with no signal of its own (the
 * common case) gets a shared one: every call started within the same short window with the same timeout
 * shares one AbortController, whose timer fires `timeout` to `timeout + window` ms after each of them
 * started (the window is 1/20 of the timeout, at most 1 s) and aborts what is still in flight. A
 * controller and a signal per call are what cost most in a call to a fast server; a shared one costs a
 * counter. The call itself still ends on time: its own timer (cheap) ends its race at `timeout`; the
 * shared signal then releases the connection at most a window later. Whatever else waits on the call's
 * behalf (auth's mint, a 2FA prompt) asks for `ownSignal`, made on first use, which fires at once.
 */
export class Deadline {
  readonly signal: AbortSignal;
  readonly timeout: number;
  #cause: "timeout" | "aborted" | undefined;
  #controller: AbortController | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #caller: AbortSignal | undefined;
  #shared: Shared | undefined;
  #waiters: Set<() => void> | undefined;
  #onAbort = (): void => this.#fire("aborted", this.#caller?.reason);

  /** `own`: never share (a body the caller streams after the call returned must not be cut by it). */
  constructor(timeout: number, caller: AbortSignal | null | undefined, own = false) {
    this.timeout = timeout;
    if (!caller && !own && timeout !== Number.POSITIVE_INFINITY) {
      this.#shared = joinShared(timeout);
      this.signal = this.#shared.controller.signal;
    } else {
      this.#controller = new AbortController();
      this.signal = this.#controller.signal;
      this.#caller = caller ?? undefined;
      if (caller?.aborted) {
        this.#fire("aborted", caller.reason);
        return;
      }
      caller?.addEventListener("abort", this.#onAbort, { once: true });
    }
    if (timeout !== Number.POSITIVE_INFINITY) {
      this.#timer = setTimeout(() => this.#fire("timeout", timedOut(timeout)), timeout);
    }
  }

  /**
   * "timeout" or "aborted" once the deadline passed. A shared signal that fired means the timeout passed
   * too (it fires after every member's own timer is due; timers of equal due time may run in either order).
   */
  get cause(): "timeout" | "aborted" | undefined {
    return this.#cause ?? (this.#shared && this.signal.aborted ? "timeout" : undefined);
  }

  /** A signal of this call alone (made on first use when the deadline is shared): fires the moment it ends. */
  get ownSignal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.cause) this.#controller.abort(timedOut(this.timeout));
    }
    return this.#controller.signal;
  }

  /** What the call's fetch is given: its own signal if something made one, else the shared one. */
  get fetchSignal(): AbortSignal {
    return this.#controller?.signal ?? this.signal;
  }

  /** Milliseconds left, Infinity without a timeout. */
  remaining(started: number, now = Date.now()): number {
    return this.timeout - (now - started);
  }

  /** Settles like `promise`, or rejects with `onEnd()` the moment the deadline passes. */
  race<T>(promise: Promise<T>, onEnd: () => unknown): Promise<T> {
    if (this.cause) {
      promise.catch(() => undefined);
      return Promise.reject(onEnd());
    }
    return new Promise<T>((resolve, reject) => {
      const end = () => reject(onEnd());
      (this.#waiters ??= new Set()).add(end);
      promise.then(
        (value) => {
          this.#waiters?.delete(end);
          resolve(value);
        },
        (error: unknown) => {
          this.#waiters?.delete(end);
          reject(error);
        },
      );
    });
  }

  /** Waits `ms`, or rejects with `onEnd()` the moment the deadline passes. */
  sleep(ms: number, onEnd: () => unknown): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    return this.race(new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))), onEnd).finally(() => clearTimeout(timer));
  }

  end(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    if (this.#shared) leaveShared(this.#shared);
    this.#caller?.removeEventListener("abort", this.#onAbort);
  }

  #fire(cause: "timeout" | "aborted", reason: unknown): void {
    if (this.#cause) return;
    this.#cause = cause;
    this.#controller?.abort(reason);
    if (this.#waiters) for (const end of this.#waiters) end();
    this.#waiters = undefined;
  }
}

const timedOut = (timeout: number) => new DOMException(`timed out after ${timeout} ms`, "TimeoutError");

interface Shared {
  readonly controller: AbortController;
  readonly timer: ReturnType<typeof setTimeout>;
  /** Until when calls may join. */
  readonly open: number;
  joined: number;
  inFlight: number;
}

// Undici (Node's fetch) links every fetch to the signal it is given and lets go only when that fetch is
// collected, and on each new fetch copies the signal's listener list (getEventListeners): a signal shared
// by many calls makes every fetch slower and holds more until a GC. A controller costs a few µs; shared by
// at most this many calls it costs a fraction of one per call, and the copied lists stay short.
const MAX_JOINED = 32;
const shared = new Map<number, Shared>();

function joinShared(timeout: number): Shared {
  const now = Date.now();
  let s = shared.get(timeout);
  if (!s || s.open < now || s.joined >= MAX_JOINED || s.controller.signal.aborted) {
    const window = Math.min(1000, Math.ceil(timeout / 20));
    const controller = new AbortController();
    const timer = setTimeout(() => {
      if (shared.get(timeout) === s) shared.delete(timeout);
      controller.abort(timedOut(timeout));
    }, timeout + window + 2); // + 2: Date.now() and the timers' clock round differently
    s = { controller, timer, open: now + window, joined: 0, inFlight: 0 };
    shared.set(timeout, s);
  }
  s.joined++;
  // Only calls in flight keep the process alive (as a call's own timer would).
  if (s.inFlight++ === 0) (s.timer as { ref?: () => void }).ref?.();
  return s;
}

function leaveShared(s: Shared): void {
  if (--s.inFlight === 0) (s.timer as { unref?: () => void }).unref?.();
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
