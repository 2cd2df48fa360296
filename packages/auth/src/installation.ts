import type { KeyObject } from "./jwt-sign.js";
import { appSigner, retryAfterClockSkew, type AppJwtSigner } from "./app-jwt.js";
import { LruCache } from "./cache.js";
import { GhesAuthError, invalidOption } from "./errors.js";
import { defineStrategy, type Credential, type RequestContext } from "./middleware.js";
import { REDACTED, redact } from "./redact.js";
import type { AuthStrategy, Era, FetchFn } from "./types.js";
import { kindOf, knownKeys, optionalEra, optionsObject, positiveInteger } from "./validate.js";

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
}

export interface InstallationAuthStrategy extends AuthStrategy {
  /**
   * Revokes cached tokens with `DELETE /installation/token` and forgets them. With `baseUrl`, only the
   * token(s) minted against that API root; without, every token this strategy holds. Resolves to how many
   * were revoked. A 401 counts as revoked (the token was already dead).
   */
  revoke(options?: { baseUrl?: string }): Promise<number>;
}

export interface TokenEntry {
  readonly key: string;
  readonly token: string;
  readonly expiresAt: number;
  /** Local clock, for the replication-lag window. */
  readonly mintedAt: number;
  readonly baseUrl: string;
  readonly fetch: FetchFn;
  readonly era: Era | undefined;
}

interface MintContext {
  readonly baseUrl: string;
  readonly fetch: FetchFn;
  readonly era: Era | undefined;
  readonly userAgent: string | null;
}

export function eraHeaders(era: Era | undefined, method: string, schemaPath: string): Record<string, string> {
  return era ? { ...era.headersFor(method, schemaPath) } : { ...DEFAULT_HEADERS };
}

