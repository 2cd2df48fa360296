import type { Middleware } from "openapi-fetch";
import { BodyFailure, decode, readBody } from "./body.js";
import { warnDeprecated } from "./deprecation.js";
import { findOperation, type FoundOperation } from "./era.js";
import { describeServerBody, GhesRequestError, GhesSdkError, REDACTED, redactUrl, safeServerText } from "./errors.js";
import { checkBaseUrl, normaliseHeaders } from "./headers.js";
import { readRateLimit } from "./ratelimit.js";
import { backoffDelay, isRateLimited, resolveRetry, retriesNetwork, retriesStatus, serverWait } from "./retry.js";
import { send, sending, type LightRequest, type Outgoing, type Sender, type Sent } from "./send.js";
import { checkTimeout, Deadline, type EndsWith } from "./timeout.js";
import type { ClientOptions, EraDefinition, GhesClient, RateLimit, RetryPolicy } from "./types.js";
import type { VersionChecks } from "./version.js";

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
}

/** What a request needs from its operation, computed once per method and path template. */
interface OperationEntry {
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly op: FoundOperation | undefined;
  /** Names of its path parameters that hold secrets. */
  readonly secrets: readonly string[];
}

/** An HTTP error the core middleware read: the error `unwrap` throws and the cleaned body `{ error }` holds. */
interface Failure {
  readonly error: GhesRequestError;
  readonly body: Record<string, unknown>;
  readonly rateLimited: boolean;
}

// Keyed by the Response a caller receives, so unwrap() finds the error of any call of any client.
const failures = new WeakMap<Response, Failure>();
// Errors the fetch itself threw: a network failure, not a bug in a middleware.
const fetchErrors = new WeakSet<object>();

// Path parameters that hold secrets: the token of the token-in-path endpoints
// (`/applications/{client_id}/tokens/{access_token}`, `…/grants/{access_token}`) and the one-time
// code of `/app-manifests/{code}/conversions`, which is exchanged for the app's private key.
const SECRET_PARAMS = new Set(["access_token", "code"]);
const PARAM = /\{([^}]+)\}/g;

function secretNames(schemaPath: string): readonly string[] {
  return [...schemaPath.matchAll(PARAM)].map((m) => m[1]!).filter((n) => SECRET_PARAMS.has(n));
}

const NO_SECRETS: string[] = [];

function secretValues(names: readonly string[], pathParams: unknown): string[] {
  if (names.length === 0) return NO_SECRETS;
  const params = (pathParams ?? {}) as Record<string, unknown>;
  return names.map((n) => params[n]).filter((v): v is string | number => typeof v === "string" || typeof v === "number").map(String);
}

