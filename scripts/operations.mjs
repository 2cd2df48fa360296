// The operations of a spec: operationId → method, path, deprecation, previews, security, availability
// (operations(), what the matrix is built from), and the table an era package ships (operationsTable()):
// only what the runtime reads — method, path, required previews, deprecation (and its replacement), since/until. Summaries,
// security and optional previews stay in the generated types and openapi.json, out of every bundle.
import { replacementOf, replacementText } from "./deprecations.mjs";

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

export function operations(spec) {
  const rows = [];
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      if (!op.operationId) throw new Error(`operations: ${method.toUpperCase()} ${path} has no operationId`);
      const security = op.security ?? spec.security;
      if (!security) throw new Error(`operations: ${op.operationId} has no security requirement`);
      rows.push({
        operationId: op.operationId,
        method,
        path,
        summary: op.summary ?? "",
        deprecated: op.deprecated === true,
        ...(op.deprecated ? { replacement: replacementText(replacementOf(spec, method, path)) } : {}),
        previews: (op["x-github-previews"] ?? []).map((p) => ({ name: p.name, required: p.required === true })),
        security: security.map((req) => Object.keys(req)),
        ...(op["x-ghes-since"] ? { since: String(op["x-ghes-since"]) } : {}),
        ...(op["x-ghes-until"] ? { until: String(op["x-ghes-until"]) } : {}),
      });
    }
  }
  return rows.sort((a, b) => a.operationId.localeCompare(b.operationId));
}

/** The shipped row: what the client needs at run time, nothing else. */
export function runtimeRow(row) {
  const required = row.previews.filter((p) => p.required).map((p) => p.name);
  return {
    method: row.method,
    path: row.path,
    ...(required.length > 0 ? { previews: required } : {}),
    ...(row.deprecated ? { deprecated: true } : {}),
    ...(row.replacement ? { replacement: row.replacement } : {}),
    ...(row.since ? { since: row.since } : {}),
    ...(row.until ? { until: row.until } : {}),
  };
}

export function operationsTable(spec) {
  const table = Object.fromEntries(operations(spec).map((row) => [row.operationId, runtimeRow(row)]));
  return [
    'import type { OperationInfo } from "@ghes-sdk/core";',
    "",
    `export const operationTable = ${JSON.stringify(table, null, 2)} as const satisfies Record<string, OperationInfo>;`,
    "",
    "export type OperationId = keyof typeof operationTable;",
    "",
  ].join("\n");
}
