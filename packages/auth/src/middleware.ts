import type { MiddlewareCallbackParams } from "openapi-fetch";
import { GhesRequestError, redactUrl } from "@ghes-sdk/core";
import { abortError, endedBy, throwIfAborted, type Until, type Waiting } from "./abort.js";
import { GhesAuthError } from "./errors.js";
import { describeAs } from "./redact.js";
import type { AuthMiddleware, AuthStrategy, Era, FetchFn } from "./types.js";
import { eraValue } from "./validate.js";

/** What a credential sees of a request. `baseUrl` and `fetch` are the intercepting client's. */
export interface RequestContext {
  readonly request: Request;
  readonly schemaPath: string;
  readonly baseUrl: string;
  readonly fetch: FetchFn;
  readonly era: Era | undefined;
  /** What ends the request (its AbortSignal): every wait on its behalf ends when it fires. */
  readonly until: Until;
  /** The origin of the API (the client's baseUrl): the only origin whose answers a credential reacts to. */
  readonly apiOrigin: string;
}

export interface ResponseContext extends RequestContext {
  readonly response: Response;
}

/**
 * One way of authenticating, independent of openapi-fetch. `apply` puts the credential on the request and
 * returns whatever `recover` will need to know about it (the token used, the OTP sent). `recover` looks at
 * the response and either returns headers to retry the request with, once, or nothing. It is only asked
 * about responses from the API's own origin (see sameOrigin), and must end its waits when ctx.until fires.
 */
export interface Credential<S = unknown> {
  apply(ctx: RequestContext): S | Promise<S>;
  /** May answer at once (undefined, without a promise) when the response needs nothing from it. */
  recover?(ctx: ResponseContext, state: S): Promise<Record<string, string> | undefined> | undefined;
  /**
   * Headers this credential sends that fetch does not itself drop on a cross-origin redirect (fetch drops
   * Authorization, not X-GitHub-OTP). A request carrying one is sent with `redirect: "manual"` and its
   * redirects are followed here, without those headers once the origin changes.
   */
  readonly crossOriginHeaders?: readonly string[];
}

/** Picks the credential for a request; null leaves the request alone. May throw (appRouteAuth does). */
export type CredentialSelector = (ctx: RequestContext) => Credential<any> | null;

/** Options every strategy takes. */
export interface TransportPolicy {
  /**
   * Send credentials over plain `http://` to hosts other than loopback. Off by default: on a network
   * anyone on the path could read a token, password or client secret sent that way.
   */
  readonly allowInsecureHttp: boolean;
}

// Headers that never follow a redirect to another origin: fetch's own list plus GitHub's OTP header.
const CROSS_ORIGIN_STRIP = ["authorization", "proxy-authorization", "cookie", "x-github-otp"];
const MAX_REDIRECTS = 20;

/** A wait on behalf of the request in `ctx`, for abortError. */
export function waitingFor(ctx: RequestContext, what: string): Waiting {
  return { method: ctx.request.method, url: ctx.request.url, what };
}

/** The origin of a URL, or "" when it is not an absolute URL. */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "";
  }
}

/**
 * Whether a response came from the API's origin. A response that does not say where it came from
 * (`url` empty, as a custom fetch may return) is taken as the API's own.
 */
export function sameOrigin(response: Response, apiOrigin: string): boolean {
  const url = response.url;
  if (!url) return true;
  // A URL that starts with the origin and then its path is of that origin: no parsing needed. Anything
  // else (another origin, or a spelling fetch would not produce) is parsed.
  if (apiOrigin && url.startsWith(apiOrigin) && (url.length === apiOrigin.length || url.charCodeAt(apiOrigin.length) === 47 /* "/" */)) return true;
  return originOf(url) === apiOrigin;
}

/**
 * 127.0.0.0/8, ::1 and `localhost`: plain http there never leaves the machine. Not `*.localhost`: a
 * resolver that does not special-case it (or a hosts file) may send it elsewhere.
 */
export function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === "localhost" || host === "[::1]" || /^127(?:\.\d{1,3}){3}$/.test(host);
}

// The last loopback origin a plain-http URL was found to have (a client talking to a local GHES or the
// emulator asks about the same one on every request): a URL that starts with it and then its path is of it.
let lastLoopback = "";