/** The credential of an Authorization header, in every form a server might echo it. */
function credentialSecrets(request: Request | LightRequest): string[] {
  const header = request.headers.get("authorization");
  if (!header) return [];
  const [scheme, value = ""] = header.split(/\s+/, 2);
  const out = [value];
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

/** What a client notes of every fetch: the last rate-limit headers of each response, and which errors came from the network. */
export interface Notes {
  /** Keeps the response's rate-limit headers as the client's `rateLimit`; answers the response. */
  readonly noted: (response: Response) => Response;
  /** Marks an error the fetch itself threw (a network failure, not a middleware's); answers it. */
  readonly fetchFailed: (error: unknown) => unknown;
}

/** The notes of one client (made once per client, not per call). */
export function notesFor(rt: { rateLimit: RateLimit | undefined }): Notes {
  return {
    noted: (response) => {
      const limit = readRateLimit(response.headers);
      if (limit) rt.rateLimit = limit;
      return response;
    },
    fetchFailed: (error) => {
      if (typeof error === "object" && error !== null) fetchErrors.add(error);
      return error;
    },
  };
}

/** A fetch whose every response and failure is noted (see Notes): a call costs one `then` here. */
export function instrument<A extends unknown[]>({ noted, fetchFailed }: Notes, fetch: (...args: A) => Promise<Response>) {
  const failed = (error: unknown): never => {
    throw fetchFailed(error);
  };
  return (...args: A): Promise<Response> => {
    let pending: Promise<Response>;
    try {
      pending = fetch(...args);
    } catch (error) {
      // A fetch that throws instead of rejecting: rejected, as an async function would.
      return Promise.reject(error).catch(failed);
    }
    return Promise.resolve(pending).then(noted, failed);
  };
}

const NULL_BODY = new Set([101, 204, 205, 304]);

/**
 * Reads every non-2xx body once, up to the size limit, into a GhesRequestError and a cleaned error
 * body, and answers with a Response holding that body — so `{ error }` is always an object with a safe
 * `message` (an HTML 502 included), never a string. Runs after every middleware's onResponse, so auth
 * has seen (and maybe retried) the response. `pathSecrets` and `operationId` are the call's.
 */
async function failureResponse(
  rt: Runtime,
  { request, response, pathSecrets, operationId }: { request: Request | LightRequest; response: Response; pathSecrets: string[]; operationId: string | undefined },
): Promise<Response> {
  const secrets = [...pathSecrets, ...credentialSecrets(request)];
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
  const isObject = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed);
  const raw = isObject ? (parsed as Record<string, unknown>) : undefined;
  const message = raw && typeof raw.message === "string" ? safeServerText(raw.message, { secrets }) : describeServerBody(text, secrets) || response.statusText;
  const body: Record<string, unknown> = raw ? { ...raw, message } : { message };
  const url = redactUrl(request.url, pathSecrets);
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  headers.delete("content-encoding");
  headers.set("content-type", "application/json; charset=utf-8");
  const cleaned = new Response(NULL_BODY.has(response.status) ? null : JSON.stringify(body), {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
  Object.defineProperty(cleaned, "url", { value: redactUrl(response.url || request.url, pathSecrets), enumerable: true });
  const error = new GhesRequestError({
    code: "HTTP_ERROR",
    method: request.method,
    url,
    packageName: rt.packageName,
    operationId,
    response: cleaned,
    body: raw ?? text,
    secrets,
  });
  if (raw && Array.isArray(raw.errors)) body.errors = error.errors;
  failures.set(cleaned, { error, body, rateLimited: isRateLimited(response.status, response.headers, raw ? String(raw.message) : text) });
  return cleaned;
}

type Init = Record<string, unknown> & { params?: { path?: unknown }; signal?: AbortSignal | null; parseAs?: string };
type Result = { data?: unknown; error?: unknown; response: Response };

const METHODS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"] as const;
const PARSE_AS = new Set(["json", "text", "blob", "arrayBuffer", "stream"]);

/** One call: the request as send() takes it (see Outgoing), its deadline, and the errors it may end with. */
class Call implements Outgoing, EndsWith {
  readonly deadline: Deadline;
  constructor(
    readonly rt: Runtime,
    readonly method: string,
    readonly schemaPath: string,
    readonly init: Init,
    readonly baseUrl: string | undefined,
    readonly headers: unknown,
    readonly parseAs: string,
    readonly eraHeaders: ReadonlyArray<readonly [string, string]>,
    readonly op: FoundOperation | undefined,
    readonly timeout: number,
    readonly signal: AbortSignal | null | undefined,
  ) {
    // A streamed body is read after the call returns: its deadline must not be shared (see Deadline).
    this.deadline = new Deadline(timeout, signal, parseAs === "stream");
  }

  /** What an error of this call names: its method, its URL (secrets redacted), package and operation. */
  context(): { method: string; url: string; packageName: string; operationId: string | undefined } {
    const { rt } = this;
    return {
      method: this.method,
      url: reportUrl(rt, this.baseUrl ?? rt.baseUrl, this.schemaPath, this.init.params?.path),
      packageName: rt.packageName,
      operationId: this.op?.operationId,
    };
  }

  /** The error the call ends with when its deadline passes. */
  ended(): GhesRequestError {
    const timedOut = this.deadline.cause === "timeout";
    return new GhesRequestError({
      ...this.context(),
      code: timedOut ? "TIMEOUT" : "ABORTED",
      ...(timedOut ? { detail: `timed out after ${this.timeout} ms` } : { cause: this.signal?.reason }),
    });
  }
}

/**
 * One attempt: the request sent through the middleware, then its error body cleaned or its data read.
 * A `then` rather than an async function: a call waiting on the server keeps no suspended frame for it.
 */
function sendAttempt(rt: Runtime, sender: Sender, c: Call, secrets: string[]): Promise<Result> {
  return sending(sender, c).then((sent) => afterSend(rt, c, secrets, sent));
}

function afterSend(rt: Runtime, c: Call, secrets: string[], sent: Sent): Result | Promise<Result> {
  const { response } = sent;
  if (!response.ok) return failed(rt, c, secrets, sent);
  if (secrets.length) Object.defineProperty(response, "url", { value: redactUrl(response.url, secrets), enumerable: true });
  rt.version.afterResponse(sent.request as Request, response, c.schemaPath);
  if (c.parseAs === "stream") return { data: response.body, response };
  return readResult(rt, response, c);
}

async function failed(rt: Runtime, c: Call, secrets: string[], sent: Sent): Promise<Result> {
  const { response } = sent;
  const noted = await rt.version.afterResponse(sent.request as Request, response, c.schemaPath);
  return { response: await failureResponse(rt, { request: sent.request, response: noted ?? response, pathSecrets: secrets, operationId: c.op?.operationId }) };
}

/**
 * A call's attempts, until one succeeds, may not be retried, or the deadline passes. The call's promise is
 * also its race (see Deadline.arm), and the first attempt is a chain of `then`s, not a suspended async
 * frame: most calls end with it, and a call waiting on the server (or behind a mint) keeps only its
 * continuations. Anything else goes on in retrying().
 */
function run(rt: Runtime, sender: Sender, c: Call, policy: Readonly<RetryPolicy>, secrets: string[]): Promise<Result> {
  const { deadline } = c;
  if (deadline.cause) {
    deadline.end();
    return Promise.reject(c.ended());
  }
  return new Promise<Result>((resolve, reject) => {
    // The deadline rejects the call the moment it passes (and lets go of it): whatever the attempt does
    // after that is dropped.
    deadline.arm(reject, c);
    const next = (result: Result | undefined, error: unknown): void => {
      if (deadline.cause) return;
      if (result?.response.ok) {
        deadline.end();
        resolve(result);
      } else resolve(retrying(rt, sender, c, policy, secrets, result, error));
    };
    const threw = (error: unknown): void => next(undefined, error);
    // One race for the whole attempt: the response and, on success, its body as the caller asked.
    send(
      sender,
      c,
      (sent) => {
        if (deadline.cause) return;
        let read: Result | Promise<Result>;
        try {
          read = afterSend(rt, c, secrets, sent);
        } catch (error) {
          return threw(error);
        }
        if (read instanceof Promise) read.then((result) => next(result, undefined), threw);
        else next(read, undefined);
      },
      threw,
    );
  });
}

/** After the first attempt (its result, or what it threw): retries while the policy allows, then the outcome. */
async function retrying(
  rt: Runtime,
  sender: Sender,
  c: Call,
  policy: Readonly<RetryPolicy>,
  secrets: string[],
  first: Result | undefined,
  firstError: unknown,
): Promise<Result> {
  const { deadline } = c;
  let waited = 0;
  let result = first;
  let error = firstError;
  try {
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) {
        try {
          result = await deadline.race(sendAttempt(rt, sender, c, secrets), c);
        } catch (thrownByAttempt) {
          result = undefined;
          error = thrownByAttempt;
        }
      }
      if (!result) {
        const wait = networkRetryWait(c, policy, error, attempt, waited);
        if (wait === undefined) throw thrown(c, error);
        await deadline.sleep(wait, c);
        waited += wait;
        continue;
      }
      const { response } = result;
      if (response.ok) return result;
      const wait = await retryWait(rt, c, policy, response, attempt, waited);
      if (wait === undefined) return { error: failures.get(response)?.body, response };
      await deadline.sleep(wait, c);
      waited += wait;
    }
  } finally {
    deadline.end();
  }
}

