import type { KeyObject } from "./jwt-sign.js";
import { GhesRequestError } from "@ghes-sdk/core";
import { abortError, endedBy, raceSignal, SharedWork, sleep, type Until, type Waiting } from "./abort.js";
import { appSigner, retryAfterClockSkew, type AppJwtSigner } from "./app-jwt.js";
import { LruCache } from "./cache.js";
import { GhesAuthError, invalidOption, PACKAGE } from "./errors.js";
import { defineStrategy, originOf, sameOrigin, waitingFor, type Credential, type RequestContext } from "./middleware.js";
import { discard, readCapped, REDACTED } from "./redact.js";
import { sharedCacheOption, type SharedTokens, type StoredToken, type TokenCache } from "./shared-cache.js";
import type { AuthStrategy, Era, FetchFn } from "./types.js";
import { allowInsecureHttp, kindOf, knownKeys, optionalEra, optionsObject, positiveInteger } from "./validate.js";

export const MINT_PATH = "/app/installations/{installation_id}/access_tokens";
export const REVOKE_PATH = "/installation/token";

/** What a strategy sends when no era told it better: the media type every GHES generation accepts. */
export const DEFAULT_HEADERS: Readonly<Record<string, string>> = Object.freeze({ Accept: "application/vnd.github+json" });

/** Installation tokens live an hour; one is replaced this long before `expires_at`, never used up to the edge. */
const REFRESH_MARGIN_MS = 5 * 60_000;
/**
 * GitHub documents that a token just minted may not have reached every replica yet, so the first requests
 * with it can get 401. A 401 this soon after minting is retried with the same token after a short pause;
 * a 401 later than that means the token is no longer good (revoked elsewhere), so a new one is minted.
 */
const FRESH_WINDOW_MS = 5_000;
const REPLICATION_RETRY_DELAY_MS = 500;
const DEFAULT_CACHE_SIZE = 100;

export interface InstallationScope {
  /** Repository names the token is limited to (GHES 3.x and later). */
  repositories?: string[];
  /** Repository IDs the token is limited to. */
  repositoryIds?: number[];
  /** Permissions the token is limited to, e.g. `{ contents: "read" }`. */
  permissions?: Record<string, string>;
}

export interface InstallationAuthOptions extends InstallationScope {
  appId: number | string;
  privateKey: string | KeyObject;
  /** The installation to act as (a string of digits is accepted). */
  installationId: number | string;
  /**
   * The era whose headers the mint and revoke requests use when this strategy is given to a plain
   * openapi-fetch client. Era clients pass their own (forEra) and this is ignored there. Without either,
   * `Accept: application/vnd.github+json` is sent — enough for GHES 3.x and later, not for 2.2x, whose
   * mint endpoint requires the machine-man preview.
   */
  era?: Era;
  /** How many tokens (per base URL + app + installation + scope) are kept. Default 100. */
  cacheSize?: number;
  /** A cache shared by several processes (e.g. `redisCache()` from `@ghes-sdk/redis`): one mint per installation across them. */
  cache?: TokenCache;
  /** Send the JWT and tokens over plain http:// to a host that is not loopback. Default false; see "Security". */
  allowInsecureHttp?: boolean;
}

export interface InstallationAuthStrategy extends AuthStrategy {
  /**
   * Revokes cached tokens with `DELETE /installation/token` and forgets them. With `baseUrl`, only the
   * token(s) minted against that API root; without, every token this strategy holds. Resolves to how many
   * were revoked. A 401 counts as revoked (the token was already dead). Waits for a mint under way and
   * revokes its token too. Every DELETE is attempted; tokens whose DELETE failed stay cached, and the
   * failures are thrown together as one REVOKE_FAILED error (with `errors` when there are several).
   * `signal` ends the wait (ABORTED/TIMEOUT).
   */
  revoke(options?: { baseUrl?: string; signal?: AbortSignal }): Promise<number>;
}

