import type { Middleware } from "openapi-fetch";
import { checkMaxResponseBytes } from "./body.js";
import { checkMaxConcurrency, Slots } from "./concurrency.js";
import { eraOf } from "./era.js";
import { GhesSdkError } from "./errors.js";
import { checkBaseUrl, checkUserAgent, normaliseHeaders } from "./headers.js";
import { pathSerializer } from "./path.js";
import { DEFAULT_RETRY, resolveRetry } from "./retry.js";
import { createClientRuntime, instrument, notesFor, type Runtime } from "./runtime.js";
import type { Sender } from "./send.js";
import { checkTimeout, DEFAULT_TIMEOUT } from "./timeout.js";
import type { ClientOptions, Era, EraAwareMiddleware, EraDefinition, GhesClient } from "./types.js";
import { checkGhesVersion, versionChecks, type GhesVersionOf, type ServedMap, type ServedPaths } from "./version.js";

/**
 * A client for one era with openapi-fetch's API. The era's headers and the User-Agent are filled in per
 * request only where the caller did not set them, so an explicit header — per request or in
 * `options.headers` — always wins.
 */
export function createEraClient<Paths extends {}>(def: EraDefinition, options: ClientOptions): GhesClient<Paths> {
  const checked = checkOptions(def, options);
  const era = eraOf(def);
  const userAgent = [checked.userAgent, `${def.packageName}/${def.version}`].filter(Boolean).join(" ");
  const custom = checked.fetch;
  const middleware: Middleware[] = [];
  const rt: Runtime = {
    packageName: def.packageName,
    def,
    baseUrl: checked.baseUrl,
    timeout: checked.timeout === undefined ? DEFAULT_TIMEOUT : checkTimeout(def.packageName, "options.timeout", checked.timeout),
    retry: resolveRetry(def.packageName, "options.retry", DEFAULT_RETRY, checked.retry),
    maxResponseBytes: checkMaxResponseBytes(def.packageName, checked.maxResponseBytes),
    onRateLimit: checked.onRateLimit,
    rateLimit: undefined,
    headersFor: (method, path) => ({ ...era.headersFor(method, path), "user-agent": userAgent }),
    warnDeprecations: checked.deprecationWarnings !== false,
    version: versionChecks(def, checked.ghesVersion),
  };
  // Every request — retries and auth's own token mints included — goes through the caller's fetch.
  const notes = notesFor(rt);
  const maxConcurrency = checkMaxConcurrency(def.packageName, checked.maxConcurrency);
  const sender: Sender = {
    packageName: def.packageName,
    baseUrl: checked.baseUrl,
    middleware,
    customFetch: custom,
    fetchRequest: instrument(notes, custom ?? ((request: Request) => globalThis.fetch(request))),
    fetchUrl: (url: string, init: RequestInit) => globalThis.fetch(url, init),
    notes,
    // Auth's own requests (a mint, a lookup) go through fetchRequest and take no slot: a request holding
    // one never waits for them, so they cannot wait behind it.
    slots: maxConcurrency === Number.POSITIVE_INFINITY ? undefined : new Slots(maxConcurrency),
    pathSerializer: pathSerializer(def.packageName),
    querySerializer: undefined,
    bodySerializer: undefined,
    headers: checked.headers as Record<string, unknown> | undefined,
  };
  if (checked.auth) middleware.push(isEraAware(checked.auth) ? checked.auth.forEra(era) : checked.auth);
  return createClientRuntime<Paths>(rt, sender);
}

function isEraAware(auth: Middleware | EraAwareMiddleware): auth is EraAwareMiddleware {
  return typeof (auth as Partial<EraAwareMiddleware>).forEra === "function";
}

/** Rejects bad options at construction, naming the option and never echoing its value. */
function checkOptions(def: EraDefinition, options: ClientOptions): ClientOptions & { baseUrl: string } {
  const packageName = def.packageName;
  const fail = (message: string): never => {
    throw new GhesSdkError(packageName, message);
  };
  if (typeof options !== "object" || options === null) fail("createClient needs an options object with a baseUrl");
  const { baseUrl, fetch, headers, userAgent, auth, onRateLimit, ghesVersion, deprecationWarnings } = options;
  const checkedBaseUrl = checkBaseUrl(packageName, "options.baseUrl", baseUrl);
  if (fetch !== undefined && typeof fetch !== "function") fail("options.fetch must be a function");
  if (onRateLimit !== undefined && typeof onRateLimit !== "function") fail("options.onRateLimit must be a function");
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
