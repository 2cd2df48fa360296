import type { TokenCache } from "@ghes-sdk/auth";
import { createClient } from "redis";
import { SharedRateLimits, type Fetch, type PubSubClient } from "./rate-limits.js";

export type { Fetch } from "./rate-limits.js";

const PACKAGE = "@ghes-sdk/redis";

/**
 * What redisCache uses of a client: the commands of node-redis (`redis` 4 and later, a single node or a
 * cluster), so a client you already have — connected to Redis or Valkey — can be passed in.
 */
export interface RedisCommands {
  get(key: string): Promise<string | null | unknown>;
  set(key: string, value: string, options: { expiration: { type: "PX"; value: number }; condition?: "NX" }): Promise<string | null | unknown>;
  del(key: string): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

export interface RedisCacheOptions {
  /** `redis://[[user]:password@]host[:port][/db]` or `rediss://…` (TLS). redisCache makes, connects and reconnects the client. */
  url?: string;
  /** A node-redis client you made (and connect, reconnect and close yourself), instead of `url`. */
  client?: RedisCommands;
  /** Put before every key, so several Apps or environments can share one Redis. Default `"ghes-sdk:"`. */
  prefix?: string;
  /**
   * The mint lock's lease, in ms: if a process dies while minting, the others wait at most this long
   * before one of them mints. A live holder renews it every third of it, so a slow mint is not doubled.
   * Default 10 000.
   */
  lease?: number;
  /** A Redis command that has not answered after this many ms counts as failed. Default 1 000. */
  timeout?: number;
  /** Where the one warning per Redis outage goes. Default `console.warn`. */
  onWarning?: (message: string) => void;
  /** The longest shared rate-limit wait a request sits out (see shareRateLimits), in ms. Default 20 000. */
  maxRateLimitWait?: number;
}

/** A TokenCache on Redis: give it to installationAuth, appInstallationsAuth or appRouteAuth as `cache`. */
export interface RedisTokenCache extends TokenCache {
  /**
   * A `fetch` for the client (`createClient({ fetch: cache.shareRateLimits(), … })`) that shares
   * rate-limit waits: when a response through it is a primary or secondary rate limit, every process
   * sharing this Redis holds its requests with the same credential to the same GHES until the reset
   * (at most `maxRateLimitWait`), instead of each finding out with a request of its own. Wraps `fetch`
   * (default: the global fetch). Off unless used.
   */
  shareRateLimits(fetch?: Fetch): Fetch;
  /** Until when (ms since the epoch) requests like this one are held by a shared rate-limit wait; 0 when they are not. */
  rateLimitedUntil(request: Request): number;
  /** Closes the connections redisCache opened from `url` (a client you passed in is left to you). */
  close(): Promise<void>;
}

// Frees the lock only while it holds this holder's random value: a holder whose lease ran out (and
// whose lock another process took since) must not free the other's.
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
/** Likewise, a holder renews only its own lease. */
const RENEW = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;

/** After a lost connection, the next try after 50 ms, doubling up to 2 s, for as long as it takes. */
const reconnectDelay = (retries: number) => Math.min(50 * 2 ** retries, 2_000);

const fail = (option: string, problem: string) => new TypeError(`${PACKAGE}: redisCache: ${option} ${problem}`);

function positive(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw fail(option, `must be a positive whole number of milliseconds, got ${typeof value === "number" ? value : typeof value}`);
  }
  return value;
}

/** host:port of a Redis URL, for messages: never its user name or password. */
function where(url: string): string {
  try {
    const { protocol, host } = new URL(url);
    return `${protocol}//${host}`;
  } catch {
    return "(unparsable url)";
  }
}

/**
 * Installation tokens shared through Redis (or Valkey) by every process of a GitHub App. What auth
 * stores is already encrypted (AES-256-GCM, a key derived from the App's private key); this adds the
 * key prefix, expiry, the mint lock with its lease, a timeout per command, and the one warning per outage.
 * A failing command rejects, and auth goes on with the process's own cache.
 */
