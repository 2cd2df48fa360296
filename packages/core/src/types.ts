import type { Client, ClientOptions as FetchClientOptions, HeadersOptions, Middleware } from "openapi-fetch";
import type { MediaType } from "openapi-typescript-helpers";

export type HttpMethod = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";

/** A preview media type an operation of GHES 2.2x needs (`application/vnd.github.<name>-preview+json`). */
export interface Preview {
  readonly name: string;
  readonly required: boolean;
}

/**
 * One row of an era's generated operations table (keyed by operationId): what the runtime reads. Summaries,
 * security requirements and optional previews are in the generated types and the bundled openapi.json, so
 * they are not shipped in every bundle.
 */
export interface OperationInfo {
  readonly method: HttpMethod;
  readonly path: string;
  /** Names of the preview media types the operation requires (GHES 2.2x; content attachments on 3.x). */
  readonly previews?: readonly string[];
  readonly deprecated?: true;
  /** First GHES version that serves the operation (2.20 for anything older). */
  readonly since?: string;
  /** Last GHES version that served the operation, when it went away. */
  readonly until?: string;
  /** For a deprecated operation: what to use instead (an operation, or a flow when no endpoint replaces it). */
  readonly replacement?: string;
}

/** Generated with the era list (`eras.ts`): one name per era package. */
export type { EraName } from "./eras.js";
import type { EraName } from "./eras.js";

/** What an era package knows about itself; passed to createEraClient. */
export interface EraDefinition {
  readonly name: EraName;
  readonly packageName: string;
  readonly version: string;
  readonly operations: Readonly<Record<string, OperationInfo>>;
  /** Headers every request of the era carries unless the caller sets them. */
  readonly defaultHeaders: Readonly<Record<string, string>>;
  /** The GHES versions the era serves (`until` absent while current). */
  readonly ghes?: { readonly since: string; readonly until?: string };
}

/**
 * The era as auth strategies see it: which headers the era sends for an operation. `@ghes-sdk/auth` uses
 * it to mint installation tokens with the right media type (machine-man on 2.2x).
 */
export interface Era {
  readonly name: EraName;
  headersFor(method: string, schemaPath: string): Record<string, string>;
  /**
   * In a client: how auth sends its own requests (a mint, a lookup) — the client's fetch with its
   * `requestInitExt`, no slot of `maxConcurrency` and no retries.
   */
  readonly fetch?: (input: Request) => Promise<Response>;
}

/**
 * An auth strategy that wants to know the era of the client it is installed in: the client installs
 * `forEra(era)` instead of the object itself.
 */
export interface EraAwareMiddleware {
  forEra(era: Era): Middleware;
}

/**
 * openapi-fetch's client options — `fetch`, `Request`, `querySerializer`, `bodySerializer`,
 * `pathSerializer`, `headers`, `requestInitExt` (how undici's `dispatcher` is passed) and the RequestInit
 * keys it gives every request — and the SDK's own. Unknown names are refused.
 */
export interface ClientOptions extends Omit<FetchClientOptions, "baseUrl" | "fetch" | "signal" | "body" | "method" | "window" | "dispatcher"> {
  /** Where the REST API lives, e.g. `https://ghes.example.com/api/v3` (a trailing slash is fine). */
  baseUrl: string;
  /** A fetch implementation, called with a Request and `requestInitExt`; defaults to the global fetch. */
  fetch?: (input: Request, init?: Record<string, unknown>) => Promise<Response>;
  /** Headers sent with every request; they win over the era's defaults. */
  headers?: HeadersOptions;
  /** Prepended to the SDK's own User-Agent (`my-app/1.2 @ghes-sdk/ghes-3.x/0.1.0`). */
  userAgent?: string;
  /** Authentication: any openapi-fetch middleware, such as the strategies of `@ghes-sdk/auth`. */
  auth?: Middleware | EraAwareMiddleware;
  /**
   * Milliseconds a call may take in all — auth, every attempt, the waits between them and reading the
   * body — before it ends with a `TIMEOUT` GhesRequestError; `Infinity` for none. Default 30 000
   * (DEFAULT_TIMEOUT). Per request: `{ timeout }`.
   */
  timeout?: number;
  /** When and how often to retry, as plain data, merged over DEFAULT_RETRY; `false` never retries. Per request: `{ retry }`. */
  retry?: Partial<RetryPolicy> | false;
  /** Largest response body the client reads, in bytes; default 10 MiB (DEFAULT_MAX_RESPONSE_BYTES). */
  maxResponseBytes?: number;
  /**
   * Most requests of this client on the wire at once; more wait for a slot in the order they were made,
   * within their timeout. Default 100 (DEFAULT_MAX_CONCURRENCY, the concurrent requests GHES allows before
   * its secondary rate limit); `Infinity` for no limit.
   */
  maxConcurrency?: number;
  /**
   * Called when a response says a rate limit was hit (429, or 403 with `Retry-After`, an exhausted
   * `X-RateLimit-Remaining` or GitHub's secondary-rate-limit message), before the SDK decides to retry.
   * Return `true` to retry after `info.waitMs` even where the policy would not, `false` to not retry.
   */
  onRateLimit?: (info: RateLimitEvent) => boolean | void | Promise<boolean | void>;
  /**
   * The GHES version the client talks to, e.g. `"3.4"`: narrows the paths to what it serves at compile
   * time and warns before a call it does not serve. Without it the version the server reports is used.
   */
  ghesVersion?: string;
  /** `false` silences this client's DeprecationWarnings for deprecated operations. */
  deprecationWarnings?: boolean;
}

