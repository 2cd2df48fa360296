/**
 * The one error type every `@ghes-sdk` client throws for bad input. The message always starts with the
 * package that raised it and names the offending option or parameter — never its value, because values
 * here are often secrets (tokens travel in path parameters on the deprecated token-in-path endpoints).
 */
export class GhesSdkError extends Error {
  override name = "GhesSdkError";
  constructor(packageName: string, message: string) {
    super(`${packageName}: ${message}`);
  }
}

/** The checks of one option: `fail(problem)` throws a GhesSdkError saying `where` + `problem`. */
export const failFor =
  (packageName: string, where: string) =>
  (problem: string): never => {
    throw new GhesSdkError(packageName, where + problem);
  };

/** What a secret is shown as wherever the SDK reports server text or a URL. */
export const REDACTED = "[REDACTED]";

/**
 * Why a request failed. `status` is 0 exactly when no response arrived (TIMEOUT, ABORTED, NETWORK).
 * - HTTP_ERROR: the server answered a non-2xx status.
 * - INVALID_BODY: the server answered, but the body is not the JSON the operation promises (an HTML
 *   login page with 200, truncated JSON, an empty 200, a connection reset mid-body).
 * - RESPONSE_TOO_LARGE: the body is larger than the client's `maxResponseBytes`.
 * - TIMEOUT: the call's `timeout` ran out (everything it waited on was ended).
 * - ABORTED: the caller's `AbortSignal` fired.
 * - NETWORK: no response at all (connection refused or reset, DNS, TLS).
 */
export type GhesRequestErrorCode = "HTTP_ERROR" | "INVALID_BODY" | "RESPONSE_TOO_LARGE" | "TIMEOUT" | "ABORTED" | "NETWORK";

/** One entry of the `errors` array of GitHub's validation-error body (422), cleaned like the message. */
export interface GitHubErrorDetail {
  resource?: string;
  field?: string;
  code?: string;
  message?: string;
}

export interface GhesRequestErrorInit {
  code: GhesRequestErrorCode;
  /** HTTP method, any case. */
  method: string;
  /** The request URL; query values and path segments holding secrets are redacted again here anyway. */
  url: string;
  /** The package reporting the failure; defaults to `@ghes-sdk/core`. */
  packageName?: string;
  operationId?: string;
  status?: number;
  response?: Response;
  /** The response body as read: GitHub's parsed JSON error object, or text. */
  body?: unknown;
  /** Replaces the default description of what happened (e.g. "timed out after 30000 ms"). */
  detail?: string;
  /** Values to redact from server text besides the token shapes the SDK knows (see safeServerText). */
  secrets?: ReadonlyArray<string | undefined>;
  cause?: unknown;
}

/** Longest message taken from a server, after redaction and cleaning. */
export const MAX_SERVER_TEXT = 500;

/**
 * The error every `@ghes-sdk` client reports a failed request with — HTTP errors, bodies that are not the
 * promised JSON, timeouts, aborts and network failures alike (see `code`). Nothing in it holds a secret:
 * `url` and the message have token-in-path segments and credential query values redacted, server text is
 * redacted before it is cut, stripped of control characters and ANSI escapes, and capped; `response`
 * (non-enumerable, so logs stay short) has the same redacted `url`.
 */
export class GhesRequestError extends Error {
  override readonly name = "GhesRequestError";
  // Set together by one Object.assign in the constructor (every one of them, operationId included, is an own property).
  declare readonly code: GhesRequestErrorCode;
  /** The HTTP status, or 0 when no response arrived. */
  declare readonly status: number;
  /** Upper-case HTTP method. */
  declare readonly method: string;
  /** The request URL with secrets redacted. */
  declare readonly url: string;
  /** GitHub's `X-GitHub-Request-Id`, when the server sent one — quote it to a GHES admin. */
  declare readonly requestId: string | undefined;
  /** `documentation_url` of GitHub's error body. */
  declare readonly documentationUrl: string | undefined;
  /** `errors` of GitHub's validation-error body (422), cleaned. */
  declare readonly errors: readonly GitHubErrorDetail[];
  declare readonly operationId?: string;
  declare readonly response: Response | undefined;

