import createOpenApiClient, { type Client, type Middleware } from "openapi-fetch";
import { eraOf } from "./era.js";
import { GhesSdkError } from "./errors.js";
import { deprecationMiddleware } from "./deprecation.js";
import { pathSerializer } from "./path.js";
import type { ClientOptions, Era, EraAwareMiddleware, EraDefinition } from "./types.js";
import { checkGhesVersion, versionMiddleware, type GhesVersionOf, type ServedMap, type ServedPaths } from "./version.js";

/**
 * An openapi-fetch client for one era. The era's headers and the User-Agent are filled in by a
 * middleware, per request and only where the caller did not set them, so an explicit header — per
 * request or in `options.headers` — always wins.
 */
export function createEraClient<Paths extends {}>(def: EraDefinition, options: ClientOptions): Client<Paths> {
  const checked = checkOptions(def, options);
  const era = eraOf(def);
  const userAgent = [checked.userAgent, `${def.packageName}/${def.version}`].filter(Boolean).join(" ");

  const client = createOpenApiClient<Paths>({
    baseUrl: checked.baseUrl,
    pathSerializer: pathSerializer(def.packageName, checked.baseUrl),
    ...(checked.fetch ? { fetch: checked.fetch } : {}),
    ...(checked.headers ? { headers: checked.headers as Record<string, string> } : {}),
  });

  client.use({
    onRequest({ request, schemaPath }) {
      const headers = { ...era.headersFor(request.method, schemaPath), "user-agent": userAgent };
      for (const [name, value] of Object.entries(headers)) {
        if (!request.headers.has(name)) request.headers.set(name, value);
      }
      return request;
    },
  });
  if (checked.deprecationWarnings !== false) client.use(deprecationMiddleware(def));
  client.use(versionMiddleware(def, checked.ghesVersion));
  if (checked.auth) client.use(isEraAware(checked.auth) ? checked.auth.forEra(era) : checked.auth);
  return client;
}

function isEraAware(auth: Middleware | EraAwareMiddleware): auth is EraAwareMiddleware {
  return typeof (auth as Partial<EraAwareMiddleware>).forEra === "function";
}

/** Rejects bad options at construction, naming the option and never echoing its value. */
function checkOptions(def: EraDefinition, options: ClientOptions): ClientOptions {
  const packageName = def.packageName;
  const fail = (message: string): never => {
    throw new GhesSdkError(packageName, message);
  };
  if (typeof options !== "object" || options === null) fail("createClient needs an options object with a baseUrl");
  const { baseUrl, fetch, headers, userAgent, auth, ghesVersion, deprecationWarnings } = options;
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
  if (ghesVersion !== undefined && def.ghes) checkGhesVersion(def.packageName, ghesVersion, def.ghes);
  if (deprecationWarnings !== undefined && typeof deprecationWarnings !== "boolean") fail("options.deprecationWarnings must be a boolean");
  if (auth !== undefined) {
    const a = auth as Partial<EraAwareMiddleware> | null;
    const hooks = a && ["onRequest", "onResponse", "onError", "forEra"].some((k) => typeof a[k as keyof EraAwareMiddleware] === "function");
    if (!hooks) fail("options.auth must be an openapi-fetch middleware (an object with onRequest/onResponse)");
  }
  // openapi-fetch drops one trailing slash; drop them all so "…/api/v3//" does not produce "//app".
  return { ...options, baseUrl: baseUrl.replace(/\/+$/, "") };
}

/** What an era package exports besides its generated types: its definition, its era and its createClient. */
export interface EraPackage<Paths extends {}, Served extends ServedMap = {}> {
  definition: EraDefinition;
  era: Era;
  /** With a known `ghesVersion`, the client's paths are those that version serves. */
  createClient<V extends GhesVersionOf<Served>>(options: ClientOptions & { ghesVersion: V }): Client<ServedPaths<Paths, Served[V]>>;
  /** Without one (or with a version only known at run time, such as detectGhes()'s), every path of the era. */
  createClient(options: ClientOptions & { ghesVersion?: undefined }): Client<Paths>;
  createClient<V extends string>(options: ClientOptions & { ghesVersion: V } & (string extends V ? unknown : { ghesVersion: GhesVersionOf<Served> })): Client<Paths>;
}

export function defineEra<Paths extends {}, Served extends ServedMap = {}>(definition: EraDefinition): EraPackage<Paths, Served> {
  return {
    definition,
    era: eraOf(definition),
    createClient: ((options: ClientOptions) => createEraClient<Paths>(definition, options)) as EraPackage<Paths, Served>["createClient"],
  };
}
