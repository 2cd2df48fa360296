import { GhesRequestError, GhesSdkError, redactUrl } from "./errors.js";
import { eraRanges } from "./eras.js";
import type { EraName } from "./types.js";
import { featureRelease, isServed } from "./version.js";

export interface DetectOptions {
  /** Where the REST API lives, e.g. `https://ghes.example.com/api/v3`. */
  baseUrl: string;
  /** A fetch implementation; defaults to the global fetch. */
  fetch?: (input: Request) => Promise<Response>;
  signal?: AbortSignal;
}

export interface DetectedGhes {
  /** The version the server reports, as it reports it (`3.4.2`). */
  version: string;
  /** Its feature release (`3.4`) — what `createClient({ ghesVersion })` takes. */
  featureRelease: string;
  /**
   * The era that serves it, and the package to use for it: where several do (GHES 3.21+ serves REST API
   * 2022-11-28 and 2026-03-10), the one a request without `X-GitHub-Api-Version` gets.
   */
  era: EraName;
  packageName: string;
  /** Every era that serves it, `era` first, each with the REST API version it sends (if it sends one). */
  eras: readonly { readonly era: EraName; readonly packageName: string; readonly apiVersion?: string }[];
}

const PACKAGE = "@ghes-sdk/core";

/**
 * Asks a GHES server which version it runs, without credentials: `GET /meta`. Every GHES response —
 * a 401 from a private-mode instance too — carries `X-GitHub-Enterprise-Version`; `/meta`'s body
 * has `installed_version` as well. Returns the version with the era package to use for it.
 */
export async function detectGhes(options: DetectOptions): Promise<DetectedGhes> {
  if (typeof options !== "object" || options === null || typeof options.baseUrl !== "string") {
    throw new GhesSdkError(PACKAGE, "detectGhes needs an options object with a baseUrl");
  }
  let base: URL;
  try {
    base = new URL(options.baseUrl.replace(/\/+$/, "") + "/meta");
  } catch {
    throw new GhesSdkError(PACKAGE, "detectGhes: options.baseUrl is not an absolute URL, e.g. https://ghes.example.com/api/v3");
  }
  if (base.protocol !== "https:" && base.protocol !== "http:") throw new GhesSdkError(PACKAGE, "detectGhes: options.baseUrl must use http: or https:");
  if (base.username || base.password) throw new GhesSdkError(PACKAGE, "detectGhes: options.baseUrl must not carry credentials");
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const url = base.href;
  let response: Response;
  try {
    response = await fetchImpl(new Request(url, { headers: { accept: "application/json" }, ...(options.signal ? { signal: options.signal } : {}) }));
  } catch (cause) {
    const code = options.signal?.aborted ? "ABORTED" : "NETWORK";
    throw new GhesRequestError({ code, method: "GET", url, packageName: PACKAGE, cause });
  }
  let version = response.headers.get("x-github-enterprise-version")?.trim();
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (!version && body && typeof body === "object" && typeof (body as { installed_version?: unknown }).installed_version === "string") {
    version = (body as { installed_version: string }).installed_version.trim();
  }
  const release = version ? featureRelease(version) : undefined;
  // The web UI answers /meta with a 404 page that carries the version header too: not an API URL.
  if (release && response.status === 404 && body === undefined) {
    throw new GhesSdkError(PACKAGE, `detectGhes: ${redactUrl(options.baseUrl)} is GHES ${version}'s web UI, not its REST API: use ${new URL(url).origin}/api/v3`);
  }
  if (!version || !release) {
    throw new GhesRequestError({
      code: response.ok ? "INVALID_BODY" : "HTTP_ERROR",
      method: "GET",
      url,
      packageName: PACKAGE,
      response,
      body,
      detail: `answered ${response.status} without a GHES version (no X-GitHub-Enterprise-Version header, no installed_version): is this a GitHub Enterprise Server API URL?`,
    });
  }
  const feature = `${release[0]}.${release[1]}`;
  const serving = eraRanges.filter((r) => isServed(r, feature));
  const era = serving[0];
  if (!era) {
    throw new GhesSdkError(PACKAGE, `detectGhes: GHES ${feature} is older than every era this SDK serves (${eraRanges[0]!.since} and later)`);
  }
  const eras = serving.map((r) => ({ era: r.era, packageName: r.packageName, ...(r.apiVersion ? { apiVersion: r.apiVersion } : {}) }));
  return { version, featureRelease: feature, era: era.era, packageName: era.packageName, eras };
}