export interface TokenEntry {
  readonly key: string;
  readonly token: string;
  readonly expiresAt: number;
  /** Local clock, for the replication-lag window. */
  readonly mintedAt: number;
  readonly baseUrl: string;
  readonly origin: string;
  readonly fetch: FetchFn;
  readonly era: Era | undefined;
  /** The User-Agent the mint went out with; revoke() sends the same. */
  readonly userAgent: string;
}

interface MintContext {
  readonly baseUrl: string;
  readonly fetch: FetchFn;
  readonly era: Era | undefined;
  readonly userAgent: string | null;
  /** What ends the request the token is for. */
  readonly until: Until;
  /** The request the token is for: its method and URL name it in an abort or timeout error. */
  readonly method: string;
  readonly url: string;
}

export function eraHeaders(era: Era | undefined, method: string, schemaPath: string): Record<string, string> {
  return era ? { ...era.headersFor(method, schemaPath) } : { ...DEFAULT_HEADERS };
}

/** Reads and checks the scope options; returns the mint request body (or undefined for "everything"). */
export function readScope(strategy: string, options: Record<string, unknown>): Record<string, unknown> | undefined {
  const body: Record<string, unknown> = {};
  const { repositories, repositoryIds, permissions } = options;
  const nonEmptyArray = (option: string, value: unknown, of: string, valid: (item: unknown) => boolean = () => true): unknown[] => {
    if (!Array.isArray(value) || value.length === 0 || !value.every(valid)) {
      throw invalidOption(strategy, option, `must be a non-empty array of ${of}, got ${kindOf(value)}`);
    }
    return value;
  };
  if (repositories !== undefined) {
    const names = nonEmptyArray("repositories", repositories, "repository names", (r) => typeof r === "string" && r !== "");
    body["repositories"] = [...new Set(names as string[])].sort();
  }
  if (repositoryIds !== undefined) {
    const ids = nonEmptyArray("repositoryIds", repositoryIds, "repository IDs").map((id) => positiveInteger(strategy, "repositoryIds", id));
    body["repository_ids"] = [...new Set(ids)].sort((a, b) => a - b);
  }
  if (permissions !== undefined) {
    if (permissions === null || typeof permissions !== "object" || Array.isArray(permissions)) {
      throw invalidOption(strategy, "permissions", `must be an object such as { contents: "read" }, got ${kindOf(permissions)}`);
    }
    const entries = Object.entries(permissions as Record<string, unknown>);
    if (entries.length === 0 || !entries.every(([, level]) => typeof level === "string" && level !== "")) {
      throw invalidOption(strategy, "permissions", 'must map permission names to levels such as "read" or "write"');
    }
    // Sorted so two spellings of the same scope share one cache entry.
    body["permissions"] = Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1))); // keys are unique
  }
  return Object.keys(body).length === 0 ? undefined : body;
}

export function cacheSizeOption(strategy: string, value: unknown): number {
  return value === undefined ? DEFAULT_CACHE_SIZE : positiveInteger(strategy, "cacheSize", value);
}

/** The User-Agent auth's own requests carry when the client's request had none (a plain openapi-fetch client). */
export const SDK_USER_AGENT = "@ghes-sdk/auth/0.1.0";

/**
 * What GitHub's tokens look like, and all a header value built from one may contain (issue 9, finding 6):
 * base64/base64url and token punctuation, 8 to 1024 characters. A minted "token" outside that is not
 * cached or sent: it would fail later, in a header, with an error that repeats it.
 */
const TOKEN_SHAPE = /^[\w.~+/=-]{8,1024}$/;

/** After a failed mint, no new mint for this long (doubling per failure in a row, up to the maximum). */
const MINT_BACKOFF_MS = 1_000;
const MINT_BACKOFF_MAX_MS = 60_000;

