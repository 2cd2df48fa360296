import {
  DEFAULT_TIMEOUT,
  detectGhes,
  eraRanges,
  featureRelease,
  GhesRequestError,
  GhesSdkError,
  isServed,
  safeServerText,
  type ClientOptions,
  type DetectedGhes,
  type EraDefinition,
  type EraName,
  type GhesClient,
} from "@ghes-sdk/core";
import { apiRoot } from "./base-url.js";
import { PACKAGE } from "./errors.js";

/** What connect needs of an era package; its namespace (`import * as ghes3x from "@ghes-sdk/ghes-3.x"`) has both. */
export interface EraModule {
  readonly definition: EraDefinition;
  createClient(options: ClientOptions): GhesClient<any>;
}

/** An era package, or a function that loads it (`() => import("@ghes-sdk/ghes-3.x")`) once a server of that era is found. */
export type EraSource = EraModule | (() => Promise<EraModule>);

/** The eras a connect function may answer with, by name. */
export type EraSources = { readonly [E in EraName]?: EraSource };

/** `"2022-11-28"` for an era named by a REST API version (`ghes-2022-11-28`), undefined for the others. */
export type ApiVersionOf<E extends string> = E extends `ghes-${infer Y}-${infer M}-${infer D}` ? `${Y}-${M}-${D}` : undefined;

/** One member of what connect answers: the era that serves the server, with that era's client. */
export interface ConnectedEra<E extends EraName, Client> {
  /** The era serving the server (for GHES 3.21+, the one of the API version asked for). */
  readonly era: E;
  /** The era's client for the server's API root: what the era package's `createClient` returns. */
  readonly client: Client;
  /** The version the server reports, as it reports it (`3.4.2`). */
  readonly version: string;
  /** Its feature release (`3.4`); the client was created with it as `ghesVersion`. */
  readonly featureRelease: string;
  /** The REST API version the client sends as `X-GitHub-Api-Version` (eras named by one), else undefined. */
  readonly apiVersion: ApiVersionOf<E>;
  /** The REST API root the client talks to, e.g. `https://ghes.example.com/api/v3`. */
  readonly baseUrl: string;
}

type ModuleOf<S> = S extends () => Promise<infer M> ? M : S;
// An era package's createClient is overloaded; its last signature answers the client with every path of the era.
type ClientOf<M> = M extends { createClient(...args: any): infer C } ? C : never;

/** The union connect answers for these eras, discriminated by `era`. */
export type Connected<S extends EraSources> = {
  [E in keyof S & EraName]-?: ConnectedEra<E, ClientOf<ModuleOf<NonNullable<S[E]>>>>;
}[keyof S & EraName];

/** The REST API versions these eras are named by. */
export type ApiVersionIn<S extends EraSources> = Exclude<ApiVersionOf<keyof S & EraName>, undefined>;

/**
 * createClient's options (the detected feature release becomes its `ghesVersion`), plus `apiVersion` —
 * which REST API version to use where a server serves several (GHES 3.21+) — and a `signal` for detection.
 */
export type ConnectOptions<A = string> = Omit<ClientOptions, "ghesVersion"> & {
  /** The REST API version to use; default: the oldest the server serves, which it answers requests without the header with. */
  apiVersion?: A;
  /** Aborts detection (each of the client's calls takes its own). */
  signal?: AbortSignal;
};

/** Detects the server, then answers the era that serves it with that era's client. */
export type Connect<S extends EraSources> = <const A extends ApiVersionIn<S> | undefined = undefined>(
  options: ConnectOptions<A>,
) => Promise<[A] extends [string] ? Extract<Connected<S>, { apiVersion: A }> : Connected<S>>;

type Range = (typeof eraRanges)[number];

const apiVersionOf = (era: string): string | undefined => eraRanges.find((r) => r.era === era)?.apiVersion;

function describeEras(ranges: readonly Range[]): string {
  return ranges
    .map((r) => {
      const api = apiVersionOf(r.era);
      return `${r.until ? `${r.since}–${r.until}` : `${r.since} and later`} (${r.packageName}${api ? `, REST API ${api}` : ""})`;
    })
    .join(", ");
}

