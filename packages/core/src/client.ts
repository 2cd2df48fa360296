import createClient, { type Middleware } from "openapi-fetch";
import { checkMaxResponseBytes } from "./body.js";
import { checkMaxConcurrency, Slots } from "./concurrency.js";
import { eraOf } from "./era.js";
import { GhesSdkError } from "./errors.js";
import { checkBaseUrl, checkUserAgent, normaliseHeaders } from "./headers.js";
import { pathSerializer } from "./path.js";
import { createRequester, eraMiddleware, noteRateLimit, type Runtime } from "./request.js";
import { DEFAULT_RETRY, resolveRetry } from "./retry.js";
import { checkTimeout, DEFAULT_TIMEOUT } from "./timeout.js";
import type { ClientOptions, Era, EraAwareMiddleware, EraDefinition, GhesClient } from "./types.js";
import { checkGhesVersion, versionChecks, type GhesVersionOf, type ServedMap, type ServedPaths } from "./version.js";

/**
 * A client for one era: an openapi-fetch client (its createClient builds every request) with the era
 * middleware first, then whatever `use()` adds, then `options.auth`, innermost (see createRequester); see
 * request.ts for a request's path.
 * The era's headers and the User-Agent are filled in only where the caller did not set them, so an
 * explicit header — per request or in `options.headers` — always wins.
 */
export function createEraClient<Paths extends {}>(def: EraDefinition, options: ClientOptions): GhesClient<Paths> {
  const checked = checkOptions(def, options);
  const packageName = def.packageName;
  const era = eraOf(def);
  const userAgent = [checked.userAgent, `${packageName}/${def.version}`].filter(Boolean).join(" ");
  const maxConcurrency = checkMaxConcurrency(packageName, checked.maxConcurrency);
  const rt: Runtime = {
    packageName,
    def,
    baseUrl: checked.baseUrl,
    timeout: checked.timeout === undefined ? DEFAULT_TIMEOUT : checkTimeout(packageName, "options.timeout", checked.timeout),
    retry: resolveRetry(packageName, "options.retry", DEFAULT_RETRY, checked.retry),
    maxResponseBytes: checkMaxResponseBytes(packageName, checked.maxResponseBytes),
    onRateLimit: checked.onRateLimit,
    rateLimit: undefined,
    headersFor: (method, path) => ({ ...era.headersFor(method, path), "user-agent": userAgent }),
    warnDeprecations: checked.deprecationWarnings !== false,
    version: versionChecks(def, checked.ghesVersion),
    // The global fetch is looked up per call, so a test (or an APM agent) that replaces it is honoured.
    fetch: checked.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    requestInitExt: checked.requestInitExt,
    slots: maxConcurrency === Number.POSITIVE_INFINITY ? undefined : new Slots(maxConcurrency),
  };
  const { auth, timeout, retry, maxResponseBytes, maxConcurrency: _, onRateLimit, ghesVersion, deprecationWarnings, userAgent: __, fetch, ...fetchOptions } = checked;
  const inner = createClient<any>({ ...fetchOptions, pathSerializer: checked.pathSerializer ?? pathSerializer(packageName, checked.baseUrl) });
  inner.use(eraMiddleware(rt));
  let authMiddleware: Middleware | undefined;
  if (auth) {
    // Auth's own requests (a mint, a lookup) take no slot and are not retried here: a request holding a
    // slot never waits for them, and auth decides itself what to send again.
    const own: Era = { ...era, fetch: (request) => rt.fetch(request, rt.requestInitExt).then((response) => (noteRateLimit(rt, response), response)) };
    authMiddleware = isEraAware(auth) ? auth.forEra(own) : auth;
    inner.use(authMiddleware);
  }
  return createRequester<Paths>(rt, inner, authMiddleware);
}

function isEraAware(auth: NonNullable<ClientOptions["auth"]>): auth is EraAwareMiddleware {
  return typeof (auth as Partial<EraAwareMiddleware>).forEra === "function";
}

