import type { KeyObject } from "./jwt-sign.js";
import { appSigner, jwtCredential, type AppJwtSigner } from "./app-jwt.js";
import { LruCache } from "./cache.js";
import { GhesAuthError, invalidOption } from "./errors.js";
import {
  cacheSizeOption,
  eraHeaders,
  httpFailure,
  installationCredential,
  InstallationTokens,
  ownError,
  type InstallationAuthStrategy,
  type OwnRequest,
  type TokenEntry,
} from "./installation.js";
import { checkTransport, defineStrategy, isThenable, originOf, type Credential, type RequestContext } from "./middleware.js";
import { REDACTED } from "./redact.js";
import { sharedCacheOption, type TokenCache } from "./shared-cache.js";
import type { Era } from "./types.js";
import { allowInsecureHttp, knownKeys, optionalEra, optionsObject, positiveInteger } from "./validate.js";

/** What the installation chooser sees of a request. */
export interface InstallationRequest {
  readonly method: string;
  /** The operation's path template, e.g. `/repos/{owner}/{repo}/hooks`. */
  readonly schemaPath: string;
  readonly url: string;
  /** The path parameters, read back from the URL by the template (decoded). */
  readonly pathParams: Readonly<Record<string, string>>;
}

/**
 * An installation ID; `{ owner, repo }` to look the installation up (`GET /repos/{owner}/{repo}/installation`,
 * cached); or `null`/`undefined` to authenticate the request as the App itself (App JWT), as `/app…` needs.
 */
export type InstallationChoice = number | string | { owner: string; repo: string } | null | undefined;

export interface AppInstallationsAuthOptions {
  appId: number | string;
  privateKey: string | KeyObject;
  /**
   * Which installation a request acts as. Default: the repository's installation for operations whose path
   * has `{owner}` and `{repo}`, the App JWT for everything else.
   */
  installationId?: (request: InstallationRequest) => InstallationChoice | Promise<InstallationChoice>;
  /** As for installationAuth: the era of a plain openapi-fetch client (era clients pass their own). */
  era?: Era;
  /** How many installation tokens (and as many repository → installation answers) are kept. Default 100. */
  cacheSize?: number;
  /** As for installationAuth: a cache shared by several processes (e.g. `redisCache()` from `@ghes-sdk/redis`). */
  cache?: TokenCache;
  /** Send the JWT and tokens over plain http:// to a host that is not loopback. Default false. */
  allowInsecureHttp?: boolean;
}

export const LOOKUP_PATH = "/repos/{owner}/{repo}/installation";
const LOOKUP_OPERATION_ID = "apps/get-repo-installation";

/** The default chooser: the repository's installation where the path names one, else the App. */
export const byRepository = ({ pathParams }: InstallationRequest): InstallationChoice =>
  pathParams["owner"] && pathParams["repo"] ? { owner: pathParams["owner"], repo: pathParams["repo"] } : undefined;

const templates = new Map<string, { pattern: RegExp; names: string[] }>();

/**
 * The path of an absolute URL as `new URL(url).pathname` gives it, read without parsing when the URL is
 * plain (no dot segments, backslashes or characters the parser would drop); otherwise parsed.
 */
