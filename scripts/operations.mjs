// The operations of a spec: operationId → method, path, deprecation, previews, security, availability
// (operations(), what the matrix is built from), and the table an era package ships (operationsTable()):
// only what the runtime reads — method, path, required previews, deprecation (and its replacement), since/until —
// as one compact string that @ghes-sdk/core's decodeOperations reads on a client's first request. Summaries,
// security and optional previews stay in the generated types and openapi.json, out of every bundle.
// The operations themselves are read by @ghes-sdk/core's specOperations, which the emulator uses too (so the
// era packages' generate task runs after core's build).
import { specOperations } from "@ghes-sdk/core";
import { replacementOf, replacementText } from "./deprecations.mjs";

/** Every operation of a bundled spec, sorted by operationId, with what replaces it when it is deprecated. */
export function operations(spec) {
  return specOperations(spec).map((row) =>
    row.deprecated ? { ...row, replacement: replacementText(replacementOf(spec, row.method, row.path)) } : row,
  );
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

/**
 * The shipped table as one compact string, decoded by `decodeOperations` in @ghes-sdk/core (which documents
 * the format): a header line — the `since` most operations share, then each replacement text once — and
 * one line per operation whose fields say only what differs from the defaults.
 */
export function encodeOperations(rows) {
  const count = new Map();
  for (const row of rows) if (row.since) count.set(row.since, (count.get(row.since) ?? 0) + 1);
  const shared = [...count].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "";
  const texts = [];
  let group = "";
  const lines = rows.map((row) => {
    const [own, name] = row.operationId.split("/");
    if (name === undefined || row.operationId !== `${own}/${name}`) throw new Error(`operations: ${row.operationId} is not "<group>/<name>"`);
    let deprecated = "";
    if (row.replacement !== undefined) {
      if (!texts.includes(row.replacement)) texts.push(row.replacement);
      deprecated = String(texts.indexOf(row.replacement));
    } else if (row.deprecated) deprecated = "!";
    const fields = [
      row.method,
      row.path,
      own === group ? `/${name}` : row.operationId,
      (row.previews ?? []).join(","),
      deprecated,
      row.since === shared ? "" : (row.since ?? "-"),
      row.until ?? "",
    ];
    group = own;
    for (const field of fields) if (/[\s|]/.test(field)) throw new Error(`operations: ${row.operationId} has a blank or a "|" in "${field}"`);
    if (row.previews?.some((p) => p === "" || p.includes(","))) throw new Error(`operations: ${row.operationId} has a preview name that is empty or has a comma`);
    return fields.join(" ").trimEnd();
  });
  for (const text of texts) {
    if (/[\n|]/.test(text)) throw new Error(`operations: the replacement text "${text}" has a line break or a "|"`);
  }
  return [[shared, ...texts].join("|"), ...lines].join("\n");
}

/** A value as a TypeScript type: the exact (readonly) type of the decoded table. */
function typeOf(value, indent = "") {
  if (Array.isArray(value)) return `readonly [${value.map((v) => typeOf(v, indent)).join(", ")}]`;
  if (value && typeof value === "object") {
    const inner = `${indent}  `;
    return `{\n${Object.entries(value).map(([k, v]) => `${inner}readonly ${JSON.stringify(k)}: ${typeOf(v, inner)};\n`).join("")}${indent}}`;
  }
  return JSON.stringify(value);
}

export function operationsTable(spec) {
  const rows = operations(spec).map((row) => ({ operationId: row.operationId, ...runtimeRow(row) }));
  const table = Object.fromEntries(rows.map(({ operationId, ...row }) => [operationId, row]));
  return [
    'import { decodeOperations } from "@ghes-sdk/core";',
    "",
    "/** Every operation of the era in the compact form `decodeOperations` (@ghes-sdk/core) reads. */",
    `export const encodedOperations: string = ${JSON.stringify(encodeOperations(rows))};`,
    "",
    "/** operationId → method, path, required previews, deprecation (and its replacement), since/until. */",
    `export type OperationTable = ${typeOf(table)};`,
    "",
    "/**",
    " * The decoded table. Marked pure: a bundle that does not use it leaves it (and its decoding) out; the",
    " * client decodes `encodedOperations` itself on its first request.",
    " */",
    "export const operationTable = /* @__PURE__ */ decodeOperations<OperationTable>(encodedOperations);",
    "",
    "export type OperationId = keyof OperationTable;",
    "",
  ].join("\n");
}