// openapi-fetch's own options (with the RequestInit keys it passes to every Request), then ours.
const FETCH_OPTIONS = ["baseUrl", "fetch", "Request", "querySerializer", "bodySerializer", "pathSerializer", "headers", "requestInitExt"];
const REQUEST_INIT = ["cache", "credentials", "integrity", "keepalive", "mode", "priority", "redirect", "referrer", "referrerPolicy"];
const OWN_OPTIONS = ["userAgent", "auth", "timeout", "retry", "maxResponseBytes", "maxConcurrency", "onRateLimit", "ghesVersion", "deprecationWarnings"];
const KNOWN = new Set([...FETCH_OPTIONS, ...REQUEST_INIT, ...OWN_OPTIONS]);
// Names that would be accepted by a Request but do nothing for a client, with what to use instead.
const INSTEAD: Record<string, string> = {
  dispatcher: "pass undici's dispatcher as requestInitExt: { dispatcher }",
  agent: "pass an undici Agent as requestInitExt: { dispatcher }",
  signal: "pass a signal per request: github.GET(path, { signal })",
  body: "pass a body per request",
  method: "use the client's GET, POST, … methods",
  window: "it has no meaning outside a browser's window",
};

/** Rejects bad options at construction, naming the option and never echoing its value. */
function checkOptions(def: EraDefinition, options: ClientOptions): ClientOptions & { baseUrl: string } {
  const packageName = def.packageName;
  const fail = (message: string): never => {
    throw new GhesSdkError(packageName, message);
  };
  if (typeof options !== "object" || options === null) fail("createClient needs an options object with a baseUrl");
  for (const name of Object.keys(options)) {
    if (KNOWN.has(name)) continue;
    const hint = INSTEAD[name] ?? didYouMean(name);
    fail(`options.${name.slice(0, 40)} is not an option of createClient${hint ? `: ${hint}` : ""}`);
  }
  const { baseUrl, headers, userAgent, auth, ghesVersion, deprecationWarnings, requestInitExt } = options;
  const checkedBaseUrl = checkBaseUrl(packageName, "options.baseUrl", baseUrl);
  for (const name of ["fetch", "onRateLimit", "Request", "querySerializer", "bodySerializer", "pathSerializer"] as const) {
    const value: unknown = options[name];
    // openapi-fetch also takes querySerializer options as an object.
    if (value !== undefined && typeof value !== "function" && !(name === "querySerializer" && typeof value === "object" && value !== null)) fail(`options.${name} must be a function`);
  }
  if (requestInitExt !== undefined && (typeof requestInitExt !== "object" || requestInitExt === null)) fail("options.requestInitExt must be an object, e.g. { dispatcher }");
  checkUserAgent(packageName, userAgent);
  if (ghesVersion !== undefined && def.ghes) checkGhesVersion(packageName, ghesVersion, def.ghes);
  if (deprecationWarnings !== undefined && typeof deprecationWarnings !== "boolean") fail("options.deprecationWarnings must be a boolean");
  if (auth !== undefined) {
    const a = auth as Partial<EraAwareMiddleware> | null;
    const hooks = a && ["onRequest", "onResponse", "onError", "forEra"].some((k) => typeof a[k as keyof EraAwareMiddleware] === "function");
    if (!hooks) fail("options.auth must be an openapi-fetch middleware (an object with onRequest/onResponse)");
  }
  return {
    ...options,
    baseUrl: checkedBaseUrl,
    ...(headers === undefined ? {} : { headers: normaliseHeaders(packageName, "options.headers", headers) as Record<string, string> }),
  };
}

/** The known option closest to a misspelt one (at most two edits away), as a hint. */
function didYouMean(name: string): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const known of KNOWN) {
    const d = distance(name.toLowerCase(), known.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [known, d];
  }
  return best ? `did you mean ${best}?` : "";
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

/** What an era package exports besides its generated types: its definition, its era and its createClient. */
export interface EraPackage<Paths extends {}, Served extends ServedMap = {}> {
  definition: EraDefinition;
  era: Era;
  /** With a known `ghesVersion`, the client's paths are those that version serves. */
  createClient<V extends GhesVersionOf<Served>>(options: ClientOptions & { ghesVersion: V }): GhesClient<ServedPaths<Paths, Served[V]>>;
  /** Without one (or with a version only known at run time, such as detectGhes()'s), every path of the era. */
  createClient(options: ClientOptions & { ghesVersion?: undefined }): GhesClient<Paths>;
  createClient<V extends string>(
    options: ClientOptions & { ghesVersion: V } & (string extends V ? unknown : { ghesVersion: GhesVersionOf<Served> }),
  ): GhesClient<Paths>;
}

export function defineEra<Paths extends {}, Served extends ServedMap = {}>(definition: EraDefinition): EraPackage<Paths, Served> {
  return {
    definition,
    era: eraOf(definition),
    createClient: ((options: ClientOptions) => createEraClient<Paths>(definition, options)) as EraPackage<Paths, Served>["createClient"],
  };
}
