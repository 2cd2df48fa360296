import type { Client, Middleware, MiddlewareCallbackParams } from "openapi-fetch";
import { BodyFailure, decode, readBody } from "./body.js";
import type { Slots } from "./concurrency.js";
import { warnDeprecated } from "./deprecation.js";
import { findOperation, type FoundOperation } from "./era.js";
import { describeServerBody, GhesRequestError, GhesSdkError, networkDetail, REDACTED, redactUrl, safeServerText } from "./errors.js";
import { checkBaseUrl, normaliseHeaders } from "./headers.js";
import { readRateLimit } from "./ratelimit.js";
import { isRateLimited, resolveRetry, retryDecision } from "./retry.js";
import { checkTimeout, Deadline, raceAbort, sleep } from "./timeout.js";
import type { ClientOptions, EraDefinition, GhesClient, RateLimit, RetryPolicy } from "./types.js";
import type { VersionChecks } from "./version.js";

/**
 * A request's path, top to bottom:
 *
 * 1. `call()` checks the per-call options, starts the call's Deadline (one AbortController and one timer)
 *    and hands the call to openapi-fetch with the deadline's `signal` and a `fetch` of its own.
 * 2. openapi-fetch builds the Request (URL, query, body, headers) and runs the middleware's `onRequest`:
 *    the era middleware first (era headers, User-Agent, deprecation and version checks), then auth (which
 *    may wait for a token mint), then what the caller added with `use()`.
 * 3. openapi-fetch calls the call's fetch: `attempts()`, the one retry loop — a slot of `maxConcurrency`,
 *    the fetch, the rate-limit notes, and `retryDecision()` for every response or network failure.
 * 4. openapi-fetch runs `onResponse` in reverse, so the era middleware's comes last: it reads the body
 *    within `maxResponseBytes`, refuses a 2xx that is not the JSON the operation promises, and turns an
 *    error body into a GhesRequestError (kept for `unwrap`) and a cleaned `{ error }` object.
 * 5. openapi-fetch parses the body into `{ data }` or `{ error }`; `call()` maps a deadline that fired to
 *    TIMEOUT / ABORTED and clears it.
 */

/** What one client's runtime knows, resolved once at construction. */
export interface Runtime {
  readonly packageName: string;
  readonly def: EraDefinition;
  readonly baseUrl: string;
  readonly timeout: number;
  readonly retry: Readonly<RetryPolicy>;
  readonly maxResponseBytes: number;
  readonly onRateLimit: ClientOptions["onRateLimit"];
  rateLimit: RateLimit | undefined;
  /** The era's headers (with the User-Agent) for an operation, where the caller set none. */
  readonly headersFor: (method: string, schemaPath: string) => Record<string, string>;
  readonly warnDeprecations: boolean;
  readonly version: VersionChecks;
  /** The client's fetch: the caller's, or the global one looked up per call. */
  readonly fetch: (input: Request, init?: Record<string, unknown>) => Promise<Response>;
  readonly requestInitExt: Record<string, unknown> | undefined;
  /** At most this many of the client's fetches on the wire at once (undefined: no limit). */
  readonly slots: Slots | undefined;
}

type Init = Record<string, unknown> & { params?: { path?: Record<string, unknown> }; signal?: AbortSignal | null };
type Result = { data?: unknown; error?: unknown; response: Response };

const PARSE_AS = new Set(["json", "text", "blob", "arrayBuffer", "stream"]);
const METHODS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"] as const;

/**
 * The era client: openapi-fetch's `inner` client, every call going through `call()`. Auth stays the
 * innermost middleware: what `use()` adds runs before it on the way out (it never sees the credential)
 * and after it on the way back, so a logging middleware sees the answer the caller gets, not the 401 that
 * auth answered with a fresh token.
 */
