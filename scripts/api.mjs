// The API layer's generated modules, written into packages/<era>/src/generated/ by generate.mjs:
//   lists.ts         which GET operations are lists, and which property of the body holds the items
//   availability.ts  the era's GHES range and, per GHES version, the operations it serves (types)
//   functions.ts     one function per operation, named from its operationId, typed by `operations`
// Everything is derived from the bundled spec.
import { compareVersions, featureRelease, isServed, specEntries } from "@ghes-sdk/core";
import { replacementOf } from "./deprecations.mjs";

/** Resolves local `$ref`s of the bundled spec (one level at a time, as needed). */
function deref(spec, node) {
  let seen = 0;
  while (node && typeof node === "object" && typeof node.$ref === "string") {
    if (!node.$ref.startsWith("#/") || ++seen > 20) throw new Error(`api: cannot resolve ${node.$ref}`);
    node = node.$ref.slice(2).split("/").reduce((n, k) => n?.[k.replace(/~1/g, "/").replace(/~0/g, "~")], spec);
  }
  return node;
}

export function operationsOf(spec) {
  return specEntries(spec).sort((a, b) => a.op.operationId.localeCompare(b.op.operationId));
}

/**
 * A GET whose 200 JSON body is an array lists that array; one whose body is an object with `total_count`
 * and exactly one array property (`installations`, `repositories`) lists that property.
 */
export function listKey(spec, method, op) {
  if (method !== "get") return undefined;
  const schema = deref(spec, deref(spec, op.responses?.["200"])?.content?.["application/json"]?.schema);
  if (!schema) return undefined;
  if (schema.type === "array") return null;
  const props = schema.type === "object" ? schema.properties ?? {} : {};
  if (!("total_count" in props)) return undefined;
  const arrays = Object.keys(props).filter((k) => deref(spec, props[k])?.type === "array");
  if (arrays.length !== 1) throw new Error(`api: ${op.operationId} has total_count but ${arrays.length} array properties`);
  return arrays[0];
}

export function lists(spec) {
  const map = {};
  for (const { path, method, op } of operationsOf(spec)) {
    const key = listKey(spec, method, op);
    if (key !== undefined) map[path] = key;
  }
  return map;
}

// ---- GHES versions

const parse = (v) => featureRelease(String(v));
const cmp = (a, b) => compareVersions(String(a), String(b));

export function eraRange(spec) {
  const since = spec.info?.["x-ghes-first"];
  if (!since) throw new Error("api: info.x-ghes-first is missing");
  const until = spec.info["x-ghes-last"];
  return until ? { since: String(since), until: String(until) } : { since: String(since) };
}

/** The era's feature releases, first to last; an open era runs to the newest version its operations name. */
function versions(spec) {
  const { since, until } = eraRange(spec);
  const named = operationsOf(spec).flatMap(({ op }) => [op["x-ghes-since"], op["x-ghes-until"]]).filter(Boolean).map(String);
  const [major, first] = parse(since);
  const last = until ? parse(until)[1] : Math.max(first, ...named.filter((v) => parse(v)[0] === major).map((v) => parse(v)[1]));
  return Array.from({ length: last - first + 1 }, (_, i) => `${major}.${first + i}`);
}

const served = (op, v) => isServed({ since: op["x-ghes-since"] && String(op["x-ghes-since"]), until: op["x-ghes-until"] && String(op["x-ghes-until"]) }, v);

export function availabilityModule(spec) {
  const range = eraRange(spec);
  const ops = operationsOf(spec);
  const keys = (v) => ops.filter(({ op }) => v === undefined ? !op["x-ghes-until"] : served(op, v)).map(({ method, path }) => JSON.stringify(`${method} ${path}`));
  const union = (ks) => (ks.length ? ks.join(" | ") : "never");
  const lines = [
    `/** The GHES versions this era serves. */`,
    `export const ghesRange = ${JSON.stringify(range)} as const;`,
    "",
    `/** Per GHES feature release: the \`"<method> <path>"\` of every operation it serves (x-ghes-since/x-ghes-until). */`,
    "export type ServedBy = {",
    ...versions(spec).map((v) => `  ${JSON.stringify(v)}: ${union(keys(v))};`),
    "}",
  ];
  if (!range.until) {
    // Later releases of an open era serve what has no x-ghes-until.
    lines[lines.length - 1] = `} & { [version: \`${parse(range.since)[0]}.\${number}\`]: ${union(keys(undefined))} };`;
  }
  lines.push("", "/** The values `createClient({ ghesVersion })` narrows the client's paths for. */", "export type GhesVersion = Extract<keyof ServedBy, string>;", "");
  // The same for the spec's webhooks (the deliveries each release sends), for `createWebhooks({ ghesVersion })`.
  const hooks = Object.entries(spec.webhooks ?? {}).map(([key, item]) => ({ key, op: item.post ?? {} }));
  const hookKeys = (v) => hooks.filter(({ op }) => (v === undefined ? !op["x-ghes-until"] : served(op, v))).map(({ key }) => JSON.stringify(key));
  lines.push(
    "/** Per GHES feature release: the key (`event.action`) of every webhook it delivers (x-ghes-since/x-ghes-until). */",
    "export type WebhooksServedBy = {",
    ...versions(spec).map((v) => `  ${JSON.stringify(v)}: ${union(hookKeys(v))};`),
    range.until ? "}" : `} & { [version: \`${parse(range.since)[0]}.\${number}\`]: ${union(hookKeys(undefined))} };`,
    "",
  );
  return lines.join("\n");
}

