import { sleep, type Waiting } from "./abort.js";
import { parsePrivateKey } from "./app-jwt.js";
import { invalidOption } from "./errors.js";
import { LruCache } from "./cache.js";
import { base64url } from "./jwt-sign.js";
import { kindOf } from "./validate.js";

/**
 * A store that several processes share (Redis, Valkey — `@ghes-sdk/redis` — or your own), given to
 * `installationAuth`, `appInstallationsAuth` and `appRouteAuth` as `cache`. Installation tokens are counted
 * per App and installation by GHES, not per process: with a shared cache, processes that start together
 * mint once per installation and reuse each other's tokens. The process's own in-memory cache stays in
 * front of it (a token found once is not read again), and is all there is without a `cache`.
 *
 * Values are opaque strings: auth encrypts each token (AES-256-GCM, a key derived from the App's private
 * key) before it reaches the store. Every method may reject or be slow; auth then goes on as if there
 * were no shared cache (this process's cache and single flight), so a failing store never fails a request.
 */
export interface TokenCache {
  /** The value stored under `key`, or undefined. */
  get(key: string): Promise<string | undefined>;
  /** Stores `value` under `key`, to expire after `ttlMs`. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Takes the lock named `key` unless another holder has it, for a lease the store decides (so a
   * process that dies holding it stalls the others at most that long). Resolves to the release (which
   * frees the lock only while it is still this holder's), or undefined when another holder has it.
   */
  lock(key: string): Promise<(() => Promise<void>) | undefined>;
}

/** What the shared cache holds of a token (encrypted). `mintedAt` is the minting process's clock. */
export interface StoredToken {
  readonly token: string;
  readonly expiresAt: number;
  readonly mintedAt: number;
}

/** While another process mints, the store is read again after this pause, doubling up to the maximum. */
const POLL_MIN_MS = 10;
const POLL_MAX_MS = 100;
const FORMAT = "v1";
const KEY_LABEL = "ghes-sdk/auth installation token cache v1";

/** Reads the `cache` option: undefined (this process's cache only) or a TokenCache bound to the App's key. */
export function sharedCacheOption(strategy: string, options: Record<string, unknown>): SharedTokens | undefined {
  const cache = options["cache"];
  if (cache === undefined) return undefined;
  const methods = ["get", "set", "delete", "lock"] as const;
  if (cache === null || typeof cache !== "object" || !methods.every((m) => typeof (cache as Record<string, unknown>)[m] === "function")) {
    throw invalidOption(strategy, "cache", `must be a TokenCache with get, set, delete and lock methods (e.g. redisCache() from @ghes-sdk/redis), got ${kindOf(cache)}`);
  }
  return new SharedTokens(cache as TokenCache, parsePrivateKey(strategy, options["privateKey"]).sign);
}

/**
 * The shared cache as auth uses it: keys named after the installation, values encrypted, one mint per
 * key across processes through the store's lock. Every store failure becomes "not there".
 */
export class SharedTokens {
  readonly #cache: TokenCache;
  readonly #sign: (data: string) => string | Promise<string>;
  #key: Promise<CryptoKey> | undefined;
  /** Tokens this process found dead, per cache key: not taken from the store again while their delete is under way. */
  readonly #dead = new LruCache<string, string>(100);

  constructor(cache: TokenCache, sign: (data: string) => string | Promise<string>) {
    this.#cache = cache;
    this.#sign = sign;
  }

  /**
   * The AES-256-GCM key: HKDF-SHA256 over the App key's RS256 signature of a fixed label. PKCS#1 v1.5
   * signatures are deterministic, so every process with the private key derives the same key, and no one
   * without it can — whichever crypto backend signs (node:crypto or WebCrypto).
   */
  #aesKey(): Promise<CryptoKey> {
    this.#key ??= (async () => {
      const { subtle } = globalThis.crypto;
      const secret = new TextEncoder().encode(await this.#sign(KEY_LABEL));
      const ikm = await subtle.importKey("raw", secret, "HKDF", false, ["deriveKey"]);
      const params = { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(32), info: new TextEncoder().encode(KEY_LABEL) };
      return subtle.deriveKey(params, ikm, { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
    })();
    return this.#key;
  }

