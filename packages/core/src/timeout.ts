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

/** What a race rejects with when the deadline passes (the call's TIMEOUT or ABORTED error). */
export interface EndsWith {
  ended(): unknown;
}

/**
 * A call's end as seen by what waits on its behalf (auth's share of a token mint, a 2FA prompt), without an
 * AbortSignal of its own: a signal costs a controller, an event target and its listener maps per call,
 * which a call waiting behind a mint would otherwise keep for the whole wait.
 */
export interface CallEnd {
  /** Why the call ended — a `TimeoutError` DOMException or the caller's abort reason — or undefined while it runs. */
  readonly endReason: unknown;
  /** Calls `listener` once, the moment the call ends (if it has not already). */
  onEnd(listener: (reason: unknown) => void): void;
  /** Removes a listener `onEnd` added (nothing if it has fired or was never added). */
  offEnd(listener: (reason: unknown) => void): void;
}

/**
 * One call's deadline: it ends the call when the timeout runs out or the caller's signal fires,
 * whichever comes first, and says which. `race` and `sleep` settle the moment it does (one race at a
 * time: a call waits on one thing at a time). `end()` lets go of the call, so a finished call keeps
 * nothing alive.
 *
 * `signal` is what the call's fetch and middleware are given. A call with no signal of its own (the
 * common case) joins a shared group: every call started within the same short window with the same
 * timeout shares one AbortController and one timer. The timer fires when the group's first call is due
 * and ends each call still in flight at its own timeout, in the order they started (re-armed for the next
 * one still running), then aborts the shared signal, which releases the connections of what timed out
 * (`timeout` to `timeout + window` ms after each started; the window is 1/20 of the timeout, at most
 * 1 s). A timer, a controller and a signal per call are what cost most in a call to a fast server; a
 * shared group costs a slot in an array. Whatever else waits on the call's behalf (auth's mint, a 2FA
 * prompt) listens with `onEnd` (see CallEnd), or asks for `ownSignal`, made on first use; both fire at once.
 */
export class Deadline implements CallEnd {
  readonly signal: AbortSignal;
  readonly timeout: number;
  /** When the timeout passes (see clock); read by the shared group's timer. */
  readonly due: number;
  #cause: "timeout" | "aborted" | undefined;
  #reason: unknown;
  /** What waits on the call's behalf (see CallEnd): one listener, or (rarely) several. */
  #listeners: ((reason: unknown) => void) | ((reason: unknown) => void)[] | undefined;
  #controller: AbortController | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #caller: AbortSignal | undefined;
  #onAbort: (() => void) | undefined;
  #shared: Shared | undefined;
  /** This call's index in its shared group's members. */
  #slot = -1;
  /** The race under way: its reject, and what it rejects with when the deadline passes. */
  #reject: ((reason: unknown) => void) | undefined;
  #onEnd: EndsWith | undefined;
  /** The client's slots, while this call holds one (see Slots): given back when its fetch settles or it ends. */
  #slots: { release(): void } | undefined;