/** GitHub's operationIds for the two requests auth sends itself, carried by their errors. */
export const MINT_OPERATION_ID = "apps/create-installation-access-token";
export const REVOKE_OPERATION_ID = "apps/revoke-installation-access-token";

/** A request auth sends itself; `what` ("minting an installation token for installation 77") ends its errors. */
export interface OwnRequest extends Waiting {
  readonly operationId: string;
}

/**
 * The error for a request auth sent itself (mint, revoke) that got an HTTP error: a GhesRequestError with
 * status, method, URL, GitHub's request id, documentation URL and message — the body read only up to a
 * cap, its text redacted (the credential sent included) before it is cut and cleaned.
 */
export async function httpFailure(own: OwnRequest, response: Response, secrets: ReadonlyArray<string | undefined>): Promise<GhesRequestError> {
  const text = await readCapped(response);
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON: GhesRequestError shows the start of the text */
  }
  return ownError(own, "HTTP_ERROR", `failed with ${response.status}`, { response, body, secrets });
}

/** A GhesRequestError naming one of auth's own requests; `detail` is followed by " while <what>". */
export function ownError(
  own: OwnRequest,
  code: "INVALID_BODY" | "NETWORK" | "HTTP_ERROR",
  detail: string,
  extra: { response?: Response; cause?: unknown; body?: unknown; secrets?: ReadonlyArray<string | undefined> } = {},
): GhesRequestError {
  const { method, url, operationId } = own;
  return new GhesRequestError({ code, packageName: PACKAGE, method, url, operationId, detail: `${detail} while ${own.what}`, ...extra });
}

/**
 * Sends one of auth's own requests. A failure to send becomes NETWORK (ABORTED/TIMEOUT when `signal`
 * fired), and an answer from another origin than the API's (a redirect) is refused, unread.
 */
async function sendOwn(own: OwnRequest, origin: string, signal: AbortSignal | null, send: () => Promise<Response>): Promise<Response> {
  let response: Response;
  try {
    response = await send();
  } catch (cause) {
    if (signal?.aborted) throw abortError(signal.reason, own);
    if (cause instanceof GhesRequestError) throw cause;
    throw ownError(own, "NETWORK", "failed: the request did not complete", { cause });
  }
  if (!sameOrigin(response, origin)) {
    await discard(response);
    throw ownError(own, "HTTP_ERROR", `was redirected to another origin (${originOf(response.url)}), whose answer is not used`, { response });
  }
  return response;
}

/** The era's headers for one of auth's own requests, with its Authorization and (unless the era set one) User-Agent. */
function ownHeaders(era: Era | undefined, method: string, schemaPath: string, authorization: string, userAgent: string): Headers {
  const headers = new Headers(eraHeaders(era, method, schemaPath));
  headers.set("Authorization", authorization);
  if (!headers.has("user-agent")) headers.set("User-Agent", userAgent);
  return headers;
}

/**
 * Mints, caches, shares and revokes the installation tokens of one app installation and scope. One source
 * backs a strategy and every middleware forEra() returns, so they share the cache and the in-flight mints.
 */
export class InstallationTokens {
  readonly installationId: number;
  readonly #signer: AppJwtSigner;
  readonly #body: string | undefined;
  readonly #cache: LruCache<string, TokenEntry>;
  /** Mints under way, so concurrent requests that miss the cache wait for one mint instead of each starting one. */
  readonly #minting = new Map<string, { baseUrl: string; work: SharedWork<TokenEntry> }>();
  /** The last failed mint per key: its error is shared until `until`, and `streak` doubles the pause. */
  readonly #failures: LruCache<string, { error: unknown; until: number; streak: number }>;
  /** What a request waiting for this installation's token waits for (in its abort or timeout error). */
  readonly #waitingFor: string;
  /** The cache other processes share (the `cache` option), behind this process's own. */
  readonly #shared: SharedTokens | undefined;

