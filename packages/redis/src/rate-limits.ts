import { createHash } from "node:crypto";

/**
 * Rate-limit waits shared through Redis pub/sub. GHES counts its primary limit per credential and its
 * secondary limits per App, installation or user — not per process — so when one process is told to wait,
 * every process using the same credential against the same GHES would be told the same a request later.
 * A process that meets a limit publishes how long to wait; every process sharing the Redis holds its
 * requests with that credential until then, instead of each sending one more request to find out.
 */

/** A fetch as the era clients call it (a custom `fetch` receives a Request). */
export type Fetch = (input: Request) => Promise<Response>;

/** What the subscription needs of a client: node-redis's duplicate(), connect(), subscribe() and publish(). */
export interface PubSubClient {
  publish(channel: string, message: string): Promise<unknown>;
  duplicate(): {
    on(event: "error", listener: (error: unknown) => void): unknown;
    connect(): Promise<unknown>;
    subscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
    destroy(): void;
  };
}

/** A 403 or 429 that is a rate limit, and how long it asks to wait (ms), measured against its own Date. */
export function rateLimitWait(response: Response, now = Date.now()): number | undefined {
  const { status, headers } = response;
  const exhausted = headers.get("x-ratelimit-remaining") === "0";
  if (status !== 429 && !(status === 403 && (headers.has("retry-after") || exhausted))) return undefined;
  const serverNow = Date.parse(headers.get("date") ?? "");
  const base = Number.isNaN(serverNow) ? now : serverNow;
  const retryAfter = headers.get("retry-after")?.trim();
  if (retryAfter && /^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
  if (retryAfter && !Number.isNaN(Date.parse(retryAfter))) return Math.max(0, Date.parse(retryAfter) - base);
  const reset = Number(headers.get("x-ratelimit-reset"));
  if (exhausted && Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - base);
  // GitHub's advice for a secondary limit without Retry-After: wait at least a minute.
  return 60_000;
}

/** The GHES and credential a request is limited under, as a digest: the credential itself never leaves the process. */
function limitKey(request: Request): string {
  const origin = new URL(request.url).origin;
  const credential = request.headers.get("authorization") ?? "";
  return createHash("sha256").update(`${origin}\n${credential}`).digest("base64url").slice(0, 24);
}

export class SharedRateLimits {
  readonly #channel: string;
  readonly #maxWait: number;
  readonly #client: PubSubClient;
  /** Limit key → until when (local clock, ms) its requests wait. */
  readonly #until = new Map<string, number>();
  #subscriber: ReturnType<PubSubClient["duplicate"]> | undefined;
  #subscribed: Promise<void> | undefined;

  constructor(client: PubSubClient, channel: string, maxWait: number) {
    this.#client = client;
    this.#channel = channel;
    this.#maxWait = maxWait;
  }

  /** Subscribes on first use, on a connection of its own (a subscribed connection sends no commands). */
  subscribe(): Promise<void> {
    this.#subscribed ??= (async () => {
      const subscriber = this.#client.duplicate();
      this.#subscriber = subscriber;
      subscriber.on("error", () => undefined); // the command connection reports outages; this one reconnects quietly
      await subscriber.connect();
      await subscriber.subscribe(this.#channel, (message) => this.#heard(message));
    })().catch(() => undefined);
    return this.#subscribed;
  }

  #heard(message: string): void {
    try {
      const { k, ms } = JSON.parse(message) as { k?: unknown; ms?: unknown };
      if (typeof k === "string" && typeof ms === "number" && ms > 0) this.#hold(k, ms);
    } catch {
      /* not ours */
    }
  }

  #hold(key: string, ms: number): void {
    const until = Date.now() + Math.min(ms, this.#maxWait);
    if (until > (this.#until.get(key) ?? 0)) this.#until.set(key, until);
  }

  /** Until when (ms since the epoch, local clock) requests like this one wait; 0 when they do not. */
  waitingUntil(request: Request): number {
    const until = this.#until.get(limitKey(request)) ?? 0;
    return until > Date.now() ? until : 0;
  }

  /** `fetch` that waits out a limit another process (or this one) met, and tells the others of one it meets. */
  wrap(fetch: Fetch): Fetch {
    void this.subscribe();
    return async (request) => {
      const key = limitKey(request);
      const until = this.#until.get(key) ?? 0;
      const wait = until - Date.now();
      if (wait > 0) await pause(wait, request.signal);
      const response = await fetch(request);
      const ms = rateLimitWait(response);
      if (ms !== undefined && ms > 0) {
        this.#hold(key, ms);
        this.#client.publish(this.#channel, JSON.stringify({ k: key, ms })).catch(() => undefined);
      }
      return response;
    };
  }

  close(): void {
    this.#subscriber?.destroy();
  }
}

/** A pause the request's own signal ends (then the fetch below fails with the signal's reason, as fetch does). */
function pause(ms: number, signal: AbortSignal | null): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
