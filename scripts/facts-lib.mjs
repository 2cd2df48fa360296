// How a schema, a parameter list and a response set become facts: shared by scripts/facts.mjs (GitHub's
// descriptions, OpenAPI 3.0) and the drift test (our bundled specs, OpenAPI 3.1), so both sides are read alike.

import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { compareVersions, isServed } from "@ghes-sdk/core";
import yaml from "js-yaml";
import { eras, repoRoot } from "./eras.mjs";

// Property depth recorded: top-level properties and one level below (`account.login`, `repositories[].id`).
export const DEPTH = 2;

export const resolve = (doc, node) => {
  for (let i = 0; node && node.$ref; i++) {
    if (i > 20) throw new Error(`facts: reference cycle at ${node.$ref}`);
    node = node.$ref.slice(2).split("/").reduce((at, k) => at?.[k.replace(/~1/g, "/").replace(/~0/g, "~")], doc);
  }
  return node ?? {};
};

const isNullType = (s) => s.type === "null" || (Array.isArray(s.type) && s.type.includes("null"));

// Flattens a schema into { props: {name: schema}, required: Set }, merging allOf and the branches of
// oneOf/anyOf.
function shape(doc, schema) {
  schema = resolve(doc, schema);
  const props = {};
  let required = new Set(schema.required ?? []);
  for (const [name, sub] of Object.entries(schema.properties ?? {})) props[name] = sub;
  for (const part of schema.allOf ?? []) {
    const s = shape(doc, part);
    Object.assign(props, s.props);
    for (const r of s.required) required.add(r);
  }
  const branches = (schema.oneOf ?? schema.anyOf ?? []).map((b) => resolve(doc, b)).filter((b) => !isNullType(b));
  if (branches.length) {
    const shapes = branches.map((b) => shape(doc, b));
    for (const s of shapes) for (const [n, p] of Object.entries(s.props)) props[n] ??= p;
    // Required when every variant defining the property requires it: a user-or-enterprise `owner` still
    // guarantees `login` once it is a user, and an optional field stays optional in any variant.
    for (const n of Object.keys(props))
      if (shapes.some((s) => n in s.props) && shapes.every((s) => !(n in s.props) || s.required.has(n))) required.add(n);
  }
  return { props, required };
}

function nullable(doc, schema) {
  if (schema.nullable === true || isNullType(schema)) return true;
  const s = resolve(doc, schema);
  if (s !== schema) return nullable(doc, s);
  return [...(s.oneOf ?? []), ...(s.anyOf ?? []), ...(s.allOf ?? [])].some((b) => {
    const r = resolve(doc, b);
    return r.nullable === true || isNullType(r);
  });
}

// An object (or array of objects) → { "name": "rn", "name.sub": "" … }: r = required, n = nullable.
export function properties(doc, schema, depth = DEPTH, prefix = "") {
  let s = resolve(doc, schema);
  if (!prefix && s.type === "array") s = resolve(doc, s.items);
  const out = {};
  const { props, required } = shape(doc, s);
  for (const name of Object.keys(props).sort()) {
    const sub = props[name];
    out[prefix + name] = (required.has(name) ? "r" : "") + (nullable(doc, sub) ? "n" : "");
    if (depth > 1) {
      let inner = resolve(doc, sub);
      let mark = ".";
      if (inner.type === "array") (inner = resolve(doc, inner.items)), (mark = "[].");
      else if (!inner.properties && (inner.allOf || inner.oneOf || inner.anyOf)) inner = { allOf: [inner] };
      Object.assign(out, properties(doc, inner, depth - 1, prefix + name + mark));
    }
  }
  return out;
}

// The schema of the first JSON media type (2.2x bodies may be listed under a preview's media type).
const jsonSchema = (content) => Object.entries(content ?? {}).find(([type]) => /json/.test(type))?.[1]?.schema;