  constructor(init: GhesRequestErrorInit) {
    const method = init.method.toUpperCase();
    const secrets = init.secrets ?? [];
    const url = redactUrl(init.url, secrets.filter((s): s is string => typeof s === "string" && s.length >= 4)).replace(SECRET_SHAPES, REDACTED);
    const status = init.status ?? init.response?.status ?? 0;
    const requestId = cleanHeader(init.response?.headers.get("x-github-request-id"));
    const body = init.body;
    let serverMessage = "";
    let documentationUrl: string | undefined;
    let errors: GitHubErrorDetail[] = [];
    if (body !== null && typeof body === "object" && !Array.isArray(body)) {
      const b = body as Record<string, unknown>;
      if (typeof b.message === "string") serverMessage = safeServerText(b.message, { secrets });
      if (typeof b.documentation_url === "string") documentationUrl = safeServerText(b.documentation_url, { secrets, max: 300 });
      if (Array.isArray(b.errors)) errors = b.errors.slice(0, 20).map((e) => cleanDetail(e, secrets));
    } else if (typeof body === "string" && body !== "") {
      serverMessage = describeServerBody(body, secrets);
    }
    const operation = `${method} ${url}${init.operationId ? ` (${init.operationId})` : ""}`;
    const detail = init.detail ?? defaultDetail(init.code, status, init.response?.statusText);
    const message = [
      `${init.packageName ?? "@ghes-sdk/core"}: ${operation} ${detail}`,
      serverMessage ? `: ${serverMessage}` : "",
      errors.length ? ` (${errors.map(describeDetail).join("; ")})` : "",
      requestId ? ` [request id ${requestId}]` : "",
    ].join("");
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    Object.assign(this, { code: init.code, status, method, url, requestId, documentationUrl, errors, operationId: init.operationId });
    Object.defineProperty(this, "response", { value: init.response, enumerable: false, writable: false, configurable: true });
  }
}

function defaultDetail(code: GhesRequestErrorCode, status: number, statusText = ""): string {
  switch (code) {
    case "HTTP_ERROR":
      return `failed with ${status}${statusText ? ` ${safeServerText(statusText, { max: 60 })}` : ""}`;
    case "INVALID_BODY":
      return `answered ${status} with a body that is not the JSON the operation promises`;
    case "RESPONSE_TOO_LARGE":
      return `answered ${status} with a body larger than the client's maxResponseBytes`;
    case "TIMEOUT":
      return "timed out";
    case "ABORTED":
      return "was aborted by the caller's signal";
    case "NETWORK":
      return "failed: the request did not complete";
  }
}

// Socket and TLS error codes a fetch failure carries in its `cause` chain, and what to do about each.
const NETWORK_HINTS: [RegExp, string][] = [
  [/^ECONNREFUSED$/, "the connection was refused: is GHES listening at this host and port (baseUrl)?"],
  [/^(ENOTFOUND|EAI_AGAIN|EAI_NONAME)$/, "the host name could not be resolved: check baseUrl's host"],
  [/^(ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT)$/, "connecting timed out: is the host reachable from here (firewall, proxy)?"],
  [/^(ECONNRESET|EPIPE|UND_ERR_SOCKET)$/, "the connection was closed before the answer arrived"],
  [
    /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS/,
    "the server's TLS certificate is not trusted: pass your GHES's CA with requestInitExt: { dispatcher: new Agent({ connect: { ca } }) } (undici)",
  ],
];

/**
 * The detail of a NETWORK error: the socket or TLS error code found in the failure's `cause` chain (fetch
 * puts ECONNREFUSED two causes deep) and what to do about it.
 */
export function networkDetail(failure: unknown): string {
  for (let e = failure, depth = 0; typeof e === "object" && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== "string" || !/^[A-Z0-9_]{2,60}$/.test(code)) continue;
    const hint = NETWORK_HINTS.find(([pattern]) => pattern.test(code))?.[1];
    return `failed (${code})${hint ? `: ${hint}` : ""}`;
  }
  return "failed: the request did not complete";
}

function cleanDetail(entry: unknown, secrets: ReadonlyArray<string | undefined>): GitHubErrorDetail {
  if (typeof entry === "string") return { message: safeServerText(entry, { secrets, max: 200 }) };
  const out: GitHubErrorDetail = {};
  if (entry === null || typeof entry !== "object") return out;
  for (const key of ["resource", "field", "code", "message"] as const) {
    const value = (entry as Record<string, unknown>)[key];
    if (typeof value === "string") out[key] = safeServerText(value, { secrets, max: 200 });
  }
  return out;
}

function describeDetail(d: GitHubErrorDetail): string {
  return [d.resource, d.field, d.code, d.message].filter(Boolean).join(" ");
}