function pathnameOf(url: string): string {
  const start = url.indexOf("://");
  const slash = start === -1 ? -1 : url.indexOf("/", start + 3);
  if (slash !== -1) {
    let end = url.length;
    const query = url.indexOf("?", slash);
    if (query !== -1) end = query;
    const hash = url.indexOf("#", slash);
    if (hash !== -1 && hash < end) end = hash;
    const path = url.slice(slash, end);
    const authority = url.slice(start + 3, slash);
    // What the parser would change: dot segments (also percent-encoded), backslashes, tab/CR/LF, spaces
    // and other characters it percent-encodes (decoded again below, but "%" sequences must match), and an
    // authority with credentials or odd characters.
    if (!/\/\.|%2e|[\\\t\n\r "<>`{}^|\u0080-\uffff]/i.test(path) && /^[\w.-]+(?::\d+)?$|^\[[\w:.]+\](?::\d+)?$/.test(authority)) return path;
  }
  return new URL(url).pathname;
}

/** Reads `{name}` values out of a URL's path by its template (the last match, so a base path does not matter). */
export function pathParamsOf(schemaPath: string, url: string): Record<string, string> {
  let compiled = templates.get(schemaPath);
  if (!compiled) {
    // Even indexes are literal text, odd ones parameter names (String.split keeps the capture group).
    const parts = schemaPath.split(/\{([^}]+)\}/);
    const source = parts.map((part, i) => (i % 2 ? "([^/]+)" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("");
    compiled = { pattern: new RegExp(`${source}$`), names: parts.filter((_, i) => i % 2) };
    if (templates.size < 512) templates.set(schemaPath, compiled);
  }
  if (compiled.names.length === 0) return {};
  const path = pathnameOf(url);
  const match = compiled.pattern.exec(path);
  const out: Record<string, string> = {};
  compiled.names.forEach((name, i) => {
    const raw = match?.[i + 1];
    if (raw !== undefined) out[name] = decodeURIComponent(raw);
  });
  return out;
}

interface State {
  readonly credential: Credential<any>;
  readonly state: unknown;
}

/**
 * One GitHub App serving any of its installations: each request is authenticated as the installation
 * `installationId(request)` picks (by default the repository's, looked up once), or as the App. All
 * installations share one JWT and one bounded token cache, and concurrent requests for an installation
 * wait for one mint. A waiting request holds only its own openapi-fetch state: the mint keeps just the base
 * URL, fetch, era and User-Agent, never the request.
 */
export function appInstallationsAuth(options: AppInstallationsAuthOptions): InstallationAuthStrategy {
  const name = "appInstallationsAuth";
  const opts = optionsObject(name, options);
  knownKeys(name, opts, ["appId", "privateKey", "installationId", "era", "cacheSize", "cache", "allowInsecureHttp"]);
  const policy = allowInsecureHttp(name, opts);
  const signer = appSigner(name, opts);
  const choose = opts["installationId"] ?? byRepository;
  if (typeof choose !== "function") {
    throw invalidOption(name, "installationId", "must be a function (request) => installation ID, { owner, repo } or undefined");
  }
  const era = optionalEra(name, opts["era"]);
  const cacheSize = cacheSizeOption(name, opts["cacheSize"]);
  const shared = sharedCacheOption(name, opts);
  const tokens = new LruCache<string, TokenEntry>(cacheSize);
  const installations = new LruCache<number, { tokens: InstallationTokens; credential: Credential<TokenEntry> }>(cacheSize);
  const lookups = new RepositoryLookups(signer, cacheSize);

  const installation = (id: number) => {
    let entry = installations.get(id);
    if (!entry) {
      const source = new InstallationTokens(signer, id, undefined, cacheSize, tokens, shared);
      entry = { tokens: source, credential: installationCredential(source) };
      installations.set(id, entry);
    }
    return entry;
  };

  // The App itself: the same JWT credential as appAuth (clock-skew correction included).
  const jwt = jwtCredential(signer);

  /** The chosen credential applied; at once when it applies at once (a cached token, the JWT when signed). */
  const applyWith = (ctx: RequestContext, chosen: Credential<any>): State | Promise<State> => {
    const state = chosen.apply(ctx);
    return isThenable(state) ? Promise.resolve(state).then((s) => ({ credential: chosen, state: s })) : { credential: chosen, state };
  };
  const applyChoice = (ctx: RequestContext, choice: InstallationChoice): State | Promise<State> => {
    if (choice === null || choice === undefined) return applyWith(ctx, jwt);
    const id = typeof choice === "object" ? lookups.get(ctx, choice, policy) : installationIdOf(name, choice);
    return typeof id === "number" ? applyWith(ctx, installation(id).credential) : id.then((found) => applyWith(ctx, installation(found).credential));
  };

  const chooseFor = (ctx: RequestContext): InstallationChoice | Promise<InstallationChoice> => {
    const { request, schemaPath } = ctx;
    return (choose as NonNullable<AppInstallationsAuthOptions["installationId"]>)({
      method: request.method,
      schemaPath,
      url: request.url,
      pathParams: pathParamsOf(schemaPath, request.url),
    }) as InstallationChoice | Promise<InstallationChoice>;
  };
  // A request whose installation is known and whose token is cached is authenticated without a promise.
  const credential: Credential<State> = {
    apply(ctx) {
      const choice = chooseFor(ctx);
      return isThenable(choice) ? Promise.resolve(choice).then((c) => applyChoice(ctx, c)) : applyChoice(ctx, choice as InstallationChoice);
    },
    recover(ctx, saved) {
      return saved.credential.recover ? saved.credential.recover(ctx, saved.state) : undefined;
    },
  };

  const extras = {
    /** Revokes the tokens of every installation this strategy still knows (see installationAuth's revoke). */
    async revoke(o?: { baseUrl?: string; signal?: AbortSignal }): Promise<number> {
      let revoked = 0;
      for (const [, entry] of installations.entries()) revoked += await entry.tokens.revoke(o?.baseUrl, o?.signal);
      return revoked;
    },
  };
  return defineStrategy(name, {
    description: { appId: signer.appId, privateKey: REDACTED },
    build: () => () => credential,
    defaultEra: era,
    extras,
    policy,
  });
}

function installationIdOf(strategy: string, value: unknown): number {
  try {
    return positiveInteger(strategy, "installationId", value);
  } catch {
    throw new GhesAuthError("NO_INSTALLATION", `${strategy}: installationId(request) must give a positive integer, { owner, repo } or undefined`);
  }
}

/** `GET /repos/{owner}/{repo}/installation`, cached per API root and repository, one lookup in flight each. */
class RepositoryLookups {
  readonly #signer: AppJwtSigner;
  readonly #cache: LruCache<string, number>;
  readonly #inFlight = new Map<string, Promise<number>>();

  constructor(signer: AppJwtSigner, size: number) {
    this.#signer = signer;
    this.#cache = new LruCache(size);
  }

  get(ctx: RequestContext, repo: { owner: string; repo: string }, policy: { allowInsecureHttp: boolean }): Promise<number> | number {
    if (typeof repo.owner !== "string" || typeof repo.repo !== "string" || !repo.owner || !repo.repo) {
      throw new GhesAuthError("NO_INSTALLATION", "appInstallationsAuth: installationId(request) gave an { owner, repo } without both names");
    }
    const key = JSON.stringify([ctx.baseUrl, repo.owner.toLowerCase(), repo.repo.toLowerCase()]);
    const cached = this.#cache.get(key);
    if (cached !== undefined) return cached;
    let pending = this.#inFlight.get(key);
    if (!pending) {
      // Only what the lookup needs is captured, not the request that asked.
      const { baseUrl, fetch, era } = ctx;
      const userAgent = ctx.request.headers.get("user-agent");
      checkTransport("appInstallationsAuth", baseUrl, policy);
      pending = this.#lookup(baseUrl, fetch, era, userAgent, repo)
        .then((id) => {
          this.#cache.set(key, id);
          return id;
        })
        .finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, pending);
    }
    return pending;
  }

  async #lookup(
    baseUrl: string,
    fetch: RequestContext["fetch"],
    era: Era | undefined,
    userAgent: string | null,
    { owner, repo }: { owner: string; repo: string },
  ): Promise<number> {
    const url = `${baseUrl}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/installation`;
    const own: OwnRequest = { method: "GET", url, operationId: LOOKUP_OPERATION_ID, what: `looking up the installation of ${owner}/${repo}` };
    const headers = new Headers(eraHeaders(era, "GET", LOOKUP_PATH));
    const jwt = await this.#signer.jwt(originOf(baseUrl));
    headers.set("Authorization", `Bearer ${jwt}`);
    if (userAgent) headers.set("User-Agent", userAgent);
    let response: Response;
    try {
      response = await fetch(new Request(url, { method: "GET", headers }));
    } catch (cause) {
      throw ownError(own, "NETWORK", "did not complete", { cause });
    }
    // A 404 here means the App is not installed on that repository.
    if (!response.ok) throw await httpFailure(own, response, [jwt]);
    const body = (await response.json().catch(() => null)) as { id?: unknown } | null;
    if (typeof body?.id !== "number" || !Number.isSafeInteger(body.id) || body.id < 1) {
      throw ownError(own, "INVALID_BODY", "answered without an installation id", { response });
    }
    return body.id;
  }
}