export function createRequester<Paths extends {}>(rt: Runtime, inner: Client<any>, auth: Middleware | undefined): GhesClient<Paths> {
  const client: Record<string, unknown> = {
    request: (method: string, path: string, init?: Init) => call(rt, inner, String(method).toUpperCase(), path, init),
    use(...added: Middleware[]) {
      if (auth) inner.eject(auth);
      try {
        inner.use(...added);
      } finally {
        if (auth) inner.use(auth);
      }
    },
    eject: inner.eject,
  };
  for (const method of METHODS) client[method] = (path: string, init?: Init) => call(rt, inner, method, path, init);
  Object.defineProperty(client, "rateLimit", { get: () => rt.rateLimit, enumerable: true });
  return client as unknown as GhesClient<Paths>;
}

/** One call: its options checked, its deadline, openapi-fetch's request, and the error it ends with. */
async function call(rt: Runtime, inner: Client<any>, method: string, path: string, init: Init = {}): Promise<Result> {
  const { timeout, retry, signal, fetch, ...rest } = init;
  const packageName = rt.packageName;
  const ms = timeout === undefined ? rt.timeout : checkTimeout(packageName, "the request's timeout", timeout);
  const policy = retry === undefined ? rt.retry : resolveRetry(packageName, "the request's retry", rt.retry, retry);
  if (fetch !== undefined && typeof fetch !== "function") throw new GhesSdkError(packageName, "the request's fetch must be a function");
  if (rest.baseUrl !== undefined) rest.baseUrl = checkBaseUrl(packageName, "the request's baseUrl", rest.baseUrl);
  if (rest.headers !== undefined && rest.headers !== null) rest.headers = normaliseHeaders(packageName, "the request's headers", rest.headers);
  if (rest.parseAs !== undefined && !PARSE_AS.has(rest.parseAs as string)) {
    throw new GhesSdkError(packageName, 'the request\'s parseAs must be "json", "text", "blob", "arrayBuffer" or "stream"');
  }
  // openapi-fetch leaves `{name}` in the URL when no path parameters are given; ours refuses a missing one.
  if (!rest.params?.path && path.includes("{")) rest.params = { ...rest.params, path: {} };
  // The credentials in the body, for redacting server text: read from the caller's object, keyed by the
  // params object openapi-fetch hands every middleware of this call.
  const secrets = bodySecrets(rest.body);
  if (secrets.length) bodySecretsOf.set((rest.params = { ...rest.params }), secrets);

  const deadline = new Deadline(ms, signal);
  const ended = (): GhesRequestError =>
    new GhesRequestError({
      ...context(rt, method, path, rest),
      code: deadline.cause === "timeout" ? "TIMEOUT" : "ABORTED",
      ...(deadline.cause === "timeout" ? { detail: `timed out after ${ms} ms` } : { cause: signal?.reason }),
    });
  const send = (request: Request, ext?: Record<string, unknown>) =>
    attempts(rt, { policy, deadline, fetch: (fetch as Runtime["fetch"] | undefined) ?? rt.fetch, ext: ext ?? rt.requestInitExt }, request, () =>
      context(rt, method, path, rest),
    );
  try {
    // The race ends the call the moment its deadline fires, whatever a middleware is waiting on.
    return await raceAbort(inner.request(method as "get", path, { ...rest, signal: deadline.signal, fetch: send }), deadline.signal, ended);
  } catch (error) {
    throw deadline.cause && !(error instanceof GhesSdkError) ? ended() : error;
  } finally {
    // A streamed body is read after the call returned: the timeout no longer applies to it.
    deadline.end();
  }
}

interface Attempts {
  readonly policy: Readonly<RetryPolicy>;
  readonly deadline: Deadline;
  readonly fetch: Runtime["fetch"];
  readonly ext: Record<string, unknown> | undefined;
}

/**
 * The fetch openapi-fetch calls: one loop for the first attempt and every retry. Each attempt takes a slot
 * (if the client limits them) for as long as its fetch is on the wire; every response or network failure
 * goes to retryDecision() — and to onRateLimit when it is a rate limit — which says whether and when to
 * send again. A request that may be retried is sent as a copy, so its body can be sent again.
 */