/** Whether an attempt threw because no response came at all (the fetch itself failed), not because the call ended or a check failed. */
function noResponse(c: Call, error: unknown): boolean {
  if (error instanceof GhesRequestError || error instanceof GhesSdkError || c.deadline.cause) return false;
  return typeof error === "object" && error !== null && fetchErrors.has(error);
}

/** What an attempt that threw ends the call with: its own error, TIMEOUT/ABORTED, NETWORK, or a middleware's error. */
function thrown(c: Call, error: unknown): unknown {
  if (error instanceof GhesRequestError || error instanceof GhesSdkError) return error;
  if (c.deadline.cause) return c.ended();
  return noResponse(c, error) ? new GhesRequestError({ ...c.context(), code: "NETWORK", cause: error }) : error;
}

/** Whether a wait of `wait` ms fits the policy's total and the call's time left. */
const fits = (c: Call, policy: Readonly<RetryPolicy>, waited: number, wait: number): boolean =>
  waited + wait <= policy.maxTotalWait && wait < c.deadline.remaining();

/**
 * How long to wait before sending again after no response at all (a reset or refused connection): retried
 * like a 503, for the methods the policy retries, within its limit, maxTotalWait and the timeout. Undefined
 * for anything else, or when it may not be retried.
 */
function networkRetryWait(c: Call, policy: Readonly<RetryPolicy>, error: unknown, attempt: number, waited: number): number | undefined {
  if (!noResponse(c, error) || !retriesNetwork(policy, c.method, attempt)) return undefined;
  const wait = backoffDelay(attempt, policy);
  return fits(c, policy, waited, wait) ? wait : undefined;
}