  /** `own`: never share (a body the caller streams after the call returned must not be cut by it). */
  constructor(timeout: number, caller: AbortSignal | null | undefined, own = false) {
    this.timeout = timeout;
    const now = clock();
    this.due = now + timeout;
    if (!caller && !own && timeout !== Number.POSITIVE_INFINITY) {
      const s = joinShared(timeout, now);
      this.#shared = s;
      this.#slot = s.members.push(this) - 1;
      this.signal = s.controller.signal;
      return;
    }
    this.#controller = new AbortController();
    this.signal = this.#controller.signal;
    if (caller) {
      this.#caller = caller;
      if (caller.aborted) {
        this.#fire("aborted", caller.reason);
        return;
      }
      this.#onAbort = (): void => this.#fire("aborted", caller.reason);
      caller.addEventListener("abort", this.#onAbort, { once: true });
    }
    if (timeout !== Number.POSITIVE_INFINITY) {
      this.#timer = setTimeout(() => this.#fire("timeout", timedOut(timeout)), timeout);
    }
  }

  /**
   * "timeout" or "aborted" once the deadline passed. A shared signal that fired means the timeout passed
   * too (it fires after every member's own timeout).
   */
  get cause(): "timeout" | "aborted" | undefined {
    return this.#cause ?? (this.#shared?.expired ? "timeout" : undefined);
  }

  /** A signal of this call alone (made on first use when the deadline is shared): fires the moment it ends. */
  get ownSignal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.cause) this.#controller.abort(this.endReason);
    }
    return this.#controller.signal;
  }

  get endReason(): unknown {
    return this.#cause ? this.#reason : this.#shared?.expired ? timedOut(this.timeout) : undefined;
  }

  onEnd(listener: (reason: unknown) => void): void {
    if (this.#cause) return;
    const listeners = this.#listeners;
    if (listeners === undefined) this.#listeners = listener;
    else if (typeof listeners === "function") this.#listeners = [listeners, listener];
    else listeners.push(listener);
  }

  offEnd(listener: (reason: unknown) => void): void {
    const listeners = this.#listeners;
    if (listeners === listener) this.#listeners = undefined;
    else if (Array.isArray(listeners)) {
      const at = listeners.indexOf(listener);
      if (at >= 0) listeners.splice(at, 1);
    }
  }

  /** What the call's fetch is given: its own signal if something made one, else the shared one. */
  get fetchSignal(): AbortSignal {
    return this.#controller?.signal ?? this.signal;
  }

  /** Milliseconds left, Infinity without a timeout. */
  remaining(): number {
    return this.due - clock();
  }

  /** Settles like `promise`, or rejects with `onEnd.ended()` the moment the deadline passes. */
  race<T>(promise: Promise<T>, onEnd: EndsWith): Promise<T> {
    if (this.cause) {
      promise.catch(() => undefined);
      return Promise.reject(onEnd.ended());
    }
    return new Promise<T>((resolve, reject) => {
      this.arm(reject, onEnd);
      promise.then(resolve, reject);
    });
  }

  /**
   * The deadline will call `reject(onEnd.ended())` the moment it passes, unless a later `race`, `arm` or
   * `end()` replaced it: how a call's own promise is its race, with no second promise. A promise that
   * already settled ignores a later reject, so nothing needs removing when it does.
   */
  arm(reject: (reason: unknown) => void, onEnd: EndsWith): void {
    this.#reject = reject;
    this.#onEnd = onEnd;
  }

  /** Waits `ms`, or rejects with `onEnd.ended()` the moment the deadline passes. */
  sleep(ms: number, onEnd: EndsWith): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    return this.race(new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))), onEnd).finally(() => clearTimeout(timer));
  }

  /** This call now holds a slot of `slots` (see Slots). */
  holdSlot(slots: { release(): void }): void {
    this.#slots = slots;
  }

  /** Gives back the slot this call holds, if any (once). */
  releaseSlot(): void {
    const slots = this.#slots;
    if (slots) {
      this.#slots = undefined;
      slots.release();
    }
  }

  end(): void {
    // A fetch that ignores its signal must not keep a slot from the calls waiting for one.
    this.releaseSlot();
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    if (this.#shared) {
      leaveShared(this.#shared, this.#slot);
      this.#shared = undefined;
    }
    if (this.#onAbort) this.#caller?.removeEventListener("abort", this.#onAbort);
    this.#listeners = undefined;
    this.#reject = undefined;
    this.#onEnd = undefined;
  }

  /** The shared group's timer says this call's timeout has passed. */
  timedOut(): void {
    this.#fire("timeout", timedOut(this.timeout));
  }

  #fire(cause: "timeout" | "aborted", reason: unknown): void {
    if (this.#cause) return;
    this.#cause = cause;
    this.#reason = reason;
    this.#controller?.abort(reason);
    const listeners = this.#listeners;
    if (listeners) {
      this.#listeners = undefined;
      if (typeof listeners === "function") listeners(reason);
      else for (const listener of listeners) listener(reason);
    }
    const reject = this.#reject;
    if (reject) {
      this.#reject = undefined;
      reject(this.#onEnd!.ended());
    }
    // The call has ended: nothing of it needs the timer, the group or the caller's signal any more.
    this.end();
  }
}

// Monotonic where the runtime has `performance` (whatever the wall clock does); the wall clock elsewhere.
const clock: () => number = typeof performance === "object" && typeof performance?.now === "function" ? () => performance.now() : Date.now;

const timedOut = (timeout: number) => new DOMException(`timed out after ${timeout} ms`, "TimeoutError");

interface Shared {
  readonly timeout: number;
  readonly controller: AbortController;
  /** The group's calls in the order they started (so in order of due time); a call that ended leaves a hole. */
  readonly members: (Deadline | undefined)[];
  /** The first member that may still be in flight. */
  next: number;
  timer: ReturnType<typeof setTimeout>;
  /** Until when calls may join. */
  readonly open: number;
  inFlight: number;
  /** Set as its signal is aborted (read instead of `signal.aborted`, which costs more). */
  expired: boolean;
}

// Undici (Node's fetch) links every fetch to the signal it is given and lets go only when that fetch is
// collected, and on each new fetch copies the signal's listener list (getEventListeners): a signal shared
// by many calls makes every fetch slower and holds more until a GC. A controller costs a few µs; shared by
// at most this many calls it costs a fraction of one per call, and the copied lists stay short.
const MAX_JOINED = 32;
const shared = new Map<number, Shared>();

function joinShared(timeout: number, now: number): Shared {
  let s = shared.get(timeout);
  if (!s || s.open < now || s.members.length >= MAX_JOINED || s.expired) {
    const window = Math.min(1000, Math.ceil(timeout / 20));
    const group: Shared = {
      timeout,
      controller: new AbortController(),
      members: [],
      next: 0,
      timer: undefined as never,
      open: now + window,
      inFlight: 0,
      expired: false,
    };
    // Armed for the first member's timeout; the last member's falls within the window after it.
    group.timer = setTimeout(() => expire(group, now + timeout), timeout);
    s = group;
    shared.set(timeout, s);
  }
  // Only calls in flight keep the process alive (as a call's own timer would).
  if (s.inFlight++ === 0) (s.timer as { ref?: () => void }).ref?.();
  return s;
}

function leaveShared(s: Shared, slot: number): void {
  s.members[slot] = undefined;
  if (--s.inFlight === 0) (s.timer as { unref?: () => void }).unref?.();
}

/**
 * The group's timer fired for a member due at `due`: ends every member due by then (or by the clock, if
 * it is later), in order, and re-arms for the next one still in flight. With none left, the group closes
 * and its shared signal is aborted, releasing the connections of the calls that timed out.
 */
function expire(s: Shared, due: number): void {
  const now = Math.max(due, clock());
  const { members } = s;
  for (; s.next < members.length; s.next++) {
    const member = members[s.next];
    if (!member) continue;
    if (member.due > now) {
      s.timer = setTimeout(() => expire(s, member.due), member.due - now);
      if (s.inFlight === 0) (s.timer as { unref?: () => void }).unref?.();
      return;
    }
    member.timedOut();
  }
  if (shared.get(s.timeout) === s) shared.delete(s.timeout);
  s.expired = true;
  s.controller.abort(timedOut(s.timeout));
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
