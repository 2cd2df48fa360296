// The semver rule for spec changes (.changeset/README.md), as code: compares two bundled specs of one era
// and says which version bump the change needs, with one line per change.
//
//   major  an operation, parameter, request/response field, media type or status code removed; an
//          operationId renamed; a request made stricter (new required parameter or field, a type or enum
//          narrowed, a tighter limit or pattern); a response field that may now be absent; a credential
//          an operation accepted no longer accepted
//   (a webhook is compared as an operation whose payload is a response: a delivery removed, or a payload field
//   removed or made optional, is major; a delivery or payload field added is minor)
//   minor  an operation, optional parameter or field, media type or status code added; a request made
//          looser; deprecations, availability (x-ghes-*) and any other change to what is served
//   patch  descriptions, summaries, titles, examples, tags and external docs only
//
// Usage: node scripts/spec-diff.mjs <before.json> <after.json>   (prints the changes and the bump)
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

export const BUMPS = ["none", "patch", "minor", "major"];
const DOC_KEYS = new Set(["description", "summary", "title", "example", "examples", "externalDocs", "tags", "$comment"]);
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const UPPER_LIMITS = ["maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties"];
const LOWER_LIMITS = ["minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties"];

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** @returns {{ bump: "none" | "patch" | "minor" | "major", changes: { bump: string, where: string, what: string }[] }} */
export function diffSpecs(before, after) {
  const changes = [];
  const note = (bump, where, what) => changes.push({ bump, where, what });
  const resolve = (spec, node) => {
    for (let hops = 0; node && typeof node.$ref === "string"; hops++) {
      if (!node.$ref.startsWith("#/") || hops > 50) throw new Error(`spec-diff: cannot follow $ref ${node.$ref}`);
      node = node.$ref
        .slice(2)
        .split("/")
        .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
        .reduce((at, key) => at?.[key], spec);
    }
    return node;
  };
  const B = (node) => resolve(before, node);
  const A = (node) => resolve(after, node);

  // Keys not handled above them: documentation keys are patch, anything else that differs is minor.
  function rest(b, a, where, handled) {
    for (const key of new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])) {
      if (handled.includes(key) || same(b?.[key], a?.[key])) continue;
      note(DOC_KEYS.has(key) ? "patch" : "minor", where, `${key} changed`);
    }
  }

  const seen = new Set();
  function schema(b0, a0, where, dir) {
    const pair = `${b0?.$ref ?? ""}|${a0?.$ref ?? ""}|${dir}`;
    if (b0?.$ref && a0?.$ref) {
      if (seen.has(pair)) return;
      seen.add(pair);
    }
    const b = B(b0) ?? {};
    const a = A(a0) ?? {};
    const req = dir === "request";
    // Types: a request accepting more is looser, a response returning fewer is narrower for the reader.
    const types = (s) => new Set([s.type ?? []].flat());
    const tb = types(b);
    const ta = types(a);
    if (!same([...tb].sort(), [...ta].sort())) {
      const widened = [...tb].every((t) => ta.has(t)) && tb.size > 0;
      const narrowed = [...ta].every((t) => tb.has(t)) && ta.size > 0;
      note((req ? widened : narrowed) ? "minor" : "major", where, `type ${[...tb].join("|") || "any"} → ${[...ta].join("|") || "any"}`);
    }
    const pb = b.properties ?? {};
    const pa = a.properties ?? {};
    for (const name of Object.keys(pb)) {
      if (!(name in pa)) note("major", where, `field ${name} removed`);
      else schema(pb[name], pa[name], `${where}.${name}`, dir);
    }
    for (const name of Object.keys(pa)) if (!(name in pb)) note("minor", where, `field ${name} added`);
    const rb = new Set(b.required ?? []);
    const ra = new Set(a.required ?? []);
    for (const name of ra) if (!rb.has(name)) note(req ? "major" : "minor", where, `field ${name} now required`);
    for (const name of rb) if (!ra.has(name)) note(req ? "minor" : "major", where, `field ${name} no longer required`);
    if (b.enum || a.enum) {
      const eb = b.enum ?? [];
      const ea = a.enum ?? [];
      if (!b.enum) note(req ? "major" : "minor", where, "values restricted to an enum");
      else if (!a.enum) note(req ? "minor" : "major", where, "enum restriction dropped");
      else {
        for (const v of eb) if (!ea.some((x) => same(x, v))) note("major", where, `enum value ${JSON.stringify(v)} removed`);
        for (const v of ea) if (!eb.some((x) => same(x, v))) note("minor", where, `enum value ${JSON.stringify(v)} added`);
      }
    }
    const limit = (key, stricter) => {
      if (same(b[key], a[key])) return;
      const tighter = b[key] === undefined || (a[key] !== undefined && stricter(a[key], b[key]));
      note(req && tighter ? "major" : "minor", where, `${key} ${b[key] ?? "none"} → ${a[key] ?? "none"}`);
    };
    for (const key of UPPER_LIMITS) limit(key, (x, y) => x < y);
    for (const key of LOWER_LIMITS) limit(key, (x, y) => x > y);
    for (const key of ["pattern", "format", "const"]) {
      if (!same(b[key], a[key])) note(req && a[key] !== undefined ? "major" : "minor", where, `${key} changed`);
    }
    if (!same(b.additionalProperties, a.additionalProperties)) {
      if (typeof a.additionalProperties === "object" && typeof b.additionalProperties === "object") {
        schema(b.additionalProperties, a.additionalProperties, `${where}[*]`, dir);
      } else {
        const closed = a.additionalProperties === false;
        note(req && closed ? "major" : "minor", where, `additionalProperties ${closed ? "closed" : "changed"}`);
      }
    }
    if (b.items || a.items) {
      if (b.items && a.items) schema(b.items, a.items, `${where}[]`, dir);
      else note("major", where, "items changed");
    }
    for (const key of ["oneOf", "anyOf", "allOf"]) {
      const xb = b[key] ?? [];
      const xa = a[key] ?? [];
      for (let i = 0; i < Math.min(xb.length, xa.length); i++) schema(xb[i], xa[i], `${where}.${key}[${i}]`, dir);
      if (xb.length > xa.length) note("major", where, `${key} alternative removed`);
      if (xa.length > xb.length) note(key === "allOf" && req ? "major" : "minor", where, `${key} alternative added`);
    }
    rest(b, a, where, [
      "$ref", "type", "properties", "required", "enum", ...UPPER_LIMITS, ...LOWER_LIMITS,
      "pattern", "format", "const", "additionalProperties", "items", "oneOf", "anyOf", "allOf",
    ]);
  }

  function content(cb = {}, ca = {}, where, dir) {
    for (const type of Object.keys(cb)) {
      if (!(type in ca)) note("major", where, `media type ${type} removed`);
      else {
        schema(cb[type].schema, ca[type].schema, `${where} ${type}`, dir);
        rest(cb[type], ca[type], `${where} ${type}`, ["schema"]);
      }
    }
    for (const type of Object.keys(ca)) if (!(type in cb)) note("minor", where, `media type ${type} added`);
  }

  function operation(b, a, op) {
    if (b.operationId !== a.operationId) note("major", op, `operationId ${b.operationId} → ${a.operationId}`);
    if (!same(b.deprecated ?? false, a.deprecated ?? false)) note("minor", op, a.deprecated ? "deprecated" : "no longer deprecated");
    if (!same(b.security, a.security)) {
      const key = (req) => Object.keys(req).sort().join("+");
      const sa = new Set((a.security ?? []).map(key));
      const lost = (b.security ?? []).map(key).filter((k) => !sa.has(k));
      note(lost.length ? "major" : "minor", op, lost.length ? `no longer accepts ${lost.join(", ") || "anonymous"}` : "security widened");
    }
    const params = (spec, list) => new Map((list ?? []).map((p) => resolve(spec, p)).map((p) => [`${p.in} ${p.name}`, p]));
    const pb = params(before, b.parameters);
    const pa = params(after, a.parameters);
    for (const [key, p] of pb) {
      const q = pa.get(key);
      if (!q) {
        note("major", op, `parameter ${key} removed`);
        continue;
      }
      if (!p.required && q.required) note("major", op, `parameter ${key} now required`);
      if (p.required && !q.required) note("minor", op, `parameter ${key} now optional`);
      schema(p.schema, q.schema, `${op} parameter ${key}`, "request");
      rest(p, q, `${op} parameter ${key}`, ["schema", "required", "in", "name"]);
    }
    for (const [key, q] of pa) if (!pb.has(key)) note(q.required ? "major" : "minor", op, `${q.required ? "required" : "optional"} parameter ${key} added`);

    const bb = B(b.requestBody);
    const ba = A(a.requestBody);
    if (bb && !ba) note("major", op, "request body removed");
    if (!bb && ba) note(ba.required ? "major" : "minor", op, "request body added");
    if (bb && ba) {
      if (!bb.required && ba.required) note("major", op, "request body now required");
      if (bb.required && !ba.required) note("minor", op, "request body now optional");
      content(bb.content, ba.content, `${op} request body`, "request");
      rest(bb, ba, `${op} request body`, ["content", "required"]);
    }

    const xb = b.responses ?? {};
    const xa = a.responses ?? {};
    for (const status of Object.keys(xb)) {
      if (!(status in xa)) {
        note("major", op, `response ${status} removed`);
        continue;
      }
      const rb = B(xb[status]);
      const ra = A(xa[status]);
      content(rb.content, ra.content, `${op} ${status}`, "response");
      rest(rb, ra, `${op} ${status}`, ["content"]);
    }
    for (const status of Object.keys(xa)) if (!(status in xb)) note("minor", op, `response ${status} added`);
    rest(b, a, op, ["operationId", "deprecated", "security", "parameters", "requestBody", "responses"]);
  }

  const paths = new Set([...Object.keys(before.paths ?? {}), ...Object.keys(after.paths ?? {})]);
  for (const path of paths) {
    const ib = before.paths?.[path] ?? {};
    const ia = after.paths?.[path] ?? {};
    for (const method of METHODS) {
      const op = `${method.toUpperCase()} ${path}`;
      if (ib[method] && !ia[method]) note("major", op, "operation removed");
      else if (!ib[method] && ia[method]) note("minor", op, "operation added");
      else if (ib[method] && ia[method]) operation(ib[method], ia[method], op);
    }
    rest(ib, ia, path, METHODS);
  }
  // Webhooks: a delivery's payload is read by the receiver, so it is compared as a response body is.
  const hooks = new Set([...Object.keys(before.webhooks ?? {}), ...Object.keys(after.webhooks ?? {})]);
  for (const key of hooks) {
    const hb = B(before.webhooks?.[key])?.post;
    const ha = A(after.webhooks?.[key])?.post;
    const where = `webhook ${key}`;
    if (hb && !ha) note("major", where, "no longer delivered");
    else if (!hb && ha) note("minor", where, "delivery added");
    else if (hb && ha) {
      content(B(hb.requestBody)?.content, A(ha.requestBody)?.content, where, "response");
      rest(hb, ha, where, ["requestBody"]);
    }
  }
  rest(before.info, after.info, "info", ["version"]);

  const bump = changes.reduce((top, c) => (BUMPS.indexOf(c.bump) > BUMPS.indexOf(top) ? c.bump : top), "none");
  return { bump, changes };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [beforeFile, afterFile] = process.argv.slice(2);
  if (!beforeFile || !afterFile) {
    console.error("usage: node scripts/spec-diff.mjs <before.json> <after.json>");
    process.exit(2);
  }
  const { bump, changes } = diffSpecs(JSON.parse(readFileSync(beforeFile, "utf8")), JSON.parse(readFileSync(afterFile, "utf8")));
  for (const c of changes) console.log(`${c.bump.padEnd(5)} ${c.where}: ${c.what}`);
  console.log(`bump: ${bump}`);
}
