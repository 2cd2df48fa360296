import createOpenApiClient, { type Middleware } from "openapi-fetch";
import { checkMaxResponseBytes } from "./body.js";
import { eraOf } from "./era.js";
import { GhesSdkError } from "./errors.js";
import { checkBaseUrl, checkUserAgent, normaliseHeaders } from "./headers.js";
import { pathSerializer } from "./path.js";
import { DEFAULT_RETRY, resolveRetry } from "./retry.js";
import { errorMiddleware, instrumentFetch, wrapClient, type Runtime } from "./runtime.js";
import { checkTimeout, DEFAULT_TIMEOUT } from "./timeout.js";
import type { ClientOptions, Era, EraAwareMiddleware, EraDefinition, GhesClient } from "./types.js";

/**
 * An openapi-fetch client for one era. The era's headers and the User-Agent are filled in by a
 * middleware, per request and only where the caller did not set them, so an explicit header — per
 * request or in `options.headers` — always wins.
 */
export function createEraClient<Paths extends {}>(def: EraDefinition, options: ClientOptions): GhesClient<Paths> {
  const checked = checkOptions(def.packageName, options);
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

  // The era's headers for an operation never change: computed once per method and path template.
  const eraHeaders = new Map<string, ReadonlyArray<readonly [string, string]>>();
  client.use(errorMiddleware(rt), {
    onRequest({ request, schemaPath }) {
      const key = `${request.method} ${schemaPath}`;
      let headers = eraHeaders.get(key);
      if (!headers) {
        headers = Object.entries({ ...era.headersFor(request.method, schemaPath), "user-agent": userAgent });
        if (eraHeaders.size < 512) eraHeaders.set(key, headers); // bounded: untyped calls may use any path
      }
      for (const [name, value] of headers) {
        if (!request.headers.has(name)) request.headers.set(name, value);
      }
      return request;
    },
  });
  if (checked.auth) client.use(isEraAware(checked.auth) ? checked.auth.forEra(era) : checked.auth);
  return wrapClient(client, rt);
}

function isEraAware(auth: Middleware | EraAwareMiddleware): auth is EraAwareMiddleware {
  return typeof (auth as Partial<EraAwareMiddleware>).forEra === "function";
}

/** Rejects bad options at construction, naming the option and never echoing its value. */
function checkOptions(packageName: string, options: ClientOptions): ClientOptions & { baseUrl: string } {
  const fail = (message: string): never => {
    throw new GhesSdkError(packageName, message);
  };
  if (typeof options !== "object" || options === null) fail("createClient needs an options object with a baseUrl");
  const { baseUrl, fetch, headers, userAgent, auth, onRateLimit } = options;
  const checkedBaseUrl = checkBaseUrl(packageName, "options.baseUrl", baseUrl);
  if (fetch !== undefined && typeof fetch !== "function") fail("options.fetch must be a function");
  if (onRateLimit !== undefined && typeof onRateLimit !== "function") fail("options.onRateLimit must be a function");
  checkUserAgent(packageName, userAgent);
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
export interface EraPackage<Paths extends {}> {
  definition: EraDefinition;
  era: Era;
  createClient(options: ClientOptions): GhesClient<Paths>;
}

export function defineEra<Paths extends {}>(definition: EraDefinition): EraPackage<Paths> {
  return {
    definition,
    era: eraOf(definition),
    createClient: (options) => createEraClient<Paths>(definition, options),
  };
}
