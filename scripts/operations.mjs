// The operations table: operationId → method, path, deprecation, previews, security, availability.
// Plain data the runtime uses (2.2x picks its preview media types from it) and the matrix is built from.
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

export function operationsTable(spec) {
  const table = Object.fromEntries(operations(spec).map((row) => [row.operationId, row]));
  return [
    'import type { OperationInfo } from "@ghes-sdk/core";',
    "",
    `export const operationTable = ${JSON.stringify(table, null, 2)} as const satisfies Record<string, OperationInfo>;`,
    "",
    "export type OperationId = keyof typeof operationTable;",
    "",
  ].join("\n");
}