/** How long to wait before retrying an error response, or undefined not to retry (onRateLimit may decide). */
async function retryWait(
  rt: Runtime,
  c: Call,
  policy: Readonly<RetryPolicy>,
  response: Response,
  attempt: number,
  waited: number,
): Promise<number | undefined> {
  const failure = failures.get(response);
  const rateLimited = failure?.rateLimited ?? isRateLimited(response.status, response.headers, undefined);
  const asked = serverWait(response.headers);
  const wait = asked ?? backoffDelay(attempt, policy);
  let retry =
    attempt < policy.limit &&
    retriesStatus(policy, c.method, response.status, rateLimited) &&
    (asked === undefined || asked <= policy.maxRetryAfter) &&
    fits(c, policy, waited, wait);
  if (rateLimited && rt.onRateLimit) {
    const answer = await c.deadline.race(
      Promise.resolve(
        rt.onRateLimit({
          method: c.method,
          url: c.context().url,
          operationId: c.op?.operationId,
          status: response.status,
          rateLimit: readRateLimit(response.headers),
          waitMs: wait,
          attempt,
          willRetry: retry,
        }),
      ),
      c,
    );
    if (answer === true) retry = true;
    else if (answer === false) retry = false;
  }
  return retry ? wait : undefined;
}

/**
 * The client: openapi-fetch's API (`GET`… `request`, `use`, `eject`, the same middleware contract) over
 * the runtime: per-request option checks, the era's headers, deprecation and version checks, one
 * deadline for the whole call (timeout or the caller's signal, ending the call at once whatever it waits
 * on), retries, bodies read within the size limit and checked against the JSON the operation promises,
 * error bodies cleaned into a GhesRequestError, and token-in-path URLs redacted in `response.url`.
 *
 * Per call this costs a Map lookup for the operation, a header record, a shared deadline (see Deadline),
 * the call's own promise (which is also its race) and the middleware's own work; no `Request` is built
 * unless a middleware or a custom fetch needs one.
 */
export function createClientRuntime<Paths extends {}>(rt: Runtime, sender: Sender): GhesClient<Paths> {
  // Keyed by path template, then method: the template is usually a literal, so its hash is cached.
  const perOperation = new Map<string, Record<string, OperationEntry>>();
  const entryFor = (method: string, path: string): OperationEntry => {
    let byMethod = perOperation.get(path);
    let entry = byMethod?.[method];
    if (!entry) {
      entry = { headers: Object.entries(rt.headersFor(method, path)), op: findOperation(rt.def, method, path), secrets: secretNames(path) };
      if (!byMethod && perOperation.size < 512) perOperation.set(path, (byMethod = {})); // bounded: untyped calls may use any path
      if (byMethod) byMethod[method] = entry;
    }
    return entry;
  };

  // Not async: what a call keeps while it waits is run()'s continuation, not this frame. A bad option is still a
  // rejection, as from an async function.
  function call(method: string, path: string, init: Init | undefined): Promise<Result> {
    let c: Call;
    let policy: Readonly<RetryPolicy>;
    let secrets: string[];
    try {
      // Read key by key: an object rest over the init costs more than the rest of the call's bookkeeping.
      const i: Init = init ?? {};
      const { timeout: t, retry: r, signal, parseAs = "json" } = i;
      const timeout = t === undefined ? rt.timeout : checkTimeout(rt.packageName, "the request's timeout", t);
      policy = r === undefined ? rt.retry : resolveRetry(rt.packageName, "the request's retry", rt.retry, r);
      const baseUrl = i.baseUrl === undefined ? undefined : checkBaseUrl(rt.packageName, "the request's baseUrl", i.baseUrl);
      const headers = i.headers === undefined || i.headers === null ? i.headers : normaliseHeaders(rt.packageName, "the request's headers", i.headers);
      if (!PARSE_AS.has(parseAs)) {
        throw new GhesSdkError(rt.packageName, 'the request\'s parseAs must be "json", "text", "blob", "arrayBuffer" or "stream"');
      }
      const entry = entryFor(method, path);
      const { op } = entry;
      secrets = secretValues(entry.secrets, i.params?.path);
      if (rt.warnDeprecations && op?.deprecated) warnDeprecated(rt.packageName, op);
      rt.version.beforeRequest(op);
      // One object per call: the request as send() takes it, its deadline, and the errors it may end with.
      c = new Call(rt, method, path, i, baseUrl, headers, parseAs, entry.headers, op, timeout, signal);
    } catch (error) {
      return Promise.reject(error);
    }
    return run(rt, sender, c, policy, secrets);
  }

  const middleware = sender.middleware;
  const client: Record<string, unknown> = {
    request: (method: string, path: string, init?: Init) => call(String(method).toUpperCase(), path, init),
    use(...added: Middleware[]) {
      for (const m of added) {
        if (!m) continue;
        if (typeof m !== "object" || !("onRequest" in m || "onResponse" in m || "onError" in m)) {
          throw new Error("Middleware must be an object with one of `onRequest()`, `onResponse() or `onError()`");
        }
        middleware.push(m);
      }
    },
    eject(...removed: Middleware[]) {
      for (const m of removed) {
        const i = middleware.indexOf(m);
        if (i !== -1) middleware.splice(i, 1);
      }
    },
  };
  for (const method of METHODS) client[method] = (path: string, init?: Init) => call(method, path, init);
  Object.defineProperty(client, "rateLimit", { get: () => rt.rateLimit, enumerable: true });
  return client as unknown as GhesClient<Paths>;
}