async function attempts(rt: Runtime, a: Attempts, request: Request, where: () => Where): Promise<Response> {
  const { policy, deadline } = a;
  const retriable = policy.limit > 0 && policy.methods.includes(request.method);
  let waited = 0;
  for (let attempt = 0; ; attempt++) {
    deadline.signal.throwIfAborted();
    // A body can be read once: a request that may be sent again goes as a copy. One without a body is reused.
    const sent = retriable && attempt < policy.limit && request.body !== null ? copyOf(request) : request;
    let response: Response | undefined;
    let failure: unknown;
    try {
      // Raced with the deadline: a fetch that ignores its signal still gives its slot back when the call ends.
      const fetching = () => raceAbort(a.fetch(sent, a.ext), deadline.signal, () => deadline.signal.reason);
      response = await (rt.slots ? rt.slots.run(deadline.signal, fetching) : fetching());
      noteRateLimit(rt, response);
    } catch (error) {
      if (deadline.cause) throw error;
      failure = error;
    }
    let rateLimited = false;
    if (response) {
      if (response.status < 400) return response;
      // GitHub's secondary limit is sometimes only said in a 403's message: read it (within the limit).
      if (response.status === 403 && !isRateLimited(403, response.headers, undefined)) response = await buffered(response, rt.maxResponseBytes);
      rateLimited = isRateLimited(response.status, response.headers, (response as Buffered).text);
    }
    const decision = retryDecision(policy, { method: request.method, attempt, waited, remaining: deadline.remaining(), response, rateLimited });
    let retry = decision.retry;
    if (rateLimited && rt.onRateLimit && response) {
      const answer = await raceAbort(
        Promise.resolve(
          rt.onRateLimit({
            method: request.method,
            url: where().url,
            operationId: where().operationId,
            status: response.status,
            rateLimit: readRateLimit(response.headers),
            waitMs: decision.wait,
            attempt,
            willRetry: retry,
          }),
        ),
        deadline.signal,
        () => deadline.signal.reason,
      );
      if (answer === true) retry = decision.possible;
      else if (answer === false) retry = false;
    }
    if (!retry) {
      if (response) return response;
      throw new GhesRequestError({ ...where(), code: "NETWORK", detail: networkDetail(failure), cause: failure });
    }
    await response?.body?.cancel().catch(() => undefined);
    await sleep(decision.wait, deadline.signal);
    waited += decision.wait;
  }
}

/** A copy of a request to send, keeping its class and the extra properties openapi-fetch set on it. */
function copyOf(request: Request): Request {
  const copy = new (request.constructor as typeof Request)(request.clone());
  for (const key of Object.keys(request)) if (!(key in copy)) (copy as unknown as Record<string, unknown>)[key] = (request as unknown as Record<string, unknown>)[key];
  return copy;
}

type Buffered = Response & { text?: string };

/** The response with its body read (cut at `limit`): `text` for the retry decision, the same bytes for what follows. */
async function buffered(response: Response, limit: number): Promise<Buffered> {
  let bytes: Uint8Array = new Uint8Array(0);
  try {
    ({ bytes } = await readBody(response, limit, true));
  } catch (e) {
    if (!(e instanceof BodyFailure)) throw e;
  }
  const copy = new Response(bytes as Uint8Array<ArrayBuffer>, { status: response.status, statusText: response.statusText, headers: response.headers });
  Object.defineProperty(copy, "url", { value: response.url, enumerable: true });
  return Object.assign(copy, { text: decode(bytes) });
}

/** Keeps the response's rate-limit headers as the client's `rateLimit`. */
export function noteRateLimit(rt: { rateLimit: RateLimit | undefined }, response: Response): void {
  const limit = readRateLimit(response.headers);
  if (limit) rt.rateLimit = limit;
}

