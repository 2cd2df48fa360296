// One era's bundled spec, as the era package ships it: everything the emulator serves, validates and
// answers with is derived from it, never from a list kept here. (The era packages' own operationTable is
// slimmed to what a client needs at run time; the emulator also needs each operation's security and optional
// previews, so it reads the spec with core's specOperations — the same reading the generator makes.)
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { compareVersions, eraRanges, isServed, specOperations, type Availability, type EraName, type SpecOperation } from "@ghes-sdk/core";
import { OpenAPIBackend, type Operation } from "openapi-backend";

const require = createRequire(import.meta.url);

/** One operation of an era's spec, with what the emulator needs to serve it. */
export type EmulatedOperation = SpecOperation;

/** The bundled spec an era package ships (`@ghes-sdk/<era>/openapi.json`). */
export function bundledSpec(era: EraName): any {
  return JSON.parse(readFileSync(require.resolve(`@ghes-sdk/${era}/openapi.json`), "utf8"));
}

// core's era list (generated from the specs): a new era needs no edit here, only its package as a dependency.
const ERA_NAMES: readonly EraName[] = eraRanges.map((range) => range.era);

export const ERAS = [...ERA_NAMES];

/** The eras that serve a GHES version, the one a request without `X-GitHub-Api-Version` gets first. */
export function erasServing(version: string): EraName[] {
  return eraRanges.filter((range) => isServed(range, version)).map((range) => range.era);
}

export function isEra(value: unknown): value is EraName {
  return typeof value === "string" && (ERA_NAMES as readonly string[]).includes(value);
}

/** Whether `version` serves the operation; patch releases count as their feature release (3.3.5 is 3.3). */
export const servedIn = (op: Availability, version: string): boolean => isServed(op, version);

export interface EraSpec {
  era: EraName;
  /** The spec as the emulated version serves it (`servedAt`): what requests and responses are checked against. */
  spec: any;
  /** The whole bundled spec, version-scoped items included. */
  full: any;
  operations: Readonly<Record<string, EmulatedOperation>>;
  backend: OpenAPIBackend;
  /** The GHES versions of the era (`info.x-ghes-first`/`x-ghes-last`; no last: still current). */
  first: string;
  last: string | undefined;
  /** The newest version of the era that serves every operation, if any (the default `ghesVersion`). */
  coveringVersion: string;
  /** Values `X-GitHub-Api-Version` may take, when the era has that header. */
  apiVersions: string[] | undefined;
}

const cache = new Map<string, Promise<EraSpec>>();

/**
 * Loads (once per process and version) an era's spec as GHES `version` serves it — properties, parameters
 * and response statuses outside their `x-ghes-since`/`x-ghes-until` left out — and builds its router
 * and validator. Without a version: the whole spec.
 */
export function loadEra(era: EraName, version?: string): Promise<EraSpec> {
  const full = bundledSpec(era);
  const served = version === undefined ? full : servedAt(full, version);
  // Specs without version-scoped items share one build across versions.
  const key = served === full ? era : `${era}@${version}`;
  let loaded = cache.get(key);
  if (!loaded) {
    loaded = build(era, served, full);
    cache.set(key, loaded);
  }
  return loaded;
}

const outside = (node: any, version: string): boolean =>
  typeof node === "object" && node !== null && (node["x-ghes-since"] !== undefined || node["x-ghes-until"] !== undefined) &&
  !isServed({ since: node["x-ghes-since"] && String(node["x-ghes-since"]), until: node["x-ghes-until"] && String(node["x-ghes-until"]) }, version);

/**
 * The spec as `version` serves it: every schema property, `oneOf`/`anyOf` variant, parameter and response
 * whose `x-ghes-since`/`x-ghes-until` (openapi/README.md) leaves out `version` is removed, and a removed
 * property from its schema's `required`. Operations and webhooks keep theirs (the server answers 404 for
 * them). Returns `spec` itself when nothing is removed.
 */
export function servedAt(spec: any, version: string): any {
  let changed = false;
  const walk = (node: any): any => {
    if (Array.isArray(node)) {
      const kept = node.filter((item) => !(outside(item, version) && (item?.in !== undefined || item?.$ref?.includes("/parameters/"))));
      if (kept.length !== node.length) changed = true;
      return kept.map(walk);
    }
    if (typeof node !== "object" || node === null) return node;
    const copy: any = {};
    for (const [key, value] of Object.entries(node)) copy[key] = walk(value);
    if (copy.properties && typeof copy.properties === "object" && !Array.isArray(copy.properties)) {
      for (const [name, schema] of Object.entries<any>(copy.properties)) {
        if (!outside(schema, version)) continue;
        changed = true;
        delete copy.properties[name];
        if (Array.isArray(copy.required)) copy.required = copy.required.filter((r: string) => r !== name);
      }
    }
    // A oneOf/anyOf variant may be version-scoped too (a `type: "null"` branch until 2.21: nullable only there).
    for (const key of ["oneOf", "anyOf"]) {
      if (!Array.isArray(copy[key])) continue;
      const kept = copy[key].filter((variant: any) => !outside(variant, version));
      if (kept.length !== copy[key].length) {
        changed = true;
        copy[key] = kept;
      }
    }
    if (copy.responses && typeof copy.responses === "object") {
      for (const [status, response] of Object.entries<any>(copy.responses)) {
        if (/^\d{3}$/.test(status) && outside(response, version)) {
          changed = true;
          delete copy.responses[status];
        }
      }
    }
    return copy;
  };
  const result = walk(spec);
  // Parameters defined once in components and used by $ref: dropped where used (above) and kept defined.
  for (const [name, param] of Object.entries<any>(result.components?.parameters ?? {})) {
    if (!outside(param, version)) continue;
    changed = true;
    const ref = `#/components/parameters/${name}`;
    const prune = (node: any): void => {
      if (Array.isArray(node)) {
        for (let i = node.length - 1; i >= 0; i--) if (node[i]?.$ref === ref) node.splice(i, 1);
        node.forEach(prune);
      } else if (typeof node === "object" && node !== null) Object.values(node).forEach(prune);
    };
    prune(result.paths);
  }
  return changed ? result : spec;
}

