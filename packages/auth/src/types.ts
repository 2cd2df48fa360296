import type { MiddlewareCallbackParams } from "openapi-fetch";

/** The API generations the era packages cover (core's list, generated from the specs). */
export type { EraName } from "@ghes-sdk/core";
import type { EraName } from "@ghes-sdk/core";

/**
 * What an era client tells a strategy about itself (structural: the era packages do not import this
 * package). `headersFor` gives the headers that era sends for an operation — the Accept media type(s),
 * the machine-man preview for the 2.2x mint endpoint, X-GitHub-Api-Version on 2022-11-28 — so requests a
 * strategy makes on its own (minting, revoking) look exactly like the era's own requests.
 */
export interface Era {
  readonly name: EraName;
  headersFor(method: string, schemaPath: string): Record<string, string>;
  /** How the client sends a strategy's own requests (its fetch and requestInitExt, no retries); else `options.fetch`. */
  readonly fetch?: FetchFn;
}

/** The fetch an openapi-fetch client was created with (passed to middleware as `options.fetch`). */
export type FetchFn = (input: Request) => Promise<Response>;

/**
 * An openapi-fetch Middleware with all three hooks present. It is assignable to openapi-fetch's
 * `Middleware`, so it can be given to `client.use()` or to an era client's `auth` option.
 */
export interface AuthMiddleware {
  /** Undefined when the request is sent as it is (a fixed credential), else a promise of it. */
  onRequest(params: MiddlewareCallbackParams): Promise<Request | undefined> | undefined;
  /** Undefined when the credential has nothing to do with the response, else a promise. */
  onResponse(params: MiddlewareCallbackParams & { response: Response }): Promise<Response | undefined> | undefined;
  onError(params: MiddlewareCallbackParams & { error: unknown }): undefined;
}

/**
 * What every exported strategy is: a middleware (for a plain openapi-fetch client) that can also bind
 * itself to an era. Era clients call `forEra(era)` and use the result; every middleware returned shares
 * the strategy's state (JWT, token cache, clock offset, remembered OTP).
 */
export interface AuthStrategy extends AuthMiddleware {
  /** Which factory made this strategy, e.g. "installationAuth". */
  readonly strategy: string;
  forEra(era: Era): AuthMiddleware;
}
