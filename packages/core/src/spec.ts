// The operations of a bundled era spec, read once here for everything that reads them: the generator
// (scripts/operations.mjs: the shipped table, the compatibility matrix) and the emulator (what it serves and
// how it checks credentials and previews). Not on any client's path: a bundle leaves it out.
import { GhesSdkError } from "./errors.js";
import type { HttpMethod, Preview } from "./types.js";

/** One operation of a spec, as the spec states it. */
export interface SpecOperation {
  readonly operationId: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly summary: string;
  readonly deprecated: boolean;
  /** Every preview media type the operation lists (`required` ones: GHES answers 415 without them). */
  readonly previews: readonly Preview[];
  /** Alternatives, each a list of security scheme names that must all be present. */
  readonly security: readonly (readonly string[])[];
  /** `x-ghes-since`/`x-ghes-until`: the first and last GHES versions that serve it. */
  readonly since?: string;
  readonly until?: string;
}

const METHODS: readonly HttpMethod[] = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

/** One operation object of a spec as written, with its path, method and path item (for generators and tests). */
export interface SpecEntry {
  readonly path: string;
  readonly method: HttpMethod;
  readonly op: any;
  readonly item: any;
}

/** Every operation object of a spec's `paths`, in the spec's order, methods in HTTP-method order. */
export function specEntries(spec: { paths?: object }): SpecEntry[] {
  const out: SpecEntry[] = [];
  for (const [path, item] of Object.entries<any>(spec.paths ?? {})) {
    for (const method of METHODS) if (item?.[method]) out.push({ path, method, op: item[method], item });
  }
  return out;
}

/** Every operation of a bundled spec, sorted by operationId; one without an operationId or a security requirement stops it. */
export function specOperations(spec: { paths?: object; security?: object[] }): SpecOperation[] {
  const rows: SpecOperation[] = [];
  for (const { path, method, op } of specEntries(spec)) {
    const where = `${method.toUpperCase()} ${path}`;
    if (typeof op.operationId !== "string") throw new GhesSdkError("@ghes-sdk/core", `specOperations: ${where} has no operationId`);
    const security: object[] | undefined = op.security ?? spec.security;
    if (!security) throw new GhesSdkError("@ghes-sdk/core", `specOperations: ${op.operationId} has no security requirement`);
    rows.push({
      operationId: op.operationId,
      method,
      path,
      summary: op.summary ?? "",
      deprecated: op.deprecated === true,
      previews: (op["x-github-previews"] ?? []).map((p: any) => ({ name: String(p.name), required: p.required === true })),
      security: security.map((req) => Object.keys(req)),
      ...(op["x-ghes-since"] === undefined ? {} : { since: String(op["x-ghes-since"]) }),
      ...(op["x-ghes-until"] === undefined ? {} : { until: String(op["x-ghes-until"]) }),
    });
  }
  return rows.sort((a, b) => a.operationId.localeCompare(b.operationId));
}