/**
 * Removes from a response body, in place, every property whose schema is outside `version`
 * (`x-ghes-since`/`x-ghes-until`), following the full spec's schema through `$ref`, `allOf`/`oneOf`/
 * `anyOf`, nested objects and array items.
 */
export function dropUnserved(spec: any, schema: any, body: unknown, version: string, depth = 0): void {
  schema = deref(spec, schema);
  if (!schema || typeof body !== "object" || body === null || depth > 32) return;
  for (const variant of [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])]) dropUnserved(spec, variant, body, version, depth + 1);
  if (Array.isArray(body)) {
    if (schema.items) for (const item of body) dropUnserved(spec, schema.items, item, version, depth + 1);
    return;
  }
  for (const [name, property] of Object.entries<any>(schema.properties ?? {})) {
    if (!(name in body)) continue;
    const resolved = deref(spec, property);
    if (outside(property, version) || outside(resolved, version)) delete (body as Record<string, unknown>)[name];
    else dropUnserved(spec, resolved, (body as Record<string, unknown>)[name], version, depth + 1);
  }
}

async function build(era: EraName, spec: any, full: any): Promise<EraSpec> {
  const backend = new OpenAPIBackend({
    definition: structuredClone(spec),
    apiRoot: "/api/v3",
    quick: true,
    coerceTypes: true,
    // Formats (uri, date-time) are documentation here; GHES does not reject a request for them.
    ajvOpts: { strict: false, logger: false, validateFormats: false },
  });
  await backend.init();
  const operations = Object.fromEntries(specOperations(spec).map((op) => [op.operationId, op]));
  const first = String(spec.info?.["x-ghes-first"] ?? "2.20");
  const last = spec.info?.["x-ghes-last"] === undefined ? undefined : String(spec.info["x-ghes-last"]);
  const covering = coveringVersion(Object.values(operations), first, last);
  return { era, spec, full, operations, backend, first, last, coveringVersion: covering, apiVersions: apiVersions(spec) };
}

function coveringVersion(ops: EmulatedOperation[], first: string, last: string | undefined): string {
  const since = [first, ...ops.map((op) => op.since ?? first)].sort(compareVersions).at(-1)!;
  const cap = [...(last ? [last] : []), ...ops.flatMap((op) => (op.until ? [op.until] : []))].sort(compareVersions)[0];
  // The newest version before any removal serves the most; without removals, the first that has everything.
  return cap && compareVersions(cap, since) >= 0 ? cap : since;
}

function apiVersions(spec: any): string[] | undefined {
  for (const param of Object.values<any>(spec.components?.parameters ?? {})) {
    if (param?.in === "header" && String(param.name).toLowerCase() === "x-github-api-version") return param.schema?.enum ?? [];
  }
  return undefined;
}

/** Follows a local `#/components/…` reference. */
export function deref(spec: any, node: any): any {
  let hops = 0;
  while (node && typeof node.$ref === "string") {
    if (++hops > 20) throw new Error(`@ghes-sdk/emulator: reference cycle at ${node.$ref}`);
    node = node.$ref
      .replace(/^#\//, "")
      .split("/")
      .reduce((at: any, key: string) => at?.[key.replace(/~1/g, "/").replace(/~0/g, "~")], spec);
  }
  return node;
}

/** The documented response of an operation for a status (or its `default`), dereferenced. */
export function documentedResponse(spec: any, operation: Operation, status: number): any {
  const responses = operation.responses ?? {};
  const response = (responses as any)[String(status)] ?? (responses as any)[`${String(status)[0]}XX`];
  return response ? deref(spec, response) : undefined;
}

/** The first example of an operation's JSON response for a status: the template responses are filled from. */
export function responseExample(spec: any, operation: Operation, status: number): unknown {
  const media = documentedResponse(spec, operation, status)?.content?.["application/json"];
  if (!media) return undefined;
  if (media.example !== undefined) return media.example;
  const first = media.examples ? Object.values<any>(media.examples)[0] : undefined;
  return first ? deref(spec, first)?.value : undefined;
}

/** True when the operation's success response is a list (an array, or an object with one array of items). */
export function isListOperation(spec: any, operation: Operation): boolean {
  const schema = deref(spec, documentedResponse(spec, operation, 200)?.content?.["application/json"]?.schema);
  if (!schema) return false;
  if (schema.type === "array") return true;
  return Boolean(schema.properties?.total_count) && Object.values<any>(schema.properties).some((p) => deref(spec, p)?.type === "array");
}
