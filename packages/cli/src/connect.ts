// Where the requests go and how: the GHES API URL from --url, a fetch that honours HTTPS_PROXY and a private
// CA, the era (--era or detectGhes) and that era's client. Every request a command sends goes through the
// one fetch made here, to the one origin of --url.
import { readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";
import { detectGhes, eraRanges, type ClientOptions, type DetectedGhes, type GhesClient, type EraName } from "@ghes-sdk/core";
import * as ghes22x from "@ghes-sdk/ghes-2.2x";
import * as ghes20221128 from "@ghes-sdk/ghes-2022-11-28";
import * as ghes20260310 from "@ghes-sdk/ghes-2026-03-10";
import * as ghes3x from "@ghes-sdk/ghes-3.x";
import type { Middleware } from "openapi-fetch";
import { Agent, EnvHttpProxyAgent, type Dispatcher } from "undici";
import { CommandError, UsageError } from "./errors.js";
import { VERSION } from "./version.js";

export type FetchFn = (request: Request) => Promise<Response>;

/**
 * The client every command uses, typed by the 2022-11-28 era's paths. Each operation the commands call
 * (`/app`, the installation lookups, the token mint and revoke, the OAuth token check, the manifest
 * conversion) exists in every era with the fields read here, and each era's createClient adds the headers
 * its GHES versions need (2.2x's preview media types, 2022-11-28's X-GitHub-Api-Version).
 */
export type EraClient = GhesClient<ghes20221128.paths>;
type EraOptions = Omit<ClientOptions, "ghesVersion">;

const CREATE: Record<EraName, (options: EraOptions) => EraClient> = {
  "ghes-2.2x": ghes22x.createClient as unknown as (options: EraOptions) => EraClient,
  "ghes-3.x": ghes3x.createClient as unknown as (options: EraOptions) => EraClient,
  "ghes-2022-11-28": (options) => ghes20221128.createClient(options),
  "ghes-2026-03-10": ghes20260310.createClient as unknown as (options: EraOptions) => EraClient,
};

const ERA_NAMES = eraRanges.map((r) => r.era);

/**
 * The REST API root of a GHES: `https://ghes.example.com` → `https://ghes.example.com/api/v3`; a URL that
 * already ends in `/api/v3` is kept.
 */
export function apiUrlOf(url: string, option = "--url"): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`${option} is not an absolute URL: give the address of your GHES, e.g. ${option} https://ghes.example.com`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new UsageError(`${option} must be an https:// URL (http:// only for a server you trust), e.g. https://ghes.example.com`);
  // A credential in the URL would end up in logs and error messages: refuse it without repeating it.
  if (parsed.username || parsed.password) throw new UsageError(`${option} must not carry a user name or password; give credentials with the command's options instead`);
  if (parsed.search || parsed.hash) throw new UsageError(`${option} must not have a query or fragment: give the GHES address only, e.g. https://ghes.example.com`);
  const path = parsed.pathname.replace(/\/+$/, "");
  return `${parsed.origin}${path.endsWith("/api/v3") ? path : `${path}/api/v3`}`;
}

/** The web root of a GHES (where its settings pages are), from its API URL. */
export const webUrlOf = (apiUrl: string): string => apiUrl.replace(/\/api\/v3$/, "");

export function parseEra(value: string): EraName {
  const name = value.startsWith("ghes-") ? value : `ghes-${value}`;
  if (!(ERA_NAMES as string[]).includes(name)) {
    throw new UsageError(`--era must be one of ${ERA_NAMES.join(", ")} (GHES ${eraRanges.map((r) => `${r.since}–${r.until ?? "current"}`).join(", ")}), or left out to detect it`);
  }
  return name as EraName;
}

export interface NetworkOptions {
  /** A PEM file of CA certificates to trust besides the system's (and NODE_EXTRA_CA_CERTS, which Node reads itself). */
  caFile?: string | undefined;
  env: NodeJS.ProcessEnv;
}

const PROXY_VARIABLES = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"];