/** Refuses to put a credential on a plain-http request to another machine unless the strategy opted in. */
export function checkTransport(strategy: string, url: string, policy: TransportPolicy): void {
  // A Request's url is serialized (scheme in lower case): https needs no parsing.
  if (url.startsWith("https:")) return;
  if (lastLoopback && url.startsWith(lastLoopback) && url.charCodeAt(lastLoopback.length) === 47 /* "/" */) return;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return;
  }
  if (parsed.protocol !== "http:" || policy.allowInsecureHttp) return;
  if (isLoopback(parsed.hostname)) {
    lastLoopback = parsed.origin;
    return;
  }
  throw new GhesAuthError(
    "INSECURE_TRANSPORT",
    `${strategy}: refusing to send credentials over plain http:// to ${parsed.origin}; use https://, or pass allowInsecureHttp: true to ${strategy} if this network is trusted`,
  );
}

interface Pending {
  readonly id: string;
  readonly credential: Credential<any>;
  readonly state: unknown;
  readonly ctx: RequestContext;
  readonly body: BodyInit | null;
  readonly manualRedirects: boolean;
}

/**
 * Follows redirects of a request sent with `redirect: "manual"` the way fetch would (same hop limit, 303 →
 * GET, 301/302 POST → GET), except that once the origin changes the credential headers — including
 * X-GitHub-OTP, which fetch would forward — are dropped for good.
 */
async function followRedirects(fetch: FetchFn, first: Response, sent: Request, body: BodyInit | null): Promise<Response> {
  let response = first;
  let url = sent.url;
  let method = sent.method;
  let payload = body;
  const headers = new Headers(sent.headers);
  for (let hop = 0; hop < MAX_REDIRECTS; hop += 1) {
    const location = [301, 302, 303, 307, 308].includes(response.status) ? response.headers.get("location") : null;
    if (location === null) return response;
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      return response;
    }
    if (next.protocol !== "http:" && next.protocol !== "https:") return response;
    const crossOrigin = next.origin !== originOf(url);
    if (crossOrigin) for (const name of CROSS_ORIGIN_STRIP) headers.delete(name);
    if (crossOrigin && (response.status === 307 || response.status === 308) && payload !== null) {
      await response.body?.cancel().catch(() => undefined);
      throw new GhesAuthError(
        "CROSS_ORIGIN_REDIRECT",
        `refusing to follow a ${response.status} redirect of ${method} ${redactUrl(sent.url)} to ${next.origin}: it would re-send the request body, which may hold credentials, to another origin`,
      );
    }
    if ((response.status === 303 && method !== "GET" && method !== "HEAD") || ([301, 302].includes(response.status) && method === "POST")) {
      method = "GET";
      payload = null;
      for (const name of ["content-type", "content-length", "content-encoding", "content-language", "content-location"]) headers.delete(name);
    }
    await response.body?.cancel().catch(() => undefined);
    response = await fetch(new Request(next, { method, headers, body: payload, redirect: "manual", signal: sent.signal }));
    url = next.href;
  }
  return response;
}

/**
 * Builds the retry from the request as it finally went out (so headers other middleware added after us
 * are kept), our replacement headers, and the body we copied before it was sent.
 */
function rebuild(sent: Request, body: BodyInit | null, headers: Record<string, string>, manual: boolean): Request {
  const merged = new Headers(sent.headers);
  for (const [name, value] of Object.entries(headers)) merged.set(name, value);
  return new Request(sent.url, { method: sent.method, headers: merged, body, redirect: manual ? "manual" : sent.redirect, signal: sent.signal });
}

/** Whether `headers` hold a header of the credential's that fetch would forward to another origin. */
function carriesCrossOrigin(credential: Credential<any>, headers: Headers): boolean {
  return (credential.crossOriginHeaders ?? []).some((name) => headers.has(name));
}

type Params = MiddlewareCallbackParams;

/**
 * Whether a credential answered with a promise: only then is it awaited (one that has nothing to wait
 * for, such as a cached token, answers at once).
 */
export const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as { then?: unknown }).then === "function";

