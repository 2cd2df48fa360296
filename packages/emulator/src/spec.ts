// One era's bundled spec, as the era package ships it: everything the emulator serves, validates and
// answers with is derived from it, never from a list kept here. (The era packages' own operationTable is
// slimmed to what a client needs at run time; the emulator also needs each operation's security and optional
// previews, so it reads the spec with core's specOperations — the same reading the generator makes.)
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { compareVersions, isServed, specOperations, type Availability, type EraName, type SpecOperation } from "@ghes-sdk/core";
import { OpenAPIBackend, type Operation } from "openapi-backend";

const require = createRequire(import.meta.url);

/** One operation of an era's spec, with what the emulator needs to serve it. */
export type EmulatedOperation = SpecOperation;

/** The bundled spec an era package ships (`@ghes-sdk/<era>/openapi.json`). */
export function bundledSpec(era: EraName): any {
  return JSON.parse(readFileSync(require.resolve(`@ghes-sdk/${era}/openapi.json`), "utf8"));
}

const ERA_NAMES: readonly EraName[] = ["ghes-2.2x", "ghes-3.x", "ghes-2022-11-28"];

export const ERAS = [...ERA_NAMES];

export function isEra(value: unknown): value is EraName {
  return typeof value === "string" && (ERA_NAMES as readonly string[]).includes(value);
}

/** Whether `version` serves the operation; patch releases count as their feature release (3.3.5 is 3.3). */
export const servedIn = (op: Availability, version: string): boolean => isServed(op, version);

export interface EraSpec {
  era: EraName;
  spec: any;
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

const cache = new Map<EraName, Promise<EraSpec>>();

/** Loads (once per process) an era's spec and builds its router and validator. */
export function loadEra(era: EraName): Promise<EraSpec> {
  let loaded = cache.get(era);
  if (!loaded) {
    loaded = build(era);
    cache.set(era, loaded);
  }
  return loaded;
}

async function build(era: EraName): Promise<EraSpec> {
  const spec = bundledSpec(era);
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
  return { era, spec, operations, backend, first, last, coveringVersion: covering, apiVersions: apiVersions(spec) };
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