/**
 * The fetch every request goes through. Node's fetch ignores HTTPS_PROXY and takes no CA option, so when
 * either is wanted the requests get an undici dispatcher (undici is what Node's fetch runs on): an
 * EnvHttpProxyAgent reads HTTPS_PROXY / HTTP_PROXY / NO_PROXY as curl does. Without them: the global fetch.
 */
export function networkFetch(options: NetworkOptions): FetchFn | undefined {
  const proxied = PROXY_VARIABLES.some((name) => options.env[name]);
  if (!proxied && !options.caFile) return undefined;
  let tls: { ca: string[] } | undefined;
  if (options.caFile) {
    let pem: string;
    try {
      pem = readFileSync(options.caFile, "utf8");
    } catch (error) {
      throw new CommandError(`cannot read --ca-file ${options.caFile} (${(error as NodeJS.ErrnoException).code ?? "unreadable"}): give the path of a PEM file of CA certificates`);
    }
    if (!pem.includes("-----BEGIN CERTIFICATE-----")) throw new CommandError(`--ca-file ${options.caFile} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
    const extra = options.env["NODE_EXTRA_CA_CERTS"] ? safeRead(options.env["NODE_EXTRA_CA_CERTS"]) : undefined;
    // Setting `ca` replaces the default list, so the system's roots (and NODE_EXTRA_CA_CERTS) are kept explicitly.
    tls = { ca: [...rootCertificates, ...(extra ? [extra] : []), pem] };
  }
  const dispatcher: Dispatcher = proxied
    ? // EnvHttpProxyAgent hands its options to the ProxyAgents it makes, which read requestTls (the GHES
      // connection through the tunnel) and proxyTls (the proxy's own), though its type does not list them.
      quietly("UNDICI-EHPA", () => new EnvHttpProxyAgent((tls ? { connect: tls, requestTls: tls, proxyTls: tls } : {}) as EnvHttpProxyAgent.Options))
    : new Agent({ connect: tls });
  return (request) => fetch(request, { dispatcher } as RequestInit);
}

/**
 * Runs `make` without the one process warning whose code is given. undici 6 (the version Node 20's fetch
 * runs on, so its dispatchers fit) warns on stderr that EnvHttpProxyAgent is experimental, synchronously in
 * its constructor; a CLI's stderr is for the user's problems.
 */
function quietly<T>(code: string, make: () => T): T {
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const options = rest[0] as { code?: string } | string | undefined;
    if ((typeof options === "object" && options?.code === code) || rest[1] === code) return;
    (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return make();
  } finally {
    process.emitWarning = emitWarning;
  }
}

function safeRead(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

export interface Target {
  apiUrl: string;
  fetch: FetchFn | undefined;
  era: EraName;
  /** What detectGhes found (absent when --era was given and nothing needed the version). */
  detected: DetectedGhes | undefined;
}

/** The era from --era, or from the server (detectGhes: `GET /meta`, unauthenticated). */
export async function resolveTarget(options: { url: string; era?: string | undefined; needVersion?: boolean; caFile?: string | undefined; env: NodeJS.ProcessEnv }): Promise<Target> {
  const apiUrl = apiUrlOf(options.url);
  const era = options.era === undefined ? undefined : parseEra(options.era);
  const fetchFn = networkFetch({ caFile: options.caFile, env: options.env });
  let detected: DetectedGhes | undefined;
  if (era === undefined || options.needVersion) {
    detected = await detectGhes({ baseUrl: apiUrl, ...(fetchFn ? { fetch: fetchFn } : {}) });
  }
  return { apiUrl, fetch: fetchFn, era: era ?? detected!.era, detected };
}

export function eraClient(target: Target, auth?: Middleware): EraClient {
  return CREATE[target.era]({
    baseUrl: target.apiUrl,
    userAgent: `ghes-sdk-cli/${VERSION}`,
    ...(auth ? { auth } : {}),
    ...(target.fetch ? { fetch: target.fetch } : {}),
  });
}