/** What an error of a call names: its method, its URL (secrets redacted), package and operation. */
interface Where {
  method: string;
  url: string;
  packageName: string;
  operationId: string | undefined;
}

// Path parameters that hold secrets: the token of the token-in-path endpoints
// (`/applications/{client_id}/tokens/{access_token}`, `…/grants/{access_token}`) and the one-time
// code of `/app-manifests/{code}/conversions`, which is exchanged for the app's private key.
const SECRET_PARAMS = new Set(["access_token", "code"]);
const PARAM = /\{([^}]+)\}/g;

function context(rt: Runtime, method: string, path: string, init: Init): Where {
  const params = init.params?.path ?? {};
  const filled = path.replace(PARAM, (_m, name: string) => {
    const value = params[name];
    if (SECRET_PARAMS.has(name)) return REDACTED;
    return typeof value === "string" || typeof value === "number" ? encodeURIComponent(String(value)) : `{${name}}`;
  });
  return {
    method,
    url: redactUrl(`${(init.baseUrl as string | undefined) ?? rt.baseUrl}${filled}`),
    packageName: rt.packageName,
    operationId: findOperation(rt.def, method, path)?.operationId,
  };
}

/** The values of a call's secret path parameters, for redaction. */
function pathSecrets(schemaPath: string, params: MiddlewareCallbackParams["params"]): string[] {
  const values = (params.path ?? {}) as Record<string, unknown>;
  const out: string[] = [];
  for (const [, name] of schemaPath.matchAll(PARAM)) {
    const value = values[name!];
    if (SECRET_PARAMS.has(name!) && (typeof value === "string" || typeof value === "number")) out.push(String(value));
  }
  return out;
}

/** The request's credentials in every form a server might echo them: its Authorization header, its OTP. */
function credentialSecrets(request: Request): string[] {
  const otp = request.headers.get("x-github-otp");
  const out = otp ? [otp] : [];
  const header = request.headers.get("authorization");
  if (!header) return out;
  const [scheme, value = ""] = header.split(/\s+/, 2);
  out.push(value);
  if (scheme?.toLowerCase() === "basic") {
    try {
      const decoded = atob(value);
      out.push(decoded, decoded.slice(decoded.indexOf(":") + 1));
    } catch {
      // not base64: the raw value is redacted anyway
    }
  }
  return out;
}

// Request body fields that hold credentials: a client secret, a user's token or password, a one-time code.
const BODY_SECRETS = new Set(["client_secret", "access_token", "password", "token", "code", "refresh_token"]);

/** The credential values of a call's body, as the caller gave it (an object, form fields or JSON text). */
function bodySecrets(body: unknown): string[] {
  let fields: unknown = body;
  if (typeof body === "string") {
    try {
      fields = JSON.parse(body);
    } catch {
      fields = Object.fromEntries(new URLSearchParams(body));
    }
  }
  if (typeof fields !== "object" || fields === null || fields instanceof FormData) return [];
  return Object.entries(fields)
    .filter(([name, value]) => BODY_SECRETS.has(name) && typeof value === "string" && value.length >= 4)
    .map(([, value]) => value as string);
}

const bodySecretsOf = new WeakMap<object, string[]>();

/** An HTTP error the era middleware read: the error `unwrap` throws. Keyed by the Response the caller receives. */
const failures = new WeakMap<Response, GhesRequestError>();

/**
 * The era middleware, first in every client: on the way out the era's headers and the User-Agent where
 * the caller set none, deprecation and version checks; on the way back (last, after auth and the
 * caller's middleware) the body read within `maxResponseBytes` and checked, error bodies cleaned.
 */