  /** `cache` lets many installations share one bounded cache (appInstallationsAuth); keys include the installation. */
  constructor(
    signer: AppJwtSigner,
    installationId: number,
    scope: Record<string, unknown> | undefined,
    cacheSize: number,
    cache?: LruCache<string, TokenEntry>,
    shared?: SharedTokens,
  ) {
    this.#shared = shared;
    this.#signer = signer;
    this.installationId = installationId;
    this.#waitingFor = `waiting for the installation token of installation ${installationId}`;
    this.#body = scope ? JSON.stringify(scope) : undefined;
    this.#cache = cache ?? new LruCache(cacheSize);
    this.#failures = new LruCache(cacheSize);
  }

  // The last base URL's key: a client's base URL rarely changes, and the key is asked for on every request.
  #lastBaseUrl: string | undefined;
  #lastKey = "";

  #key(baseUrl: string): string {
    if (baseUrl !== this.#lastBaseUrl) {
      this.#lastKey = JSON.stringify([baseUrl, this.#signer.appId, this.installationId, this.#body ?? "*"]);
      this.#lastBaseUrl = baseUrl;
    }
    return this.#lastKey;
  }

  /** Still good for at least REFRESH_MARGIN_MS, measured on the server's clock as far as we know it. */
  #usable(entry: TokenEntry): boolean {
    return this.#usableForMs(entry, entry.origin) > 0;
  }

  #usableForMs(token: StoredToken, origin: string): number {
    return token.expiresAt - REFRESH_MARGIN_MS - (Date.now() + this.#signer.offsetSeconds(origin) * 1000);
  }

  /** The cached token for a base URL when it is still usable: no promise, nothing read from the request. */
  usable(baseUrl: string): TokenEntry | undefined {
    if (!baseUrl) return undefined;
    const cached = this.#cache.get(this.#key(baseUrl));
    return cached && this.#usable(cached) ? cached : undefined;
  }

  /**
   * The token for the client's base URL: cached, or from the mint under way (joined with the caller's
   * signal: an aborted caller leaves at once and the mint goes on for the others), or from a new mint.
   * Within the back-off after a failed mint, that failure is thrown again instead of minting.
   */
  get(ctx: MintContext): Promise<TokenEntry> {
    if (!ctx.baseUrl) {
      return Promise.reject(
        new GhesAuthError("NO_BASE_URL", "the client has no baseUrl, so there is nowhere to mint an installation token; create it with { baseUrl }"),
      );
    }
    // Not an async function, and one small object per waiter: a request waiting behind a mint keeps
    // little more than its place in the shared wait.
    const waiting: Waiting = { method: ctx.method, url: ctx.url, what: this.#waitingFor };
    const ended = endedBy(ctx.until);
    if (ended !== undefined) return Promise.reject(abortError(ended, waiting));
    const cached = this.usable(ctx.baseUrl);
    if (cached) return Promise.resolve(cached);
    const key = this.#key(ctx.baseUrl);
    const failure = this.#failures.peek(key);
    if (failure && Date.now() < failure.until) return Promise.reject(failure.error);
    let minting = this.#minting.get(key);
    // A mint every caller walked away from was told to stop; start afresh rather than join it.
    if (!minting || minting.work.abandoned) {
      const work: SharedWork<TokenEntry> = new SharedWork((signal) => this.#obtain(key, ctx, signal));
      minting = { baseUrl: ctx.baseUrl, work };
      this.#minting.set(key, minting);
      work.promise.then(
        () => this.#failures.delete(key),
        (error: unknown) => {
          if (work.abandoned) return;
          const streak = (this.#failures.peek(key)?.streak ?? 0) + 1;
          const pause = Math.min(MINT_BACKOFF_MS * 2 ** (streak - 1), MINT_BACKOFF_MAX_MS);
          this.#failures.set(key, { error, until: Date.now() + pause, streak });
        },
      ).finally(() => {
        if (this.#minting.get(key)?.work === work) this.#minting.delete(key);
      });
    }
    return minting.work.join(ctx.until, waiting);
  }

  /** Forgets a token, unless the cache already holds a newer one for that key. */
  drop(entry: TokenEntry): void {
    if (this.#cache.peek(entry.key) === entry) this.#cache.delete(entry.key);
    this.#shared?.forget(entry.key, this.installationId, entry.token);
  }

  /** With a shared cache: the token another process stored, or a mint of ours stored for the others. */
  #obtain(key: string, ctx: MintContext, signal: AbortSignal): Promise<TokenEntry> {
    if (!this.#shared) return this.#mint(key, ctx, signal);
    const origin = originOf(ctx.baseUrl);
    return this.#shared.obtain(key, this.installationId, signal, { method: ctx.method, url: ctx.url, what: this.#waitingFor }, {
      usableForMs: (token) => this.#usableForMs(token, origin),
      mint: () => this.#mint(key, ctx, signal),
      adopt: (token) => this.#entry(key, ctx, token.token, token.expiresAt, token.mintedAt),
    });
  }

  async #mint(key: string, ctx: MintContext, signal: AbortSignal): Promise<TokenEntry> {
    const url = `${ctx.baseUrl}/app/installations/${this.installationId}/access_tokens`;
    const own: OwnRequest = { method: "POST", url, operationId: MINT_OPERATION_ID, what: `minting an installation token for installation ${this.installationId}` };
    const origin = originOf(ctx.baseUrl);
    const userAgent = ctx.userAgent ?? SDK_USER_AGENT;
    // What the last attempt was signed with: the offset decides whether a clock-skew retry can help, and
    // the JWT is what to scrub from an error message the server may have echoed it into.
    let jwt = "";
    let offsetUsed = 0;
    const send = async (): Promise<Response> => {
      offsetUsed = this.#signer.offsetSeconds(origin);
      jwt = await this.#signer.jwt(origin);
      const headers = ownHeaders(ctx.era, "POST", MINT_PATH, `Bearer ${jwt}`, userAgent);
      if (this.#body !== undefined) headers.set("Content-Type", "application/json");
      return ctx.fetch(new Request(url, { method: "POST", headers, body: this.#body ?? null, signal }));
    };
    const response = await sendOwn(own, origin, signal, async () => {
      const first = await send();
      // The mint itself is authenticated by the JWT, so it gets the same clock-skew correction — but only
      // from the API's own answer, never from a redirect target's.
      if (!sameOrigin(first, origin) || !(await retryAfterClockSkew(this.#signer, origin, first, offsetUsed, signal, own))) return first;
      await discard(first);
      return send();
    });
    if (!response.ok) throw await httpFailure(own, response, [jwt]);
    let body: { token?: unknown; expires_at?: unknown } | null;
    try {
      // Capped like an error body: a huge or endless 2xx body ends here as "not JSON", not in memory.
      body = JSON.parse(await raceSignal(readCapped(response), signal, own)) as typeof body;
    } catch (error) {
      if (signal.aborted) throw abortError(signal.reason, own);
      throw ownError(own, "INVALID_BODY", `answered ${response.status} with a body that is not JSON`, { response, cause: error });
    }
    const expiresAt = typeof body?.expires_at === "string" ? Date.parse(body.expires_at) : Number.NaN;
    if (typeof body?.token !== "string" || body.token === "" || Number.isNaN(expiresAt)) {
      throw ownError(own, "INVALID_BODY", `answered ${response.status} without a token and a valid expires_at`, { response });
    }
    if (!TOKEN_SHAPE.test(body.token)) {
      // The value is never shown: it may be a real token with one bad character in it.
      throw ownError(
        own,
        "INVALID_BODY",
        `answered ${response.status} with a token that is not shaped like one (8 to 1024 letters, digits or _.~+/=-), so it was not used`,
        { response },
      );
    }
    return this.#entry(key, ctx, body.token, expiresAt, Date.now());
  }

  #entry(key: string, ctx: MintContext, token: string, expiresAt: number, mintedAt: number): TokenEntry {
    const userAgent = ctx.userAgent ?? SDK_USER_AGENT;
    const origin = originOf(ctx.baseUrl);
    const entry: TokenEntry = {
      key,
      token,
      expiresAt,
      mintedAt,
      baseUrl: ctx.baseUrl,
      origin,
      fetch: ctx.fetch,
      era: ctx.era,
      userAgent,
    };
    // A token that is already inside the refresh margin still serves the requests waiting for it, but is
    // not cached: the next request mints again.
    if (this.#usable(entry)) this.#cache.set(key, entry);
    return entry;
  }

  /**
   * Revokes the cached tokens (of one base URL, or all) with DELETE /installation/token. Waits for mints
   * under way first, so a token being minted is revoked too. Every DELETE is attempted; the tokens whose
   * DELETE failed stay cached (they are still live), and the failures are thrown together once all are done.
   */
  async revoke(baseUrl?: string, signal?: AbortSignal | null): Promise<number> {
    const root = baseUrl?.replace(/\/+$/, "");
    const chosen = (of: { baseUrl: string }) => root === undefined || of.baseUrl === root;
    const inFlight = [...this.#minting.values()]
      .filter(chosen)
      .map((m) => m.work.promise.catch(() => undefined));
    const waiting: Waiting = {
      method: "DELETE",
      url: `${root ?? "(every base URL)"}${REVOKE_PATH}`,
      what: "waiting for an installation token being minted, to revoke it",
    };
    await raceSignal(Promise.all(inFlight), signal, waiting);
    const targets = this.#cache.entries().filter(([, entry]) => chosen(entry));
    // Forget first: a token being revoked must not be handed to a request that starts meanwhile.
    for (const [key, entry] of targets) {
      this.#cache.delete(key);
      this.#shared?.forget(key, this.installationId, entry.token);
    }
    const results = await Promise.allSettled(targets.map(([, entry]) => this.#revokeOne(entry, signal ?? null)));
    const failures: GhesRequestError[] = [];
    results.forEach((result, i) => {
      if (result.status === "fulfilled") return;
      const entry = targets[i]![1];
      // Still live as far as we know: keep it (unless a newer token took its place meanwhile).
      if (this.#cache.peek(entry.key) === undefined && this.#usable(entry)) this.#cache.set(entry.key, entry);
      const url = `${entry.baseUrl}${REVOKE_PATH}`;
      failures.push(
        result.reason instanceof GhesRequestError
          ? result.reason
          : new GhesRequestError({ code: "NETWORK", packageName: PACKAGE, method: "DELETE", url, detail: "failed", cause: result.reason }),
      );
    });
    if (failures.length > 0) {
      throw new GhesAuthError(
        "REVOKE_FAILED",
        `revoke(): ${failures.length} of ${targets.length} installation token(s) could not be revoked and stay cached: ${failures
          .map((f) => f.message.replace(/^@ghes-sdk\/[\w.-]+: /, ""))
          .join("; ")}`,
        { errors: failures },
      );
    }
    return targets.length;
  }

  async #revokeOne(entry: TokenEntry, signal: AbortSignal | null): Promise<void> {
    const url = `${entry.baseUrl}${REVOKE_PATH}`;
    const own: OwnRequest = { method: "DELETE", url, operationId: REVOKE_OPERATION_ID, what: "revoking an installation token" };
    const headers = ownHeaders(entry.era, "DELETE", REVOKE_PATH, `token ${entry.token}`, entry.userAgent);
    const response = await sendOwn(own, entry.origin, signal, () => entry.fetch(new Request(url, { method: "DELETE", headers, signal })));
    // A 401 from the API itself: the token was already dead, which is what revoking wanted.
    if (!response.ok && response.status !== 401) throw await httpFailure(own, response, [entry.token]);
    await discard(response);
  }
}

/** The installation-token credential: `Authorization: token <ghs_…>`, minted and cached on demand. */
export function installationCredential(tokens: InstallationTokens): Credential<TokenEntry> {
  const mintContext = (ctx: RequestContext): MintContext => ({
    baseUrl: ctx.baseUrl,
    fetch: ctx.fetch,
    era: ctx.era,
    userAgent: ctx.request.headers.get("user-agent"),
    until: ctx.until,
    method: ctx.request.method,
    url: ctx.request.url,
  });
  /** After a 401: the same token after a pause if it is brand new (replication lag), else a new one. */
  const afresh = async (ctx: RequestContext, entry: TokenEntry): Promise<Record<string, string>> => {
    if (Date.now() - entry.mintedAt <= FRESH_WINDOW_MS) {
      await sleep(REPLICATION_RETRY_DELAY_MS, ctx.until, waitingFor(ctx, "pausing before retrying a 401 right after minting"));
      return { Authorization: `token ${entry.token}` };
    }
    tokens.drop(entry);
    const fresh = await tokens.get(mintContext(ctx));
    return { Authorization: `token ${fresh.token}` };
  };
  return {
    apply(ctx) {
      // "token" rather than "Bearer": it is the scheme every GHES generation documents for installation tokens.
      const use = (entry: TokenEntry) => {
        ctx.request.headers.set("Authorization", `token ${entry.token}`);
        return entry;
      };
      // A cached token is applied at once: no mint context, no wait, and the request's signal is not asked for.
      const cached = tokens.usable(ctx.baseUrl);
      return cached ? use(cached) : tokens.get(mintContext(ctx)).then(use);
    },
    // Answers at once (no promise) for every response but a 401: most need nothing from it.
    recover(ctx, entry) {
      const { request, response, schemaPath } = ctx;
      // The caller revoked the token through the client itself: forget it so the next request mints anew.
      if (request.method === "DELETE" && schemaPath === REVOKE_PATH && response.ok) {
        tokens.drop(entry);
        return undefined;
      }
      if (response.status !== 401) return undefined;
      return afresh(ctx, entry);
    },
  };
}

/**
 * Authenticates as an app installation (`Authorization: token <ghs_…>`). The token is minted with
 * `POST {baseUrl}/app/installations/{installation_id}/access_tokens` (App JWT, the era's headers) against
 * the base URL of whichever client the request came through, cached until 5 minutes before it expires,
 * and shared: concurrent requests wait for one mint.
 */
export function installationAuth(options: InstallationAuthOptions): InstallationAuthStrategy {
  const name = "installationAuth";
  const opts = optionsObject(name, options);
  knownKeys(name, opts, [
    "appId", "privateKey", "installationId", "repositories", "repositoryIds", "permissions", "era", "cacheSize", "cache", "allowInsecureHttp",
  ]);
  const signer = appSigner(name, opts);
  const shared = sharedCacheOption(name, opts);
  if (opts["installationId"] === undefined) throw invalidOption(name, "installationId", "is required");
  const installationId = positiveInteger(name, "installationId", opts["installationId"]);
  const scope = readScope(name, opts);
  const era = optionalEra(name, opts["era"]);
  const tokens = new InstallationTokens(signer, installationId, scope, cacheSizeOption(name, opts["cacheSize"]), undefined, shared);
  const credential = installationCredential(tokens);
  return defineStrategy(name, {
    description: { appId: signer.appId, installationId, privateKey: REDACTED, ...(scope ? { scope } : {}) },
    build: () => () => credential,
    defaultEra: era,
    extras: { revoke: (o?: { baseUrl?: string; signal?: AbortSignal }) => tokens.revoke(o?.baseUrl, o?.signal) },
    policy: allowInsecureHttp(name, opts),
  });
}
