import createOpenApiClient, { type Middleware } from "openapi-fetch";
import { checkMaxResponseBytes } from "./body.js";
import { eraOf, findOperation, type FoundOperation } from "./era.js";
import { warnDeprecated } from "./deprecation.js";
import { GhesSdkError } from "./errors.js";
import { checkBaseUrl, checkUserAgent, normaliseHeaders } from "./headers.js";
import { pathSerializer } from "./path.js";
import { DEFAULT_RETRY, resolveRetry } from "./retry.js";
import { failureResponse, instrumentFetch, wrapClient, type Runtime } from "./runtime.js";
import { checkTimeout, DEFAULT_TIMEOUT } from "./timeout.js";
import type { ClientOptions, Era, EraAwareMiddleware, EraDefinition, GhesClient } from "./types.js";
import { checkGhesVersion, versionChecks, type GhesVersionOf, type ServedMap, type ServedPaths } from "./version.js";

/**
 * An openapi-fetch client for one era. The era's headers and the User-Agent are filled in by a
 * middleware, per request and only where the caller did not set them, so an explicit header — per
 * request or in `options.headers` — always wins.
 */
export function createEraClient<Paths extends {}>(def: EraDefinition, options: ClientOptions): GhesClient<Paths> {
  const checked = checkOptions(def, options);
  const era = eraOf(def);
  const userAgent = [checked.userAgent, `${def.packageName}/${def.version}`].filter(Boolean).join(" ");
  const rt: Runtime = {
    packageName: def.packageName,
    def,
    baseUrl: checked.baseUrl,
    timeout: checked.timeout === undefined ? DEFAULT_TIMEOUT : checkTimeout(def.packageName, "options.timeout", checked.timeout),
    retry: resolveRetry(def.packageName, "options.retry", DEFAULT_RETRY, checked.retry),
    maxResponseBytes: checkMaxResponseBytes(def.packageName, checked.maxResponseBytes),
    onRateLimit: checked.onRateLimit,
    rateLimit: undefined,
  };

  // Every request — retries and auth's own token mints included — goes through the caller's fetch.
  const client = createOpenApiClient<Paths>({
    baseUrl: checked.baseUrl,
    pathSerializer: pathSerializer(def.packageName, checked.baseUrl),
    fetch: instrumentFetch(rt, checked.fetch ?? ((request: Request) => globalThis.fetch(request))),
    ...(checked.headers ? { headers: checked.headers as Record<string, string> } : {}),
  });

  // What a request needs from its operation never changes: the era's headers (with the User-Agent) and
  // the table row, computed once per method and path template. One middleware does the era's work — the
  // headers, the deprecation and version warnings before the request; the version reason and the error
  // body after it (in that order, after auth) — so a request pays for one hook each way.
  const perOperation = new Map<string, OperationEntry>();
  const warnDeprecations = checked.deprecationWarnings !== false;
  const version = versionChecks(def, checked.ghesVersion);
  client.use({
    onRequest({ request, schemaPath }) {
      const key = `${request.method} ${schemaPath}`;
      let entry = perOperation.get(key);
      if (!entry) {
        entry = {
          headers: Object.entries({ ...era.headersFor(request.method, schemaPath), "user-agent": userAgent }),
          op: findOperation(def, request.method, schemaPath),
        };
        if (perOperation.size < 512) perOperation.set(key, entry); // bounded: untyped calls may use any path
      }
      for (const [name, value] of entry.headers) {
        if (!request.headers.has(name)) request.headers.set(name, value);
      }
      if (warnDeprecations && entry.op?.deprecated) warnDeprecated(def.packageName, entry.op);
      version.beforeRequest(entry.op);
      return request;
    },
    onResponse(p) {
      const noted = version.afterResponse(p.request, p.response, p.schemaPath);
      if (p.response.ok) return undefined; // afterResponse reads nothing for a 2xx
      // A version mismatch is appended to the message of the body failureResponse then reads.
      return (async () => failureResponse(rt, { ...p, response: (await noted) ?? p.response }))();
    },
  });
  if (checked.auth) client.use(isEraAware(checked.auth) ? checked.auth.forEra(era) : checked.auth);
  return wrapClient(client, rt);
}

interface OperationEntry {
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly op: FoundOperation | undefined;
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