export function operationFacts(doc, path, op) {
  const params = {};
  for (const p of [...(doc.paths[path].parameters ?? []), ...(op.parameters ?? [])].map((p) => resolve(doc, p))) {
    if (p.in === "path" || p.in === "query") params[`${p.in}:${p.name}`] = p.required ? "r" : "";
  }
  const responses = {};
  for (const [status, r] of Object.entries(op.responses ?? {})) {
    const res = resolve(doc, r);
    const schema = jsonSchema(res.content);
    responses[status] = /^2/.test(status) && schema ? properties(doc, schema) : null;
  }
  const bodySchema = jsonSchema(resolve(doc, op.requestBody)?.content);
  const body = bodySchema ? properties(doc, bodySchema, 1) : null;
  return { operationId: op.operationId, parameters: params, responses, ...(body ? { body } : {}) };
}


// ---- Per-version facts ------------------------------------------------------------------------------
// openapi/facts/versions/ghes-<v>.json: the facts of GHES <v>'s default REST API (2022-11-28 from 3.9,
// none before); ghes-<v>.<api>.json: those of another REST API version GitHub describes separately.

export const versionsDir = join(repoRoot, "openapi", "facts", "versions");

/** "3.9" < "3.10" < "3.22": core's comparison, re-exported for the scripts that read facts. */
export { compareVersions };

/** The facts file's name (without .json) for a GHES version and, if not the default one, a REST API version. */
export const factsName = (version, api) => `ghes-${version}${api ? `.${api}` : ""}`;

/** Every facts file: [{ version, api }], by version. @returns {{ version: string, api?: string }[]} */
export function factsFiles(dir = versionsDir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => /^ghes-(\d+\.\d+)(?:\.(\d{4}-\d{2}-\d{2}))?\.json$/.exec(name))
    .filter(Boolean)
    .map((m) => ({ version: String(m[1]), ...(m[2] ? { api: m[2] } : {}) }))
    .sort((a, b) => compareVersions(a.version, b.version) || (a.api ?? "").localeCompare(b.api ?? ""));
}

/** The GHES versions that have facts (of their default REST API). @returns {string[]} */
export const factsVersions = (dir = versionsDir) => factsFiles(dir).filter((f) => !f.api).map((f) => f.version);

// The REST API version a version's plain description (and facts file) is of: the one a request without an
// X-GitHub-Api-Version header gets.
export const DEFAULT_API = "2022-11-28";

/**
 * The facts file of one GHES version as a REST API version serves it: its own file where GitHub describes
 * that API version apart, else — for the default API version, or none — the plain one.
 * @param {string} version @param {string} [api] @returns {string}
 */
export function versionFactsFile(version, api, dir = versionsDir) {
  const own = api ? join(dir, `${factsName(version, api)}.json`) : undefined;
  if (own && (existsSync(own) || api !== DEFAULT_API)) return own;
  return join(dir, `${factsName(version)}.json`);
}

/** The facts of one GHES version as a REST API version serves it (see versionFactsFile). @param {string} version @param {string} [api] */
export const loadVersionFacts = (version, api, dir = versionsDir) => JSON.parse(readFileSync(versionFactsFile(version, api, dir), "utf8"));

// ---- Eras and the versions each covers ------------------------------------------------------------------
// From each era spec's info: x-ghes-first, optional x-ghes-last, and for an era named by a REST API version
// (ghes-2022-11-28) that API version. The versions known to exist are those with facts: a new era or a new
// GHES version needs no edit here.

/** The REST API version an era is named by ("ghes-2026-03-10" → "2026-03-10"), if any. */
export const apiVersionOf = (era) => /^ghes-(\d{4}-\d{2}-\d{2})$/.exec(era)?.[1];

/** An era's range: { first, last?, api? }, from its spec's info. @param {string} era @param {any} [info] @returns {{ first: string, last?: string, api?: string }} */
export function eraRange(era, info = readInfo(era)) {
  const first = info?.["x-ghes-first"];
  if (first === undefined) throw new Error(`facts: openapi/${era}/openapi.yaml has no info.x-ghes-first`);
  const last = info["x-ghes-last"];
  const api = apiVersionOf(era);
  return { first: String(first), ...(last !== undefined ? { last: String(last) } : {}), ...(api ? { api } : {}) };
}