function fail(message: string, cause?: unknown): never {
  const error = new GhesSdkError(PACKAGE, message);
  if (cause !== undefined) error.cause = cause;
  throw error;
}

/**
 * A connect function that answers with one of `eras` — each an era package (its namespace import) or a
 * function that imports it. Only the eras named here are in a program's bundle; `connect` is this with every
 * era, each loaded by `import()` when a server of that era is found.
 */
export function createConnect<const S extends EraSources>(eras: S): Connect<S> {
  if (typeof eras !== "object" || eras === null || Array.isArray(eras)) {
    fail('createConnect needs an object of eras by name, e.g. { "ghes-3.x": ghes3x } with import * as ghes3x from "@ghes-sdk/ghes-3.x"');
  }
  const names = Object.keys(eras);
  if (names.length === 0) fail(`createConnect needs at least one era; the eras are ${eraRanges.map((r) => r.era).join(", ")}`);
  for (const name of names) {
    if (!eraRanges.some((r) => r.era === name)) {
      fail(`createConnect: ${JSON.stringify(name.slice(0, 40))} is not an era of this SDK; the eras are ${eraRanges.map((r) => r.era).join(", ")}`);
    }
    const source: unknown = eras[name as EraName];
    if (typeof source !== "function") checkModule(name, source);
  }
  // Oldest first, as eraRanges is: without an apiVersion the oldest era serving a version is chosen.
  const given = eraRanges.filter((r) => names.includes(r.era));
  const apiVersions = [...new Set(given.map((r) => apiVersionOf(r.era)).filter((v) => v !== undefined))];

  const connect = async (options: ConnectOptions<string | undefined>) => {
    if (typeof options !== "object" || options === null) fail("connect needs an options object with a baseUrl, e.g. { baseUrl: \"ghes.example.com\", auth }");
    const { apiVersion, signal, ...clientOptions } = options;
    if ("ghesVersion" in clientOptions) fail("options.ghesVersion is not an option of connect: it detects the server's version and creates the client with it");
    if ("eras" in clientOptions) fail("options.eras is not an option of connect: pass the eras to createConnect({ ... }) and call the function it returns");
    if (apiVersion !== undefined && !apiVersions.includes(apiVersion)) {
      fail(`options.apiVersion must be one of ${apiVersions.map((v) => JSON.stringify(v)).join(", ") || "(none: no era given is named by a REST API version)"}, or left out for the server's default`);
    }
    const baseUrl = apiRoot(clientOptions.baseUrl);
    const found = await detect(baseUrl, clientOptions, signal, given);
    // The version is the server's text; it goes into messages below.
    const detected = { ...found, version: safeServerText(found.version, { max: 40 }) };

    const chosen = choose(given, detected, apiVersion);
    const source = eras[chosen.era] as EraSource;
    const module = typeof source === "function" ? await source() : source;
    checkModule(chosen.era, module);
    const client = module.createClient({ ...clientOptions, baseUrl, ghesVersion: detected.featureRelease } as ClientOptions);
    return Object.freeze({
      era: chosen.era,
      client,
      version: detected.version,
      featureRelease: detected.featureRelease,
      apiVersion: apiVersionOf(chosen.era),
      baseUrl,
    });
  };
  return connect as unknown as Connect<S>;
}

/**
 * The era for a server: of the `given` eras serving its version, the one named by `apiVersion`, else the
 * oldest (what GHES answers a request without `X-GitHub-Api-Version` with). Throws, saying why and what to
 * do, when none of them serves it.
 */