/** Per-call options of the generated operation functions. */
export interface CallInit extends RequestOverrides {
  headers?: HeadersOptions;
  signal?: AbortSignal | null;
}

/** Retry policy as plain data (see DEFAULT_RETRY for the defaults and the reasons for them). */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  limit: number;
  /** Upper-case methods that may be retried; add "POST"/"PATCH" per request to opt in. */
  methods: readonly string[];
  /** Statuses that are retried (403 only when it is a rate limit, see `rateLimit403`). */
  statusCodes: readonly number[];
  /** Retry a 403 that is a rate limit (secondary rate limit, or primary limit exhausted). */
  rateLimit403: boolean;
  /** Retry a request that got no response at all (a reset or refused connection), with backoff, for `methods` only. */
  networkErrors: boolean;
  /** Backoff: attempt n waits a random time in [0, min(maxDelay, baseDelay * 2^n)) ms ("full jitter"). */
  baseDelay: number;
  maxDelay: number;
  /** Longest wait a `Retry-After` or `X-RateLimit-Reset` may ask for; a longer one is not waited for. */
  maxRetryAfter: number;
  /** Longest total wait across all retries of one call. */
  maxTotalWait: number;
}

/** The last `X-RateLimit-*` values a client saw. */
export interface RateLimit {
  limit: number;
  remaining: number;
  used: number | undefined;
  /** When the window resets, in epoch seconds. */
  reset: number;
  resource: string | undefined;
}

/** What `onRateLimit` is told. */
export interface RateLimitEvent {
  method: string;
  /** The request URL with secrets redacted. */
  url: string;
  operationId: string | undefined;
  status: number;
  /** The rate limit headers of the response, when it had them. */
  rateLimit: RateLimit | undefined;
  /** How long the server asks to wait, in ms (Retry-After, else X-RateLimit-Reset, else the backoff). */
  waitMs: number;
  /** Retries already made for this call. */
  attempt: number;
  /** Whether the policy will retry (before the hook's answer). */
  willRetry: boolean;
}

/**
 * What a single call may add to openapi-fetch's init (`github.GET(path, { params, timeout: 5_000 })`):
 * typed on every method of a GhesClient, and checked again at the call.
 */
export interface RequestOverrides {
  /** This call's timeout in ms, instead of the client's. */
  timeout?: number;
  /** This call's retry policy, merged over the client's; `false` never retries. */
  retry?: Partial<RetryPolicy> | false;
}

/**
 * An era client: openapi-fetch's `Client` for the era's paths (so it is assignable to it, and its helper
 * types apply), plus what the SDK's runtime adds. A call's `timeout` and `retry` ride in openapi-fetch's
 * init, which lets any key through: they are checked when the call is made (and typed on `paginate` and
 * the operation functions).
 */
export type GhesClient<Paths extends {}, Media extends MediaType = MediaType> = Client<Paths, Media> & {
  /** The last `X-RateLimit-*` values any response to this client carried (undefined until one did). */
  readonly rateLimit: RateLimit | undefined;
};