function readInfo(era) {
  return yaml.load(readFileSync(join(repoRoot, "openapi", era, "openapi.yaml"), "utf8"))?.info;
}

/** Whether a version lies in [first, last] (no last: open). @param {{ first: string, last?: string }} range @param {string} version */
export const inRange = ({ first, last }, version) => isServed({ since: first, until: last }, version);

/** The versions with facts that an era covers. @param {string} era @param {string[]} [known] @returns {string[]} */
export const eraVersions = (era, known = factsVersions(), range = eraRange(era)) => known.filter((v) => inRange(range, v));

// The eras and the GHES versions with facts each covers.
/** @type {Record<string, string[]>} */
export const ERA_VERSIONS = Object.fromEntries(eras.map((era) => [era, eraVersions(era)]));

// ---- A spec as served at one version ------------------------------------------------------------------
// An operation, parameter, response status or schema property carrying x-ghes-since/x-ghes-until outside
// of which a version falls is not served at that version (absent: the whole era).

const itemServed = (node, version) => {
  const since = node?.["x-ghes-since"];
  const until = node?.["x-ghes-until"];
  return isServed({ since: since === undefined ? undefined : String(since), until: until === undefined ? undefined : String(until) }, version);
};

/** A copy of a spec with only what it says GHES `version` serves. */
export function servedAt(spec, version) {
  const doc = structuredClone(spec);
  const served = (node) => itemServed(node, version) && itemServed(resolve(doc, node), version);
  const keepParameters = (list) => list?.filter(served);
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    if (item.parameters) item.parameters = keepParameters(item.parameters);
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      if (!itemServed(op, version)) {
        delete item[method];
        continue;
      }
      if (op.parameters) op.parameters = keepParameters(op.parameters);
      for (const status of Object.keys(op.responses ?? {})) if (!served(op.responses[status])) delete op.responses[status];
    }
    if (!METHODS.some((m) => item[m])) delete doc.paths[path];
  }
  // Schema properties, wherever a schema sits; a dropped property leaves `required` too.
  const walk = (node) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    if (node.properties && typeof node.properties === "object" && !Array.isArray(node.properties)) {
      for (const [name, sub] of Object.entries(node.properties)) {
        if (served(sub)) walk(sub);
        else {
          delete node.properties[name];
          if (Array.isArray(node.required)) node.required = node.required.filter((r) => r !== name);
        }
      }
    }
    // A variant of a oneOf/anyOf may be version-scoped too (e.g. a `type: "null"` variant until some
    // version), as the emulator's servedAt reads it.
    for (const key of ["oneOf", "anyOf"]) if (Array.isArray(node[key])) node[key] = node[key].filter(served);
    for (const [key, value] of Object.entries(node)) if (key !== "properties") walk(value);
  };
  walk(doc);
  return doc;
}

// The APIs this SDK covers: GitHub Apps, installations, OAuth app tokens, the OAuth Authorizations API.
const IN_SCOPE = (id) => /^(apps|oauth-authorizations)\//.test(id) || id === "orgs/list-app-installations";
const METHODS = ["get", "put", "post", "patch", "delete"];

// octokit/openapi puts into a version's file a stand-in for each operation the next version adds: "This
// endpoint does not exist in ghes-<v>.json. It was added in ghes-<next>.json", answering 501 only. The
// version does not serve it.
const standIn = (op) =>
  /does not exist/i.test(op.description ?? "") && Object.keys(op.responses ?? {}).every((status) => status === "501");

/** Every operation of a GitHub description that this SDK covers, as { key: "METHOD /path", path, op }. */
export function* inScopeOperations(doc) {
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (op && IN_SCOPE(op.operationId ?? "") && !standIn(op)) yield { key: `${method.toUpperCase()} ${path}`, path, op };
    }
  }
}
