import type { MiddlewareCallbackParams } from "openapi-fetch";
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
}

export interface ResponseContext extends RequestContext {
  readonly response: Response;
}

/**
 * One way of authenticating, independent of openapi-fetch. `apply` puts the credential on the request and
 * returns whatever `recover` will need to know about it (the token used, the OTP sent). `recover` looks at
 * the response and either returns headers to retry the request with, once, or nothing.
 */
export interface Credential<S = unknown> {
  apply(ctx: RequestContext): S | Promise<S>;
  recover?(ctx: ResponseContext, state: S): Promise<Record<string, string> | undefined>;
}

/** Picks the credential for a request; null leaves the request alone. May throw (appRouteAuth does). */
export type CredentialSelector = (ctx: RequestContext) => Credential<any> | null;

/**
 * Requests a credential may retry, keyed by openapi-fetch's per-request id. The body is cloned in
 * onRequest because by the time onResponse runs fetch has consumed it. Entries leave in onResponse or
 * onError; if a later middleware answers a request itself neither runs, so the map is capped and the
 * oldest entry dropped (that request just loses its retry) rather than leaking.
 */
const MAX_PENDING = 4096;

interface Pending {
  readonly credential: Credential<any>;
  readonly state: unknown;
  readonly ctx: RequestContext;
  readonly body: Request | null;
}

class PendingRequests {
  readonly #byId = new Map<string, Pending>();

  save(id: string, entry: Pending): void {
    if (this.#byId.size >= MAX_PENDING) this.#byId.delete(this.#byId.keys().next().value as string);
    this.#byId.set(id, entry);
  }

  take(id: string): Pending | undefined {
    const entry = this.#byId.get(id);
    this.#byId.delete(id);
    return entry;
  }
}

/**
 * Builds the retry from the request as it finally went out (so headers other middleware added after us
 * are kept), our replacement headers, and the body we cloned before it was sent.
 */
async function rebuild(sent: Request, body: Request | null, headers: Record<string, string>): Promise<Request> {
  const merged = new Headers(sent.headers);
  for (const [name, value] of Object.entries(headers)) merged.set(name, value);
  return new Request(sent.url, {
    method: sent.method,
    headers: merged,
    body: body === null ? null : await body.arrayBuffer(),
    redirect: sent.redirect,
    signal: sent.signal,
  });
}

/** Turns a credential selector into an openapi-fetch middleware bound to one era (or none). */
export function middlewareFor(select: CredentialSelector, era: Era | undefined): AuthMiddleware {
  const pending = new PendingRequests();
  const context = (p: MiddlewareCallbackParams): RequestContext => ({
    request: p.request,
    schemaPath: p.schemaPath,
    baseUrl: p.options.baseUrl,
    fetch: p.options.fetch,
    era,
  });

  return {
    async onRequest(p) {
      const ctx = context(p);
      const credential = select(ctx);
      if (!credential) return undefined;
      const state = await credential.apply(ctx);
      if (credential.recover) {
        pending.save(p.id, { credential, state, ctx, body: p.request.body === null ? null : p.request.clone() });
      }
      return p.request;
    },

    async onResponse(p) {
      const saved = pending.take(p.id);
      if (!saved?.credential.recover) return undefined;
      const ctx: ResponseContext = { ...context(p), era: saved.ctx.era, response: p.response };
      const headers = await saved.credential.recover(ctx, saved.state);
      if (!headers) return undefined;
      // The first response is being replaced; release its body so the connection can be reused.
      await p.response.body?.cancel().catch(() => undefined);
      return p.options.fetch(await rebuild(p.request, saved.body, headers));
    },

    onError(p) {
      pending.take(p.id);
      return undefined;
    },
  };
}

/**
 * Assembles an exported strategy: the era-less middleware, `forEra` (one middleware per era object,
 * built once, all sharing the state captured by `build`), a safe self-description, and any extra methods
 * such as revoke(). Frozen, so nobody swaps a hook out from under a client that already uses it.
 */
export function defineStrategy<X extends object>(
  name: string,
  description: Record<string, unknown>,
  build: (era: Era | undefined) => CredentialSelector,
  defaultEra: Era | undefined,
  extras: X,
): AuthStrategy & X {
  const perEra = new WeakMap<Era, AuthMiddleware>();
  const base = middlewareFor(build(defaultEra), defaultEra);
  const strategy = {
    strategy: name,
    onRequest: base.onRequest,
    onResponse: base.onResponse,
    onError: base.onError,
    forEra(era: Era): AuthMiddleware {
      const checked = eraValue(name, "era", era);
      let middleware = perEra.get(checked);
      if (!middleware) {
        middleware = middlewareFor(build(checked), checked);
        describeAs(middleware, `${name}.forEra(${checked.name})`, description);
        Object.freeze(middleware);
        perEra.set(checked, middleware);
      }
      return middleware;
    },
    ...extras,
  };
  describeAs(strategy, name, description);
  return Object.freeze(strategy);
}