export function eraMiddleware(rt: Runtime): Middleware {
  const operations = new Map<string, { headers: [string, string][]; op: FoundOperation | undefined }>();
  const entryFor = (method: string, path: string) => {
    const key = `${method} ${path}`;
    let entry = operations.get(key);
    if (!entry) {
      entry = { headers: Object.entries(rt.headersFor(method, path)), op: findOperation(rt.def, method, path) };
      if (operations.size < 512) operations.set(key, entry); // bounded: untyped calls may use any path
    }
    return entry;
  };
  return {
    onRequest({ request, schemaPath }) {
      const { headers, op } = entryFor(request.method, schemaPath);
      if (rt.warnDeprecations && op?.deprecated) warnDeprecated(rt.packageName, op);
      rt.version.beforeRequest(op);
      for (const [name, value] of headers) if (!request.headers.has(name)) request.headers.set(name, value);
      return undefined;
    },
    async onResponse({ request, response, schemaPath, params, options }) {
      const secrets = pathSecrets(schemaPath, params);
      // Every credential the request carried, for redacting what the server sends back.
      const carried = [...secrets, ...credentialSecrets(request), ...(bodySecretsOf.get(params) ?? [])];
      const where: Where = {
        method: request.method,
        url: redactUrl(request.url, secrets),
        packageName: rt.packageName,
        operationId: entryFor(request.method, schemaPath).op?.operationId,
      };
      if (!response.ok) {
        const noted = await rt.version.afterResponse(request, response, schemaPath);
        return failureResponse(rt, where, noted ?? response, carried);
      }
      rt.version.afterResponse(request, response, schemaPath);
      if (response.status === 204 || request.method === "HEAD" || options.parseAs === "stream") return withUrl(response, secrets);
      return withUrl(await checkedBody(rt, where, response, options.parseAs, carried), secrets);
    },
  };
}

/** The response, its `url` redacted when the path held a secret. */
function withUrl(response: Response, secrets: string[], url = response.url): Response {
  if (secrets.length || url !== response.url) Object.defineProperty(response, "url", { value: redactUrl(url, secrets), enumerable: true, configurable: true });
  return response;
}

/**
 * A 2xx body read within the limit, as a Response openapi-fetch parses as the caller asked. JSON that is
 * not JSON, or an empty 200/201 where JSON is promised, is an INVALID_BODY error.
 */
async function checkedBody(rt: Runtime, where: Where, response: Response, parseAs: string, secrets: string[]): Promise<Response> {
  const fail = (code: "INVALID_BODY" | "RESPONSE_TOO_LARGE", detail: string, body?: string, cause?: unknown) =>
    new GhesRequestError({ ...where, code, response, detail, secrets, ...(body ? { body } : {}), ...(cause ? { cause } : {}) });
  let bytes: Uint8Array = new Uint8Array(0);
  try {
    // A declared length of 0 (not chunked) is an empty body, as openapi-fetch reads it.
    if (response.headers.get("content-length") === "0" && !/chunked/i.test(response.headers.get("transfer-encoding") ?? "")) await response.body?.cancel();
    else ({ bytes } = await readBody(response, rt.maxResponseBytes));
  } catch (e) {
    if (!(e instanceof BodyFailure)) throw e;
    if (e.kind === "too-large") throw fail("RESPONSE_TOO_LARGE", `answered ${response.status} with a body larger than maxResponseBytes (${rt.maxResponseBytes})`);
    throw fail("INVALID_BODY", `answered ${response.status} but the connection broke before the body was complete`, undefined, e.cause);
  }
  if (parseAs === "json") {
    const text = decode(bytes);
    const type = response.headers.get("content-type") ?? "";
    if (!/\S/.test(text)) {
      if (response.status === 200 || response.status === 201) throw fail("INVALID_BODY", `answered ${response.status} with an empty body where the operation promises JSON`);
    } else if (/html/i.test(type)) {
      // The start of a non-JSON body (an SSO login page) helps; the start of broken JSON may be a token.
      throw fail("INVALID_BODY", `answered ${response.status} with HTML where the operation promises JSON`, text);
    } else {
      try {
        JSON.parse(text);
      } catch {
        const jsonType = /\bjson\b/i.test(type);
        throw fail("INVALID_BODY", `answered ${response.status} with a body that is not valid JSON${jsonType ? " (truncated or malformed)" : ""}`, jsonType ? undefined : text);
      }
    }
  }
  const headers = new Headers(response.headers);
  headers.delete("content-encoding");
  headers.delete("transfer-encoding");
  headers.set("content-length", String(bytes.byteLength));
  const read = new Response(bytes.byteLength ? (bytes as Uint8Array<ArrayBuffer>) : null, { status: response.status, statusText: response.statusText, headers });
  return withUrl(read, [], response.url);
}