/** Reads and checks the scope options; returns the mint request body (or undefined for "everything"). */
export function readScope(strategy: string, options: Record<string, unknown>): Record<string, unknown> | undefined {
  const body: Record<string, unknown> = {};
  const { repositories, repositoryIds, permissions } = options;
  if (repositories !== undefined) {
    if (!Array.isArray(repositories) || repositories.length === 0 || !repositories.every((r) => typeof r === "string" && r !== "")) {
      throw invalidOption(strategy, "repositories", `must be a non-empty array of repository names, got ${kindOf(repositories)}`);
    }
    body["repositories"] = [...new Set(repositories as string[])].sort();
  }
  if (repositoryIds !== undefined) {
    if (!Array.isArray(repositoryIds) || repositoryIds.length === 0) {
      throw invalidOption(strategy, "repositoryIds", `must be a non-empty array of repository IDs, got ${kindOf(repositoryIds)}`);
    }
    const ids = repositoryIds.map((id) => positiveInteger(strategy, "repositoryIds", id));
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
    body["permissions"] = Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
  return Object.keys(body).length === 0 ? undefined : body;
}

export function cacheSizeOption(strategy: string, value: unknown): number {
  return value === undefined ? DEFAULT_CACHE_SIZE : positiveInteger(strategy, "cacheSize", value);
}

async function githubMessage(response: Response): Promise<string> {
  try {
    const text = await response.text();
    try {
      const message = (JSON.parse(text) as { message?: unknown }).message;
      if (typeof message === "string") return message;
    } catch {
      /* not JSON: use the text */
    }
    return text.slice(0, 200);
  } catch {
    return "";
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Mints, caches, shares and revokes the installation tokens of one app installation and scope. One source
 * backs a strategy and every middleware forEra() returns, so they share the cache and the in-flight mints.
 */
export class InstallationTokens {
  readonly installationId: number;
  readonly #signer: AppJwtSigner;
  readonly #body: string | undefined;
  readonly #scopeKey: string;
  readonly #cache: LruCache<string, TokenEntry>;
  /** Mints under way, so concurrent requests that miss the cache wait for one mint instead of each starting one. */
  readonly #minting = new Map<string, Promise<TokenEntry>>();

  /** `cache` lets many installations share one bounded cache (appInstallationsAuth); keys include the installation. */
  constructor(
    signer: AppJwtSigner,
    installationId: number,
    scope: Record<string, unknown> | undefined,
    cacheSize: number,
    cache?: LruCache<string, TokenEntry>,
  ) {
    this.#signer = signer;
    this.installationId = installationId;
    this.#body = scope ? JSON.stringify(scope) : undefined;
    this.#scopeKey = this.#body ?? "*";
    this.#cache = cache ?? new LruCache(cacheSize);
  }

  #key(baseUrl: string): string {
    return JSON.stringify([baseUrl, this.#signer.appId, this.installationId, this.#scopeKey]);
  }

  /** Still good for at least REFRESH_MARGIN_MS, measured on the server's clock as far as we know it. */
  #usable(entry: TokenEntry): boolean {
    return Date.now() + this.#signer.offsetSeconds * 1000 < entry.expiresAt - REFRESH_MARGIN_MS;
  }

  async get(ctx: MintContext): Promise<TokenEntry> {
    if (!ctx.baseUrl) {
      throw new GhesAuthError("NO_BASE_URL", "the client has no baseUrl, so there is nowhere to mint an installation token; create it with { baseUrl }");
    }
    const key = this.#key(ctx.baseUrl);
    const cached = this.#cache.get(key);
    if (cached && this.#usable(cached)) return cached;
    let minting = this.#minting.get(key);
    if (!minting) {
      minting = this.#mint(key, ctx).finally(() => this.#minting.delete(key));
      this.#minting.set(key, minting);
    }
    return minting;
  }

  /** Forgets a token, unless the cache already holds a newer one for that key. */
  drop(entry: TokenEntry): void {
    if (this.#cache.peek(entry.key) === entry) this.#cache.delete(entry.key);
  }

  async #mint(key: string, ctx: MintContext): Promise<TokenEntry> {
    const url = `${ctx.baseUrl}/app/installations/${this.installationId}/access_tokens`;
    const what = `minting an installation token for installation ${this.installationId} (POST ${url})`;
    // What the last attempt was signed with: the offset decides whether a clock-skew retry can help, and
    // the JWT is what to scrub from an error message the server may have echoed it into.
    let jwt = "";
    let offsetUsed = 0;
    const send = async (): Promise<Response> => {
      const headers = new Headers(eraHeaders(ctx.era, "POST", MINT_PATH));
      offsetUsed = this.#signer.offsetSeconds;
      jwt = await this.#signer.jwt();
      headers.set("Authorization", `Bearer ${jwt}`);
      if (ctx.userAgent && !headers.has("user-agent")) headers.set("User-Agent", ctx.userAgent);
      if (this.#body !== undefined) headers.set("Content-Type", "application/json");
      return ctx.fetch(new Request(url, { method: "POST", headers, body: this.#body ?? null }));
    };

    let response: Response;
    try {
      response = await send();
      // The mint itself is authenticated by the JWT, so it gets the same clock-skew correction.
      if (await retryAfterClockSkew(this.#signer, response, offsetUsed)) {
        await response.body?.cancel().catch(() => undefined);
        response = await send();
      }
    } catch (cause) {
      throw new GhesAuthError("MINT_FAILED", `${what} failed: the request did not complete`, { cause });
    }

    if (!response.ok) {
      const message = redact(await githubMessage(response), [jwt]);
      throw new GhesAuthError("MINT_FAILED", `${what} failed: ${response.status}${message ? ` ${message}` : ""}`, {
        status: response.status,
      });
    }
    let body: { token?: unknown; expires_at?: unknown };
    try {
      body = (await response.json()) as typeof body;
    } catch {
      throw new GhesAuthError("MINT_FAILED", `${what} answered ${response.status} with a body that is not JSON`, { status: response.status });
    }
    const expiresAt = typeof body.expires_at === "string" ? Date.parse(body.expires_at) : Number.NaN;
    if (typeof body.token !== "string" || body.token === "" || Number.isNaN(expiresAt)) {
      throw new GhesAuthError("MINT_FAILED", `${what} answered without a token and a valid expires_at`, { status: response.status });
    }
    const entry: TokenEntry = {
      key,
      token: body.token,
      expiresAt,
      mintedAt: Date.now(),
      baseUrl: ctx.baseUrl,
      fetch: ctx.fetch,
      era: ctx.era,
    };
    // A token that is already inside the refresh margin still serves the requests waiting for it, but is
    // not cached: the next request mints again.
    if (this.#usable(entry)) this.#cache.set(key, entry);
    return entry;
  }

  async revoke(baseUrl?: string): Promise<number> {
    const root = baseUrl?.replace(/\/+$/, "");
    const targets = this.#cache.entries().filter(([, entry]) => root === undefined || entry.baseUrl === root);
    // Forget first: a token being revoked must not be handed to a request that starts meanwhile.
    for (const [key] of targets) this.#cache.delete(key);
    let revoked = 0;
    for (const [, entry] of targets) {
      const url = `${entry.baseUrl}${REVOKE_PATH}`;
      const headers = new Headers(eraHeaders(entry.era, "DELETE", REVOKE_PATH));
      headers.set("Authorization", `token ${entry.token}`);
      let response: Response;
      try {
        response = await entry.fetch(new Request(url, { method: "DELETE", headers }));
      } catch (cause) {
        throw new GhesAuthError("REVOKE_FAILED", `revoking the installation token (DELETE ${url}) failed: the request did not complete`, { cause });
      }
      if (!response.ok && response.status !== 401) {
        const message = redact(await githubMessage(response), [entry.token]);
        throw new GhesAuthError("REVOKE_FAILED", `revoking the installation token (DELETE ${url}) failed: ${response.status}${message ? ` ${message}` : ""}`, {
          status: response.status,
        });
      }
      await response.body?.cancel().catch(() => undefined);
      revoked += 1;
    }
    return revoked;
  }
}

/** The installation-token credential: `Authorization: token <ghs_…>`, minted and cached on demand. */
export function installationCredential(tokens: InstallationTokens): Credential<TokenEntry> {
  const mintContext = (ctx: RequestContext): MintContext => ({
    baseUrl: ctx.baseUrl,
    fetch: ctx.fetch,
    era: ctx.era,
    userAgent: ctx.request.headers.get("user-agent"),
  });
  return {
    async apply(ctx) {
      const entry = await tokens.get(mintContext(ctx));
      // "token" rather than "Bearer": it is the scheme every GHES generation documents for installation tokens.
      ctx.request.headers.set("Authorization", `token ${entry.token}`);
      return entry;
    },
    async recover(ctx, entry) {
      const { request, response, schemaPath } = ctx;
      // The caller revoked the token through the client itself: forget it so the next request mints anew.
      if (request.method === "DELETE" && (schemaPath === REVOKE_PATH) && response.ok) {
        tokens.drop(entry);
        return undefined;
      }
      if (response.status !== 401) return undefined;
      if (Date.now() - entry.mintedAt <= FRESH_WINDOW_MS) {
        await sleep(REPLICATION_RETRY_DELAY_MS);
        return { Authorization: `token ${entry.token}` };
      }
      tokens.drop(entry);
      const fresh = await tokens.get(mintContext(ctx));
      return { Authorization: `token ${fresh.token}` };
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
  knownKeys(name, opts, ["appId", "privateKey", "installationId", "repositories", "repositoryIds", "permissions", "era", "cacheSize"]);
  const signer = appSigner(name, opts);
  if (opts["installationId"] === undefined) throw invalidOption(name, "installationId", "is required");
  const installationId = positiveInteger(name, "installationId", opts["installationId"]);
  const scope = readScope(name, opts);
  const era = optionalEra(name, opts["era"]);
  const tokens = new InstallationTokens(signer, installationId, scope, cacheSizeOption(name, opts["cacheSize"]));
  const credential = installationCredential(tokens);
  return defineStrategy(
    name,
    { appId: signer.appId, installationId, privateKey: REDACTED, ...(scope ? { scope } : {}) },
    () => () => credential,
    era,
    { revoke: (o?: { baseUrl?: string }) => tokens.revoke(o?.baseUrl) },
  );
}