// ---- operation functions

/**
 * `apps/list-installations` → `listInstallations`; other namespaces keep theirs
 * (`oauth-authorizations/delete-authorization` → `oauthAuthorizationsDeleteAuthorization`, apart from
 * `apps/delete-authorization`). The rule looks at the operationId alone, so an operation has the same
 * name in every era that has it.
 */
export const functionName = (operationId) =>
  operationId.replace(/^apps\//, "").replace(/[-/]([a-z0-9])/g, (_, c) => c.toUpperCase());

const slug = (text) => text.toLowerCase().replace(/[^a-z0-9 -]/g, "").trim().replace(/\s+/g, "-");

/** The GHES docs page of an operation: the spec's externalDocs, else the REST reference of its tag at the newest version serving it. */
function docsUrl(spec, op) {
  if (op.externalDocs?.url) return op.externalDocs.url;
  const range = eraRange(spec);
  const version = op["x-ghes-until"] && (!range.until || cmp(op["x-ghes-until"], range.until) < 0) ? op["x-ghes-until"] : range.until ?? range.since;
  const tag = op.tags?.[0] ?? "overview";
  const section = parse(version)[0] < 3 ? `reference/${tag}` : tag;
  return `https://docs.github.com/enterprise-server@${version}/rest/${section}#${slug(op.summary ?? op.operationId)}`;
}

function jsdoc(spec, { path, method, op }) {
  const esc = (t) => t.replace(/\*\//g, "*\\/").trimEnd();
  const lines = [esc(op.summary ?? op.operationId), ""];
  if (op.description) lines.push(...esc(op.description).split("\n"), "");
  lines.push(`\`${method.toUpperCase()} ${path}\` (\`${op.operationId}\`), served by GHES ${op["x-ghes-since"] ?? "2.20"}${op["x-ghes-until"] ? ` to ${op["x-ghes-until"]}` : " and later"}.`, "");
  if (op["x-ghes-since"]) lines.push(`@since GHES ${op["x-ghes-since"]}`);
  if (op.deprecated) {
    const r = replacementOf(spec, method, path);
    lines.push(`@deprecated Use ${r.text ?? `{@link ${functionName(r.operationId)}} (\`${r.method.toUpperCase()} ${r.path}\`)`} instead.${op["x-ghes-until"] ? ` Not served after GHES ${op["x-ghes-until"]}.` : ""}`);
  }
  lines.push(`@see {@link ${docsUrl(spec, op)} GHES docs}`);
  return ["/**", ...lines.map((l) => (l ? ` * ${l}` : " *")), " */"].join("\n");
}

function paramsOf(spec, { op, item }) {
  const all = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) => deref(spec, p));
  return {
    path: all.filter((p) => p.in === "path"),
    query: all.filter((p) => p.in === "query"),
  };
}

function functionSource(spec, entry) {
  const { path, method, op } = entry;
  const id = JSON.stringify(op.operationId);
  const T = `operations[${id}]`;
  const { path: pathParams, query } = paramsOf(spec, entry);
  const body = deref(spec, op.requestBody);
  const bodySchema = deref(spec, body?.content?.["application/json"]?.schema);
  const bodyIsObject = bodySchema?.type === "object";
  const names = [...pathParams.map((p) => p.name), ...query.map((p) => p.name), ...(bodyIsObject ? Object.keys(bodySchema.properties ?? {}) : body ? ["body"] : [])];
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new Error(`api: ${op.operationId} has "${dup}" twice among its path, query and body parameters`);

  const types = [];
  if (pathParams.length) types.push(`${T}["parameters"]["path"]`);
  if (query.length) types.push(`NonNullable<${T}["parameters"]["query"]>`);
  const bodyType = body ? `${body.required ? "" : "NonNullable<"}${T}["requestBody"]${body.required ? "" : ">"}["content"]["application/json"]` : undefined;
  if (bodyType) types.push(bodyIsObject ? bodyType : `{ body${body.required ? "" : "?"}: ${bodyType} }`);
  const required =
    pathParams.length > 0 || query.some((p) => p.required) || (body?.required && (!bodyIsObject || (bodySchema.required ?? []).length > 0));

  const options = ["...init"];
  const destructure = [];
  const parts = [];
  if (pathParams.length) {
    destructure.push(...pathParams.map((p) => p.name));
    parts.push(`path: { ${pathParams.map((p) => p.name).join(", ")} }`);
  }
  if (query.length && !bodyIsObject && !body) {
    destructure.push("...query");
    parts.push("query");
  } else if (query.length) {
    destructure.push(...query.map((p) => p.name));
    parts.push(`query: { ${query.map((p) => p.name).join(", ")} }`);
  }
  if (parts.length) options.push(`params: { ${parts.join(", ")} }`);
  if (body && bodyIsObject) {
    destructure.push("...body");
    options.push("body");
  } else if (body) {
    destructure.push("body");
    options.push("body");
  }
  const argType = types.length ? types.join(" & ") : "Record<string, never>";
  const arg = types.length === 0 ? "_params: Record<string, never> = {}" : `params: ${argType}${required ? "" : " = {}"}`;
  const lines = [
    jsdoc(spec, entry),
    `export function ${functionName(op.operationId)}(client: EraClient, ${arg}, init?: CallInit) {`,
  ];
  if (destructure.length) lines.push(`  const { ${destructure.join(", ")} } = params;`);
  lines.push(`  return (client as GhesClient<paths>).${method.toUpperCase()}(${JSON.stringify(path)}, { ${options.join(", ")} });`, "}", "");
  return lines.join("\n");
}

export function functionsModule(spec) {
  const entries = operationsOf(spec);
  const seen = new Map();
  for (const { op } of entries) {
    const name = functionName(op.operationId);
    if (seen.has(name)) throw new Error(`api: ${op.operationId} and ${seen.get(name)} would both be ${name}()`);
    seen.set(name, op.operationId);
  }
  return [
    'import type { CallInit, GhesClient } from "@ghes-sdk/core";',
    'import type { operations, paths } from "./openapi.js";',
    'import type { ServedBy } from "./availability.js";',
    'import type { ServedPaths } from "@ghes-sdk/core";',
    "",
    "/** A client of this era, with or without a `ghesVersion`. */",
    "export type EraClient = GhesClient<paths> | GhesClient<ServedPaths<paths, ServedBy[keyof ServedBy]>>;",
    "",
    ...entries.map((e) => functionSource(spec, e)),
    "/** operationId → its function (a type only: nothing is bundled for it). */",
    "export type OperationFunctions = {",
    ...entries.map(({ op }) => `  ${JSON.stringify(op.operationId)}: typeof ${functionName(op.operationId)};`),
    "};",
    "",
  ].join("\n");
}

export function listsModule(spec) {
  return [
    "/** List operations: path → the body property holding the items (`null`: the body is the array). */",
    `export const lists = ${JSON.stringify(lists(spec), null, 2)} as const;`,
    "",
  ].join("\n");
}

/** [file name, text] of every module this script generates for an era. */
export function apiModules(spec) {
  return [
    ["lists.ts", listsModule(spec)],
    ["availability.ts", availabilityModule(spec)],
    ["functions.ts", functionsModule(spec)],
  ];
}

// ---- packages/core/src/eras.ts: every era's GHES range, for detectGhes (committed; conformance checks drift)

/** The REST API version an era is named after (`ghes-2026-03-10` → `2026-03-10`), if it is named after one. */
export const apiVersionOf = (era) => /^ghes-(\d{4}-\d{2}-\d{2})$/.exec(era)?.[1];

/**
 * `specs`: era → bundled spec (only `info` is read). Eras are ordered by their first GHES version, then by
 * name, so where two eras serve one version (3.21+: 2022-11-28 and 2026-03-10) the one a request without
 * `X-GitHub-Api-Version` gets comes first.
 */
export function erasModule(specs) {
  const rows = Object.entries(specs).map(([era, spec]) => {
    const apiVersion = apiVersionOf(era);
    return { era, packageName: `@ghes-sdk/${era}`, ...eraRange(spec), ...(apiVersion ? { apiVersion } : {}) };
  });
  rows.sort((a, b) => cmp(a.since, b.since) || a.era.localeCompare(b.era));
  return [
    "// Generated from the specs' info.x-ghes-first/x-ghes-last by `node scripts/api.mjs eras` — do not edit.",
    "// packages/conformance/test/eras.test.ts fails while it is stale.",
    "",
    "/** The API generations the era packages cover, one package each. */",
    `export type EraName = ${rows.map((r) => JSON.stringify(r.era)).join(" | ")};`,
    "",
    "/**",
    " * Every era package and the GHES feature releases it serves, oldest first (`until` absent: current), and",
    " * the REST API version it sends as `X-GitHub-Api-Version` for eras named after one. Eras may overlap (GHES",
    " * 3.21+ serves 2022-11-28 and 2026-03-10); of those, the first is what a request without the header gets.",
    " */",
    `export const eraRanges: readonly { readonly era: EraName; readonly packageName: string; readonly since: string; readonly until?: string; readonly apiVersion?: string }[] = ${JSON.stringify(rows, null, 2)};`,
    "",
  ].join("\n");
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()) && process.argv[2] === "eras") {
  const { readFileSync, writeFileSync } = await import("node:fs");
  const { join } = await import("node:path");
  const { eras, repoRoot } = await import("./eras.mjs");
  const specs = Object.fromEntries(eras.map((era) => [era, JSON.parse(readFileSync(join(repoRoot, "packages", era, "openapi.json"), "utf8"))]));
  const file = join(repoRoot, "packages", "core", "src", "eras.ts");
  writeFileSync(file, erasModule(specs));
  console.log("api: wrote packages/core/src/eras.ts");
}