const NULL_BODY = new Set([101, 204, 205, 304]);

// GitHub's messages for the most common App mistakes, and what to do about each.
const HINTS: [number, RegExp, string][] = [
  [401, /JSON web token could not be decoded/i, "the App JWT was not signed by this App's key: check appId and that privateKey is the key downloaded from that App's settings page"],
  [401, /Integration not found/i, "no App has this appId on this server: check appId (an App of GitHub.com or of another GHES does not exist here)"],
];

/** What to do about a server message, as " (…)", or "". */
function hintFor(status: number, message: string): string {
  const hint = HINTS.find(([s, pattern]) => s === status && pattern.test(message))?.[2];
  return hint ? ` (${hint})` : "";
}

/**
 * Reads a non-2xx body once, up to the size limit, into a GhesRequestError and a cleaned error body, and
 * answers with a Response holding that body — so `{ error }` is always an object with a safe `message`
 * (an HTML 502 included), never a string.
 */
async function failureResponse(rt: Runtime, where: Where, response: Response, secrets: string[]): Promise<Response> {
  let text = "";
  try {
    const { bytes, truncated } = await readBody(response, rt.maxResponseBytes, true);
    text = decode(bytes);
    // The cut may have split a secret; drop the tail so redaction never sees half of one.
    if (truncated) text = text.slice(0, -256);
  } catch (e) {
    if (!(e instanceof BodyFailure)) throw e;
  }
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  const raw = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  // GHES's REST API answers 404 with JSON; its web UI with a page: the baseUrl misses /api/v3.
  const webPage = response.status === 404 && !raw && /html/i.test(response.headers.get("content-type") ?? "");
  const message = webPage
    ? `Not Found: the answer is a web page, not the REST API; does baseUrl end with /api/v3 (${new URL(where.url).origin}/api/v3)?`
    : raw && typeof raw.message === "string"
      ? safeServerText(raw.message, { secrets }) + hintFor(response.status, raw.message)
      : describeServerBody(text, secrets) || response.statusText;
  const body: Record<string, unknown> = raw ? { ...raw, message } : { message };
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  headers.delete("content-encoding");
  headers.set("content-type", "application/json; charset=utf-8");
  const error = new GhesRequestError({ ...where, code: "HTTP_ERROR", response, body: raw ?? (webPage ? { message } : text), secrets });
  if (raw && Array.isArray(raw.errors)) body.errors = error.errors;
  const cleaned = new Response(NULL_BODY.has(response.status) ? null : JSON.stringify(body), { status: response.status, statusText: response.statusText, headers });
  withUrl(cleaned, secrets, response.url || where.url);
  // The error was built from the server's response (status, request id); it hands over the cleaned one.
  Object.defineProperty(error, "response", { value: cleaned, enumerable: false, writable: false, configurable: true });
  failures.set(cleaned, error);
  return cleaned;
}

/**
 * The throwing style: the data of a successful call, or the call's GhesRequestError thrown.
 * `const app = await unwrap(github.GET("/app"))` — `app` is typed as the 200 body, never undefined.
 * Timeouts, aborts, network failures and bodies that are not the promised JSON throw in both styles.
 */
export async function unwrap<T>(pending: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await pending;
  if (response.ok && error === undefined) return data as T;
  throw failures.get(response) ?? new GhesRequestError({ code: "HTTP_ERROR", method: "", url: response.url, response, body: error });
}