/** The URL a call went to, rebuilt from its template for errors raised before a response: secrets redacted. */
function reportUrl(rt: Runtime, baseUrl: string, path: string, pathParams: unknown): string {
  const params = (pathParams ?? {}) as Record<string, unknown>;
  const filled = path.replace(PARAM, (_m, name: string) => {
    const value = params[name];
    if (SECRET_PARAMS.has(name)) return REDACTED;
    return typeof value === "string" || typeof value === "number" ? encodeURIComponent(String(value)) : `{${name}}`;
  });
  return redactUrl(`${baseUrl ?? rt.baseUrl}${filled}`);
}

/** A 2xx response with its body as the caller asked for it. */
async function readResult(rt: Runtime, response: Response, c: Call): Promise<Result> {
  return { data: await readData(rt, response, c), response };
}

/** A 2xx body as the caller asked for it, read within the limit; JSON that is not JSON is an INVALID_BODY error. */
async function readData(rt: Runtime, response: Response, c: Call): Promise<unknown> {
  const { parseAs } = c;
  if (response.status === 204 || c.method === "HEAD") {
    await response.body?.cancel().catch(() => undefined);
    return undefined;
  }
  const fail = (code: "INVALID_BODY" | "RESPONSE_TOO_LARGE", detail?: string, body?: string, cause?: unknown) =>
    new GhesRequestError({ ...c.context(), code, response, ...(detail ? { detail } : {}), ...(body ? { body } : {}), ...(cause ? { cause } : {}) });
  let bytes: Uint8Array;
  try {
    ({ bytes } = await readBody(response, rt.maxResponseBytes));
  } catch (e) {
    if (!(e instanceof BodyFailure)) throw e;
    if (e.kind === "too-large") throw fail("RESPONSE_TOO_LARGE", `answered ${response.status} with a body larger than maxResponseBytes (${rt.maxResponseBytes})`);
    throw fail("INVALID_BODY", `answered ${response.status} but the connection broke before the body was complete`, undefined, e.cause);
  }
  if (parseAs === "arrayBuffer") return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  if (parseAs === "blob") return new Blob([bytes as Uint8Array<ArrayBuffer>], { type: response.headers.get("content-type") ?? "" });
  const text = decode(bytes);
  if (parseAs === "text") return text;
  if (!/\S/.test(text)) {
    if (response.status === 200 || response.status === 201) {
      throw fail("INVALID_BODY", `answered ${response.status} with an empty body where the operation promises JSON`);
    }
    return undefined;
  }
  const type = response.headers.get("content-type") ?? "";
  // The start of a non-JSON body (an SSO login page) helps; the start of broken JSON may be a token.
  if (/html/i.test(type)) throw fail("INVALID_BODY", `answered ${response.status} with HTML where the operation promises JSON`, text);
  try {
    return JSON.parse(text);
  } catch {
    const jsonType = /\bjson\b/i.test(type);
    throw fail(
      "INVALID_BODY",
      `answered ${response.status} with a body that is not valid JSON${jsonType ? " (truncated or malformed)" : ""}`,
      jsonType ? undefined : text,
    );
  }
}

/**
 * The throwing style: the data of a successful call, or the call's GhesRequestError thrown.
 * `const app = await unwrap(github.GET("/app"))` — `app` is typed as the 200 body, never undefined.
 * Timeouts, aborts, network failures and bodies that are not the promised JSON throw in both styles.
 */
export async function unwrap<T>(pending: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await pending;
  if (response.ok && error === undefined) return data as T;
  throw (
    failures.get(response)?.error ??
    new GhesRequestError({
      code: "HTTP_ERROR",
      method: "",
      url: response.url,
      response,
      body: error,
    })
  );
}