export function redisCache(options: RedisCacheOptions): RedisTokenCache {
  if (options === null || typeof options !== "object") {
    throw fail("options", "must be an object: redisCache({ url: \"redis://127.0.0.1:6379\" }) or redisCache({ client })");
  }
  const known = ["url", "client", "prefix", "lease", "timeout", "onWarning", "maxRateLimitWait"];
  const unknown = Object.keys(options).filter((key) => !known.includes(key));
  if (unknown.length > 0) throw fail(`option ${unknown.join(", ")}`, `is not one redisCache takes (${known.join(", ")})`);
  const { url, client: given, prefix = "ghes-sdk:", onWarning = (message: string) => console.warn(message) } = options;
  if ((url === undefined) === (given === undefined)) {
    throw fail("url", "or client is needed, and only one of them: redisCache({ url: \"redis://127.0.0.1:6379\" }) or redisCache({ client })");
  }
  if (url !== undefined && (typeof url !== "string" || !/^rediss?:\/\//.test(url))) {
    throw fail("url", "must be a redis:// or rediss:// URL, e.g. \"redis://127.0.0.1:6379\"");
  }
  if (given !== undefined && (given === null || typeof given !== "object" || typeof (given as RedisCommands).eval !== "function")) {
    throw fail("client", "must be a node-redis client (createClient() from \"redis\")");
  }
  if (typeof prefix !== "string") throw fail("prefix", `must be a string, got ${typeof prefix}`);
  if (typeof onWarning !== "function") throw fail("onWarning", `must be a function, got ${typeof onWarning}`);
  const lease = positive("lease", options.lease, 10_000);
  const timeout = positive("timeout", options.timeout, 1_000);
  const maxRateLimitWait = positive("maxRateLimitWait", options.maxRateLimitWait, 20_000);
  const name = url === undefined ? "Redis" : `Redis at ${where(url)}`;

  // Healthy until a command fails; then one warning, and healthy again once a command succeeds.
  let healthy = true;
  const failed = (why: unknown) => {
    if (!healthy) return;
    healthy = false;
    const reason = why instanceof Error ? why.message : String(why);
    onWarning(
      `${PACKAGE}: ${name} failed (${url ? reason.replaceAll(url, where(url)) : reason}); installation tokens come from each process's own cache and mints until it answers again, without another warning`,
    );
  };

  let own: ReturnType<typeof createClient> | undefined;
  let client: RedisCommands;
  if (url !== undefined) {
    // Offline, commands fail at once instead of queueing: auth then goes on without the shared cache.
    own = createClient({ url, disableOfflineQueue: true, socket: { connectTimeout: timeout, reconnectStrategy: reconnectDelay } });
    own.on("error", failed); // without a listener, a lost connection would be an uncaught error
    // The first commands wait for the first connection (within their timeout); later ones find it made.
    const connecting = own.connect().then(() => undefined, failed);
    const connected = own as unknown as RedisCommands;
    client = {
      get: (key) => connecting.then(() => connected.get(key)),
      set: (key, value, o) => connecting.then(() => connected.set(key, value, o)),
      del: (key) => connecting.then(() => connected.del(key)),
      eval: (script, o) => connecting.then(() => connected.eval(script, o)),
    };
  } else {
    client = given!;
  }

  /** One command, failing after `timeout` ms (the command itself may still complete; nothing waits for it). */
  const run = <T>(command: () => Promise<T>): Promise<T> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeout} ms`)), timeout);
    });
    return Promise.race([Promise.resolve().then(command), late]).then(
      (value) => {
        clearTimeout(timer);
        healthy = true;
        return value;
      },
      (error: unknown) => {
        clearTimeout(timer);
        failed(error);
        throw error;
      },
    );
  };

  let rateLimits: SharedRateLimits | undefined;
  const sharedLimits = (): SharedRateLimits => {
    const pubsub = (own ?? given) as unknown as Partial<PubSubClient>;
    if (typeof pubsub.duplicate !== "function" || typeof pubsub.publish !== "function") {
      throw fail("client", "must be a node-redis client with duplicate() and publish() to share rate-limit waits");
    }
    rateLimits ??= new SharedRateLimits(pubsub as PubSubClient, `${prefix}rate-limits`, maxRateLimitWait);
    return rateLimits;
  };

  return {
    shareRateLimits(fetch = (request) => globalThis.fetch(request)) {
      if (typeof fetch !== "function") throw fail("shareRateLimits(fetch)", `must be given a fetch function, got ${typeof fetch}`);
      return sharedLimits().wrap(fetch);
    },
    rateLimitedUntil(request) {
      return rateLimits?.waitingUntil(request) ?? 0;
    },
    async get(key) {
      const value = await run(() => client.get(prefix + key));
      return typeof value === "string" ? value : undefined;
    },
    async set(key, value, ttlMs) {
      await run(() => client.set(prefix + key, value, { expiration: { type: "PX", value: Math.max(1, Math.floor(ttlMs)) } }));
    },
    async delete(key) {
      await run(() => client.del(prefix + key));
    },
    async lock(key) {
      const holder = crypto.randomUUID();
      const taken = await run(() => client.set(prefix + key, holder, { expiration: { type: "PX", value: lease }, condition: "NX" }));
      if (taken !== "OK") return undefined;
      const renewal = setInterval(() => {
        run(() => client.eval(RENEW, { keys: [prefix + key], arguments: [holder, String(lease)] })).catch(() => undefined);
      }, Math.max(1, Math.floor(lease / 3)));
      renewal.unref?.(); // a lock never keeps the process alive
      return async () => {
        clearInterval(renewal);
        await run(() => client.eval(RELEASE, { keys: [prefix + key], arguments: [holder] }));
      };
    },
    async close() {
      rateLimits?.close();
      if (own?.isOpen) await own.close();
      else own?.destroy();
    },
  };
}