function choose(given: readonly Range[], detected: DetectedGhes, apiVersion: string | undefined): Range {
  const matches = (r: Range) => apiVersion === undefined || apiVersionOf(r.era) === apiVersion;
  const chosen = given.find((r) => isServed(r, detected.featureRelease) && matches(r));
  if (chosen) return chosen;
  const serving = eraRanges.filter((r) => isServed(r, detected.featureRelease));
  const missing = serving.find(matches);
  if (missing) {
    return fail(
      `GHES ${detected.version} is served by ${missing.packageName}, which this connect was not given (it has ${given.map((r) => r.era).join(", ")}): add "${missing.era}" to createConnect's eras, or use connect, which has every era`,
    );
  }
  if (apiVersion !== undefined && serving.length > 0) {
    const served = serving.map((r) => apiVersionOf(r.era)).filter((v) => v !== undefined);
    return fail(
      `GHES ${detected.version} does not serve REST API version ${apiVersion} (${served.length ? `it serves ${served.join(", ")}` : "it predates REST API versions"}); ${apiVersion} is served by GHES ${describeEras(eraRanges.filter(matches))}. Leave options.apiVersion out to use the server's default`,
    );
  }
  // detectGhes refuses a version outside every era; this is the same answer should it not.
  return fail(`GHES ${detected.version} is not served by this SDK: connect serves GHES ${describeEras(given)}`);
}

function checkModule(name: string, module: unknown): asserts module is EraModule {
  const m = module as Partial<EraModule> | null;
  if (typeof m !== "object" || m === null || typeof m.createClient !== "function" || typeof m.definition !== "object" || m.definition === null) {
    fail(`createConnect: eras["${name}"] must be the era package (import * as era from "@ghes-sdk/${name}") or a function that imports it`);
  }
  if (m.definition.name !== name) {
    fail(`createConnect: eras["${name}"] is ${m.definition.packageName}, not @ghes-sdk/${name}`);
  }
}

/**
 * core's detectGhes — one unauthenticated `GET /meta` — through the caller's fetch and requestInitExt (a
 * GHES behind a private CA needs the same dispatcher for it), within the caller's timeout.
 */
async function detect(baseUrl: string, options: Omit<ClientOptions, "ghesVersion">, signal: AbortSignal | undefined, given: readonly Range[]): Promise<DetectedGhes> {
  const fetchImpl = options.fetch ?? ((input: Request, init?: Record<string, unknown>) => globalThis.fetch(input, init));
  const init = options.requestInitExt as Record<string, unknown> | undefined;
  // Noted from the response, so a version outside every era can be named (detectGhes refuses it).
  let reported: string | undefined;
  const fetch = async (request: Request) => {
    const response = await (init ? fetchImpl(request, init) : fetchImpl(request));
    const header = response.headers.get("x-github-enterprise-version")?.trim();
    reported = header ? safeServerText(header, { max: 40 }) : undefined;
    return response;
  };
  // A bad timeout is createClient's to refuse, with its message; detection runs with the default meanwhile.
  const timeout = options.timeout === Number.POSITIVE_INFINITY ? undefined : validTimeout(options.timeout) ?? DEFAULT_TIMEOUT;
  const limit = timeout === undefined ? undefined : AbortSignal.timeout(timeout);
  const signals = [signal, limit].filter((s) => s !== undefined);
  try {
    return await detectGhes({ baseUrl, fetch, ...(signals.length ? { signal: signals.length === 1 ? signals[0]! : AbortSignal.any(signals) } : {}) });
  } catch (error) {
    if (error instanceof GhesRequestError && error.code === "ABORTED" && limit?.aborted && !signal?.aborted) {
      throw new GhesRequestError({ code: "TIMEOUT", method: "GET", url: `${baseUrl}/meta`, packageName: PACKAGE, detail: `detecting the GHES version timed out after ${timeout} ms`, cause: error });
    }
    if (error instanceof GhesRequestError && (error.code === "HTTP_ERROR" || error.code === "INVALID_BODY")) {
      fail(
        `${baseUrl} answered GET /meta with ${error.status} and no GHES version (no X-GitHub-Enterprise-Version, no installed_version): it is not a GitHub Enterprise Server's REST API. connect serves GHES ${describeEras(given)}`,
        error,
      );
    }
    if (error instanceof GhesSdkError && reported && featureRelease(reported) && !eraRanges.some((r) => isServed(r, reported!))) {
      fail(`GHES ${reported} is not served by this SDK: connect serves GHES ${describeEras(given)}`, error);
    }
    throw error;
  }
}

const validTimeout = (ms: unknown): number | undefined => (typeof ms === "number" && ms > 0 && ms <= 2_147_483_647 ? ms : undefined);