  /**
   * The store key for a token cache key (API root, App, installation, scope): readable up to the
   * installation, then a hash, so a key says which installation it is for and nothing of the scope.
   */
  async #storeKey(key: string, installationId: number): Promise<string> {
    const digest = await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(key));
    return `installation-token:${installationId}:${base64url(new Uint8Array(digest)).slice(0, 32)}`;
  }

  /** The store key is the cipher's associated data: a value copied under another installation's key does not decrypt. */
  async #seal(storeKey: string, record: StoredToken): Promise<string> {
    const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
    const plain = new TextEncoder().encode(JSON.stringify({ t: record.token, e: record.expiresAt, m: record.mintedAt }));
    const aad = new TextEncoder().encode(storeKey);
    const sealed = await globalThis.crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: aad }, await this.#aesKey(), plain);
    return `${FORMAT}.${base64url(iv)}.${base64url(new Uint8Array(sealed))}`;
  }

  /** The token in a stored value, or undefined when it is not one this App's key sealed under this key. */
  async #open(storeKey: string, value: string): Promise<StoredToken | undefined> {
    const [format, iv, sealed] = value.split(".");
    if (format !== FORMAT || !iv || !sealed) return undefined;
    try {
      const aad = new TextEncoder().encode(storeKey);
      const plain = await globalThis.crypto.subtle.decrypt(
        { name: "AES-GCM", iv: fromBase64url(iv), additionalData: aad },
        await this.#aesKey(),
        fromBase64url(sealed),
      );
      const { t, e, m } = JSON.parse(new TextDecoder().decode(plain)) as { t?: unknown; e?: unknown; m?: unknown };
      if (typeof t !== "string" || typeof e !== "number" || typeof m !== "number") return undefined;
      return { token: t, expiresAt: e, mintedAt: m };
    } catch {
      return undefined; // another key (another App, a rotated key) or tampered with: not ours to use
    }
  }

  /** The stored token, undefined when there is none, FAILED when the store did not answer. */
  async #read(storeKey: string): Promise<StoredToken | undefined | typeof FAILED> {
    let value: string | undefined;
    try {
      value = await this.#cache.get(storeKey);
    } catch {
      return FAILED;
    }
    return typeof value === "string" ? this.#open(storeKey, value) : undefined;
  }

  /**
   * A token for `key`: one another process stored, or — holding the store's lock, so the others wait for
   * it instead of minting too — one minted here with `mint` and stored for them, to expire from the store
   * when it is no longer usable (`usableForMs`). `adopt` turns a stored token into what the caller caches.
   * When the store fails, `mint` runs as if there were no shared cache; `signal` ends the wait.
   */
  async obtain<E extends StoredToken>(
    key: string,
    installationId: number,
    signal: AbortSignal,
    waiting: Waiting,
    local: { usableForMs(token: StoredToken): number; mint(): Promise<E>; adopt(token: StoredToken): E },
  ): Promise<E> {
    let storeKey: string;
    try {
      storeKey = await this.#storeKey(key, installationId);
    } catch {
      return local.mint();
    }
    const found = (token: StoredToken | undefined | typeof FAILED): token is StoredToken =>
      token !== undefined && token !== FAILED && local.usableForMs(token) > 0 && this.#dead.peek(key) !== token.token;
    let pause = POLL_MIN_MS;
    for (;;) {
      const stored = await this.#read(storeKey);
      if (found(stored)) return local.adopt(stored);
      if (stored === FAILED) return local.mint();
      let release: (() => Promise<void>) | undefined;
      try {
        release = await this.#cache.lock(`${storeKey}:lock`);
      } catch {
        return local.mint();
      }
      if (release) return this.#mintHolding(storeKey, release, found, local);
      // Another process is minting: its token will be in the store, or its lease runs out and we take the lock.
      await sleep(pause, signal, waiting);
      pause = Math.min(pause * 2, POLL_MAX_MS);
    }
  }

  async #mintHolding<E extends StoredToken>(
    storeKey: string,
    release: () => Promise<void>,
    found: (token: StoredToken | undefined | typeof FAILED) => token is StoredToken,
    local: { usableForMs(token: StoredToken): number; mint(): Promise<E>; adopt(token: StoredToken): E },
  ): Promise<E> {
    let entry: E;
    try {
      // Stored by another process between our read and our lock?
      const stored = await this.#read(storeKey);
      if (found(stored)) {
        void release().catch(() => undefined);
        return local.adopt(stored);
      }
      entry = await local.mint();
    } catch (error) {
      void release().catch(() => undefined);
      throw error;
    }
    // Stored before the requests waiting here go on, so a process that ends right after them (and closes
    // its store) has shared its token; a failed write only means the others mint for themselves.
    const ttl = local.usableForMs(entry);
    try {
      if (ttl > 0) await this.#cache.set(storeKey, await this.#seal(storeKey, entry), ttl);
    } catch {
      /* the store failed: this token stays this process's */
    }
    void Promise.resolve().then(release).catch(() => undefined);
    return entry;
  }

  /** Removes `token` from the store (a 401 showed it dead, or it was revoked), unless a newer one replaced it. */
  forget(key: string, installationId: number, token: string): void {
    this.#dead.set(key, token);
    void (async () => {
      const storeKey = await this.#storeKey(key, installationId);
      const stored = await this.#read(storeKey);
      if (stored !== FAILED && stored?.token === token) await this.#cache.delete(storeKey);
    })().catch(() => undefined);
  }
}

const FAILED = Symbol("store failed");

function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}
