import { eraRanges } from "./eras.js";
import { findOperation, type FoundOperation } from "./era.js";
import { warnOnce } from "./deprecation.js";
import type { EraDefinition, HttpMethod } from "./types.js";
import { GhesSdkError } from "./errors.js";

/** `"3.4"`, `"3.4.2"`, `"3.12"`: a GHES release as servers and docs write it. */
const VERSION = /^(\d+)\.(\d+)(?:\.\d+)?(?:[.-].*)?$/;

/** The feature release (`major.minor`) of a version string, or undefined when it is not one. */
export function featureRelease(version: string): [number, number] | undefined {
  const m = VERSION.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** Compares two GHES versions by feature release: negative, zero or positive. `3.12` is after `3.4`. */
export function compareVersions(a: string, b: string): number {
  const x = featureRelease(a);
  const y = featureRelease(b);
  if (!x || !y) throw new TypeError(`not a GHES version: ${!x ? JSON.stringify(a) : JSON.stringify(b)}`);
  return x[0] - y[0] || x[1] - y[1];
}

/** The versions an operation is served by: `since` (first) and `until` (last), both inclusive. */
export interface Availability {
  readonly since?: string;
  readonly until?: string;
}

export function isServed(range: Availability, version: string): boolean {
  return (!range.since || compareVersions(version, range.since) >= 0) && (!range.until || compareVersions(version, range.until) <= 0);
}

export function describeRange(range: Availability): string {
  if (range.since && range.until) return `GHES ${range.since} to ${range.until}`;
  if (range.until) return `GHES up to ${range.until}`;
  return `GHES ${range.since ?? "2.20"} and later`;
}

/**
 * Why `version` does not serve an operation, or undefined when it does. The sentence names the operation,
 * the version and the range so a 404 from an old or new server explains itself.
 */
export function versionMismatch(op: Availability & { readonly operationId: string }, version: string): string | undefined {
  if (!featureRelease(version) || isServed(op, version)) return undefined;
  return `GHES ${version} does not serve ${op.operationId}: it is served by ${describeRange(op)}`;
}

/** Checks a `ghesVersion` option: a `major.minor` string inside the era's range. */
export function checkGhesVersion(packageName: string, version: unknown, era: Availability): string {
  if (typeof version !== "string" || !featureRelease(version)) {
    throw new GhesSdkError(packageName, 'options.ghesVersion must be a GHES version such as "3.4"');
  }
  if (!isServed(era, version)) {
    throw new GhesSdkError(packageName, `options.ghesVersion ${version} is outside this package's range (${describeRange(era)}); detectGhes() names the package to use`);
  }
  return version;
}

const VERSION_HEADER = "x-github-enterprise-version";

/** The version checks of one client: before a request, and on an error response. */
export interface VersionChecks {
  /** Warns (once per operation and version) when the known version does not serve `op`. */
  beforeRequest(op: FoundOperation | undefined): void;
  /**
   * Notes the version the server reports; for an error response from a version that does not serve the
   * operation, resolves to the response with the reason appended to its `message`. Undefined otherwise,
   * without a promise when nothing needs reading.
   */
  afterResponse(request: Request, response: Response, schemaPath: string): Promise<Response | undefined> | undefined;
}

/**
 * Checks each request against the GHES version: the one the client was created for (`ghesVersion`), or
 * the one the server last reported in `X-GitHub-Enterprise-Version`. A known version that does not serve
 * the operation warns before the call (once per operation and version); an error response from a server
 * whose version does not serve it gets the reason appended to its `message`, where every error reader
 * (openapi-fetch's `error`, thrown request errors) sees it.
 */
export function versionChecks(def: EraDefinition, ghesVersion?: string): VersionChecks {
  let known = ghesVersion;
  return {
    beforeRequest(op) {
      const mismatch = known && op && versionMismatch(op, known);
      if (mismatch) {
        warnOnce("GhesVersionWarning", `GHESSDK_VERSION_${known}_${op!.operationId}`, `${def.packageName}: ${mismatch}; the request is sent anyway`);
      }
    },
    afterResponse(request, response, schemaPath) {
      const reported = response.headers.get(VERSION_HEADER) ?? undefined;
      if (reported && featureRelease(reported)) known = reported;
      if (response.ok || !reported) return undefined;
      const op = findOperation(def, request.method, schemaPath);
      const mismatch = eraMismatch(def, reported) ?? (op && versionMismatch(op, reported));
      if (!mismatch) return undefined;
      return withReason(response, mismatch);
    },
  };
}

/** For a server outside the era's versions: which package serves it (GHES answers such a client 415 or 404). */
function eraMismatch(def: EraDefinition, reported: string): string | undefined {
  if (!def.ghes || !featureRelease(reported) || isServed(def.ghes, reported)) return undefined;
  // From GHES 3.21 on two eras serve a version (REST API 2022-11-28 and 2026-03-10): name each.
  const serving = eraRanges.filter((range) => isServed(range, reported));
  const names = serving.map((range) => (serving.length > 1 && range.apiVersion ? `${range.packageName} (REST API ${range.apiVersion})` : range.packageName));
  return `this server is GHES ${reported}, which ${def.packageName} does not serve${names.length ? `: use ${names.join(" or ")}` : ""}`;
}

async function withReason(response: Response, mismatch: string): Promise<Response | undefined> {
  let body: unknown;
  try {
    const text = await response.clone().text();
    body = text === "" ? {} : JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
  const original = (body as { message?: unknown }).message;
  const message = typeof original === "string" && original ? `${original} (${mismatch})` : mismatch;
  const headers = new Headers(response.headers);
  headers.set("content-type", "application/json; charset=utf-8");
  headers.delete("content-length");
  return new Response(JSON.stringify({ ...body, message }), { status: response.status, statusText: response.statusText, headers });
}

/** The `"<method> <path>"` keys of one era's operations, per GHES version (generated per era). */
export type ServedMap = Record<string, string>;

/** The versions a `ghesVersion` option accepts for an era with this served map. */
export type GhesVersionOf<Served extends ServedMap> = Extract<keyof Served, string>;

/**
 * An era's `paths` narrowed to what one GHES version serves: a method the version does not serve is
 * removed from its path, so openapi-fetch rejects `client.GET(path)` for it at compile time.
 */
export type ServedPaths<Paths, Keys extends string> = {
  [P in keyof Paths]: {
    [M in keyof Paths[P] as M extends HttpMethod ? (`${M} ${P & string}` extends Keys ? M : never) : M]: Paths[P][M];
  };
};