/** Turns a credential selector into an openapi-fetch middleware bound to one era (or none). */
export function middlewareFor(
  strategy: string,
  select: CredentialSelector,
  era: Era | undefined,
  policy: TransportPolicy,
): AuthMiddleware {
  /**
   * Requests a credential may retry. Keyed by the `options` object openapi-fetch makes afresh for every
   * request and hands to each hook of that request, so an entry lives exactly as long as its request: no
   * cap, nothing lost with many requests in flight (issue 9, finding 7), and nothing left behind when a
   * later middleware answers the request itself and onResponse never runs. The id double-checks the match.
   */
  const pending = new WeakMap<object, Pending>();
  // The origin of the last baseUrl seen: a client's baseUrl rarely changes, and parsing it is not free.
  let lastBaseUrl: string | undefined;
  let lastOrigin = "";
  const contextOf = (request: Request, schemaPath: string, options: { baseUrl: string; fetch: FetchFn }): RequestContext => {
    const baseUrl = options.baseUrl;
    if (baseUrl !== lastBaseUrl) {
      lastOrigin = originOf(baseUrl);
      lastBaseUrl = baseUrl;
    }
    // Auth's own requests go through the era's fetch where the client gave one (no slot, no retries).
    return { request, schemaPath, baseUrl, fetch: era?.fetch ?? options.fetch, era, until: request.signal, apiOrigin: lastOrigin || originOf(request.url) };
  };
  const context = (p: Params): RequestContext => contextOf(p.request, p.schemaPath, p.options as { baseUrl: string; fetch: FetchFn });

  /**
   * After apply: keeps what onResponse needs, if anything. Answers at once unless a real Request's body
   * must be copied; the request itself, or its replacement with `redirect: "manual"`.
   */
  const afterApply = (p: Params, ctx: RequestContext, credential: Credential<any>, state: unknown): Request | Promise<Request> => {
    const request = p.request;
    // A body (a client secret, a user's token) or a header fetch would carry to another origin: the
    // redirects are followed here, where neither crosses origins.
    const manualRedirects = request.redirect === "follow" && (request.body !== null || carriesCrossOrigin(credential, request.headers));
    if (!credential.recover && !manualRedirects) return request;
    const keep = (body: BodyInit | null): Request => {
      pending.set(p.options, { id: p.id, credential, state, ctx, body, manualRedirects });
      if (!manualRedirects) return request;
      const { method, headers, signal, cache, credentials, integrity, keepalive, mode, referrer, referrerPolicy } = request;
      return new Request(request.url, { method, headers, body, signal, cache, credentials, integrity, keepalive, mode, referrer, referrerPolicy, redirect: "manual" });
    };
    if (request.body === null) return keep(null);
    // fetch consumes the body; keep it for a retry or a redirect (bodies here are small JSON). A request
    // rebuilt for manual redirects reads it once and sends the bytes; one left as it is keeps a copy.
    return (manualRedirects ? request.arrayBuffer() : request.clone().arrayBuffer()).then(keep);
  };

  const middleware = {
    onRequest(p: Params) {
      try {
        const ctx = context(p);
        const credential = select(ctx);
        if (!credential) return undefined;
        checkTransport(strategy, p.request.url, policy);
        if (p.request.signal.aborted) throwIfAborted(p.request.signal, waitingFor(ctx, "about to authenticate it"));
        const state = credential.apply(ctx);
        // A credential that applies at once (a fixed token, a Basic header, a cached installation token)
        // takes no promise steps: what onResponse needs is kept at once, and the request goes on unchanged
        // unless it must follow its redirects itself.
        if (!isThenable(state)) {
          if (!credential.recover && !credential.crossOriginHeaders && p.request.body === null) return undefined;
          const next = afterApply(p, ctx, credential, state);
          return next === p.request ? undefined : next;
        }
        return Promise.resolve(state).then((s) => afterApply(p, ctx, credential, s));
      } catch (error) {
        return Promise.reject(error);
      }
    },

    onResponse(p: Params & { response: Response }) {
      const saved = pending.get(p.options);
      if (!saved || saved.id !== p.id) return undefined;
      pending.delete(p.options);
      if (saved.manualRedirects) return recovered(p, saved);
      // No redirects to follow: the credential looks at the API's own answer, and most answers need
      // nothing from it (it says so at once, without a promise).
      const { credential, ctx } = saved;
      if (!credential.recover || !sameOrigin(p.response, ctx.apiOrigin)) return undefined;
      let headers: ReturnType<NonNullable<Credential["recover"]>>;
      try {
        headers = askRecover(p, saved, p.response);
      } catch (error) {
        return Promise.reject(error);
      }
      if (!isThenable(headers)) return headers ? retried(p, saved, p.response, headers as unknown as Record<string, string>) : undefined;
      return Promise.resolve(headers).then((h) => (h ? retried(p, saved, p.response, h) : undefined));
    },

    onError(p: Params) {
      pending.delete(p.options);
      return undefined;
    },
  };

  /** Asks the credential about a response, with the request's context as it is now. */
  function askRecover(p: Params & { response: Response }, saved: Pending, response: Response) {
    const { request, schemaPath, baseUrl, fetch, apiOrigin, until } = context(p);
    return saved.credential.recover!({ request, schemaPath, baseUrl, fetch, era: saved.ctx.era, until, apiOrigin, response }, saved.state);
  }

  /** Sends the request again (or the first time, when `first` is given, only following its redirects). */
  async function resend(p: Params, saved: Pending, request: Request, first?: Response): Promise<Response> {
    const { ctx } = saved;
    try {
      const response = first ?? (await p.options.fetch(request as Request));
      return saved.manualRedirects ? await followRedirects(p.options.fetch, response, request, saved.body) : response;
    } catch (error) {
      const reason = endedBy(ctx.until);
      if (reason !== undefined && !(error instanceof GhesRequestError)) throw abortError(reason, waitingFor(ctx, "sending it again"));
      throw error;
    }
  }

  /** The retry with the credential's new headers, replacing `response`. */
  async function retried(p: Params, saved: Pending, response: Response, headers: Record<string, string>): Promise<Response> {
    // The response is being replaced; release its body so the connection can be reused.
    await response.body?.cancel().catch(() => undefined);
    // A new header fetch would carry across origins (the OTP of a 2FA retry): this retry follows its redirects here.
    const manual = saved.manualRedirects || carriesCrossOrigin(saved.credential, new Headers(headers));
    return resend(p, { ...saved, manualRedirects: manual }, rebuild(p.request, saved.body, headers, manual));
  }

  /** The response once the credential had its say: followed redirects, or a retry with new headers. */
  async function recovered(p: Params & { response: Response }, saved: Pending): Promise<Response | undefined> {
    const { credential, ctx } = saved;
    let response = await resend(p, saved, p.request, p.response);
    // A redirect to another origin is not the API speaking: its 401, 2FA challenge or Date header must
    // not make a credential retry, prompt, drop a good token or move its clock (issue 9, findings 3, 8, 9).
    if (credential.recover && sameOrigin(response, ctx.apiOrigin)) {
      const headers = await askRecover(p, saved, response);
      if (headers) response = await retried(p, saved, response, headers);
    }
    return response === p.response ? undefined : response;
  }
  return middleware as unknown as AuthMiddleware;
}