function cleanHeader(value: string | null | undefined): string | undefined {
  return safeServerText(value, { max: 100 }) || undefined;
}

/** The start of a non-JSON server body (HTML error pages included) as safe text: tags dropped, then safeServerText. */
export function describeServerBody(text: string, secrets: ReadonlyArray<string | undefined> = []): string {
  return safeServerText(stripTags(text), { secrets, max: 200 });
}

function stripTags(text: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1];
  const rest = text.replace(/<(head|script|style)[^>]*>[\s\S]*?<\/\1>/gi, " ").replace(/<[^>]*>/g, " ");
  return title && !rest.includes(title.trim()) ? `${title} ${rest}` : rest;
}

// Token shapes GitHub issues (user, OAuth, installation, refresh and fine-grained tokens — installation
// tokens also in GHES 3.22's stateless `ghs_<APPID>_<JWT>` form, dots and dashes included; GHES 2.x's
// `v1.` installation tokens and classic 40-hex tokens), JWTs, Authorization values and PEM private keys.
// (`\w` is [A-Za-z0-9_]: the regex has no `u` or `i` flag.)
const SECRET_SHAPES =
  /\bgh[pousr]_[\w.-]{16,}|\bgithub_pat_\w{20,}|\bv1\.[0-9a-f]{40}\b|\b[0-9a-f]{40}\b|\beyJ[\w-]*\.[\w-]+\.[\w-]*|\b(?:Basic|Bearer|token)\s+[\w+/.=-]{8,}|-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g;
// ANSI/VT escape sequences: CSI, OSC (ended by BEL or ST) and two-byte escapes.
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]?/g;
// C0/C1 controls (line breaks included), DEL, and the bidi controls that can reorder what a log shows.
const CONTROLS = /[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;

export interface SafeServerTextOptions {
  /** Values to redact (also in their percent-encoded and base64 forms); ones under 4 characters are ignored. */
  secrets?: ReadonlyArray<string | undefined>;
  /** Longest result, in characters, including the trailing "…"; default MAX_SERVER_TEXT (500). */
  max?: number;
}

/**
 * Makes text that came from a server safe to put in an error message or a log line: first every known
 * secret (the `secrets` given, in plain, percent-encoded and base64 form) and every token-shaped string is
 * replaced by [REDACTED] — on the whole text, so cutting can never leave part of a secret behind — then
 * ANSI escapes are removed, control and bidi characters become spaces, whitespace runs collapse, and the
 * result is cut to `max` characters.
 */
export function safeServerText(text: unknown, options: SafeServerTextOptions = {}): string {
  let out = text === undefined || text === null ? "" : String(text);
  for (const secret of options.secrets ?? []) {
    if (!secret || secret.length < 4) continue;
    for (const form of new Set([secret, encodeURIComponent(secret), toBase64(secret)])) out = out.split(form).join(REDACTED);
  }
  out = out.replace(SECRET_SHAPES, REDACTED).replace(ANSI, "").replace(CONTROLS, " ").replace(/\s+/g, " ").trim();
  const max = options.max ?? MAX_SERVER_TEXT;
  if (out.length <= max) return out;
  let cut = Math.max(0, max - 1);
  // Do not split a surrogate pair.
  if (cut > 0 && /[\ud800-\udbff]/.test(out[cut - 1]!)) cut -= 1;
  return `${out.slice(0, cut)}…`;
}

function toBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

// Query parameters that carry credentials (GitHub once accepted them in the query string).
const SECRET_QUERY = /([?&](?:access_token|token|client_secret|password|code|state)=)[^&#]*/gi;

/**
 * A URL safe to report: credential query values and the given path values (percent-encoded as the SDK
 * sends them) become [REDACTED], and user:password is dropped. Used for `GhesRequestError.url`,
 * `response.url` and messages.
 */
export function redactUrl(url: string, secretPathValues: readonly string[] = []): string {
  let out = url.replace(SECRET_QUERY, `$1${REDACTED}`);
  if (out.includes("@")) out = out.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@?#]*@/i, "$1");
  for (const value of secretPathValues) {
    if (!value) continue;
    const encoded = encodeURIComponent(value);
    out = out.split(`/${encoded}`).join(`/${REDACTED}`);
    if (encoded !== value) out = out.split(`/${value}`).join(`/${REDACTED}`);
  }
  return out;
}
