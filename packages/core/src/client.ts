import createOpenApiClient, { type Client, type Middleware } from "openapi-fetch";
import { eraOf } from "./era.js";
import { GhesSdkError } from "./errors.js";
import { pathSerializer } from "./path.js";
import { LightRequest, lightFetch } from "./request.js";
import type { ClientOptions, Era, EraAwareMiddleware, EraDefinition } from "./types.js";

/**
 * An openapi-fetch client for one era. The era's headers and the User-Agent are filled in by a
 * middleware, per request and only where the caller did not set them, so an explicit header — per
 * request or in `options.headers` — always wins.
 */
export function createEraClient<Paths extends {}>(def: EraDefinition, options: ClientOptions): Client<Paths> {
  const checked = checkOptions(def.packageName, options);
  const era = eraOf(def);
  const userAgent = [checked.userAgent, `${def.packageName}/${def.version}`].filter(Boolean).join(" ");

  const client = createOpenApiClient<Paths>({
    baseUrl: checked.baseUrl,
    pathSerializer: pathSerializer(def.packageName, checked.baseUrl),
    // One real Request per call instead of two (see request.ts); middleware still sees a Request.
    Request: LightRequest as unknown as typeof Request,
    fetch: lightFetch(checked.fetch),
    ...(checked.headers ? { headers: checked.headers as Record<string, string> } : {}),
  });

  // The era's headers for an operation never change: computed once per method and path template.
  const eraHeaders = new Map<string, ReadonlyArray<readonly [string, string]>>();
  client.use({
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
  return client;
}

function isEraAware(auth: Middleware | EraAwareMiddleware): auth is EraAwareMiddleware {
  return typeof (auth as Partial<EraAwareMiddleware>).forEra === "function";
}

/** Rejects bad options at construction, naming the option and never echoing its value. */
function checkOptions(packageName: string, options: ClientOptions): ClientOptions {
  const fail = (message: string): never => {
    throw new GhesSdkError(packageName, message);
  };
  if (typeof options !== "object" || options === null) fail("createClient needs an options object with a baseUrl");
  const { baseUrl, fetch, headers, userAgent, auth } = options;
  if (typeof baseUrl !== "string" || baseUrl.trim() === "") {
    fail("options.baseUrl is required, e.g. https://ghes.example.com/api/v3");
  }
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return fail("options.baseUrl is not an absolute URL, e.g. https://ghes.example.com/api/v3");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") fail("options.baseUrl must use http: or https:");
  if (url.username || url.password) {
    fail("options.baseUrl must not carry credentials; pass them with options.auth");
  }
  if (url.search || url.hash) fail("options.baseUrl must not have a query string or fragment");
  if (fetch !== undefined && typeof fetch !== "function") fail("options.fetch must be a function");
  if (headers !== undefined && (typeof headers !== "object" || headers === null)) {
    fail("options.headers must be an object, an array of pairs or a Headers");
  }
  if (userAgent !== undefined && (typeof userAgent !== "string" || /[\r\n]/.test(userAgent))) {
    fail("options.userAgent must be a string without line breaks");
  }
  if (auth !== undefined) {
    const a = auth as Partial<EraAwareMiddleware> | null;
    const hooks = a && ["onRequest", "onResponse", "onError", "forEra"].some((k) => typeof a[k as keyof EraAwareMiddleware] === "function");
    if (!hooks) fail("options.auth must be an openapi-fetch middleware (an object with onRequest/onResponse)");
  }
  // openapi-fetch drops one trailing slash; drop them all so "…/api/v3//" does not produce "//app".
  return { ...options, baseUrl: baseUrl.replace(/\/+$/, "") };
}

/** What an era package exports besides its generated types: its definition, its era and its createClient. */
export interface EraPackage<Paths extends {}> {
  definition: EraDefinition;
  era: Era;
  createClient(options: ClientOptions): Client<Paths>;
}

export function defineEra<Paths extends {}>(definition: EraDefinition): EraPackage<Paths> {
  return {
    definition,
    era: eraOf(definition),
    createClient: (options) => createEraClient<Paths>(definition, options),
  };
}