export interface StrategyDefinition<X extends object> {
  /** Shown by String(), JSON.stringify() and inspect(); must already hold REDACTED in place of secrets. */
  description: Record<string, unknown>;
  build: (era: Era | undefined) => CredentialSelector;
  defaultEra?: Era | undefined;
  extras: X;
  policy: TransportPolicy;
}

/**
 * Assembles an exported strategy: the era-less middleware, `forEra` (one middleware per era object,
 * built once, all sharing the state captured by `build`), a safe self-description, and any extra methods
 * such as revoke(). Frozen, so nobody swaps a hook out from under a client that already uses it.
 */
export function defineStrategy<X extends object>(name: string, def: StrategyDefinition<X>): AuthStrategy & X {
  const perEra = new WeakMap<Era, AuthMiddleware>();
  const base = middlewareFor(name, def.build(def.defaultEra), def.defaultEra, def.policy);
  const strategy = {
    strategy: name,
    onRequest: base.onRequest,
    onResponse: base.onResponse,
    onError: base.onError,
    forEra(era: Era): AuthMiddleware {
      const checked = eraValue(name, "era", era);
      let middleware = perEra.get(checked);
      if (!middleware) {
        middleware = middlewareFor(name, def.build(checked), checked, def.policy);
        describeAs(middleware, `${name}.forEra(${checked.name})`, def.description);
        Object.freeze(middleware);
        perEra.set(checked, middleware);
      }
      return middleware;
    },
    ...def.extras,
  };
  describeAs(strategy, name, def.description);
  return Object.freeze(strategy);
}
