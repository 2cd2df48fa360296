// How a schema, a parameter list and a response set become facts: shared by scripts/facts.mjs (GitHub's
// descriptions, OpenAPI 3.0) and the drift test (our bundled specs, OpenAPI 3.1), so both sides are read alike.

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


// The eras and the GHES versions each covers (the last listed version stands for "and later").
export const ERA_VERSIONS = {
  "ghes-2.2x": ["2.20", "2.21", "2.22"],
  "ghes-3.x": ["3.0", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8"],
  "ghes-2022-11-28": ["3.9"],
};

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
