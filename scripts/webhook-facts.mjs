// Extracts the shape of every App-related GHES webhook payload example in octokit/webhooks'
// payload-examples/ghes-* (its current tree and its whole history) — per example only each property's path
// and JSON type, and the value of the few vocabulary fields the specs enumerate (`action`,
// `repository_selection`, permission levels, `config.content_type`) — into openapi/facts/webhook-examples.json
// (our own compact format; no example is copied). packages/conformance/test/webhooks.test.ts rebuilds a
// payload of that shape from each entry and checks it against the era's spec and types, so the examples'
// shapes are checked without the examples; with OCTOKIT_WEBHOOKS_GIT set it also checks the examples
// themselves and that this file is current.
//
//   node scripts/webhook-facts.mjs <octokit/webhooks git dir>   e.g. the `fetch` tool's /work/.mirror/octokit+webhooks/repo
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "./eras.mjs";

export const factsPath = join(repoRoot, "openapi", "facts", "webhook-examples.json");

const EXAMPLE = /^payload-examples\/ghes-(\d)(\d+)\/(installation|installation_repositories|integration_installation|integration_installation_repositories|github_app_authorization|installation_target|meta|ping)\/(\w+?)(?:\.payload)?\.json$/;

/** Every App-related GHES example in every commit of the clone, once per version, event.action and content. */
export function octokitExamples(gitDir) {
  const git = (...args) => execFileSync("git", ["--git-dir", gitDir, ...args], { encoding: "utf8", maxBuffer: 64 << 20 });
  const seen = new Set();
  const examples = [];
  for (const commit of git("log", "--all", "--format=%H", "--", "payload-examples/").split("\n").filter(Boolean)) {
    for (const line of git("ls-tree", "-r", commit, "payload-examples/").split("\n")) {
      const [meta, path] = line.split("\t");
      const match = path ? EXAMPLE.exec(path) : null;
      if (!match || !meta) continue;
      const blob = meta.split(" ")[2];
      const version = `${match[1]}.${match[2]}`;
      const key = match[3] === "ping" ? "ping" : `${match[3]}.${match[4]}`;
      if (seen.has(`${version} ${key} ${blob}`)) continue;
      seen.add(`${version} ${key} ${blob}`);
      examples.push({ version, key, blob: blob.slice(0, 12), path, body: git("cat-file", "blob", blob) });
    }
  }
  return examples.sort((a, b) => `${a.version} ${a.key} ${a.blob}`.localeCompare(`${b.version} ${b.key} ${b.blob}`, "en", { numeric: true }));
}

const KEPT = (path) => path === "action" || /(^|\.)repository_selection$/.test(path) || /(^|\.)permissions\.[\w]+$/.test(path) || /(^|\.)config\.content_type$/.test(path);
const typeOf = (value) => (value === null ? "null" : Array.isArray(value) ? "array" : Number.isInteger(value) ? "integer" : typeof value);

/** `{ "installation.id": "integer", "repositories[].name": "string", "action": "=created", … }` (arrays: their first item). */
export function shapeOf(value, path = "", out = {}) {
  if (Array.isArray(value)) {
    if (value.length === 0) out[path] = "array";
    else shapeOf(value[0], `${path}[]`, out);
  } else if (value !== null && typeof value === "object") {
    if (Object.keys(value).length === 0) out[path] = "object";
    for (const [key, child] of Object.entries(value)) shapeOf(child, path ? `${path}.${key}` : key, out);
  } else out[path] = typeof value === "string" && KEPT(path) ? `=${value}` : typeOf(value);
  return out;
}

/** A payload of the recorded shape: each string is "s" unless its value was kept, numbers 1, booleans true. */
export function payloadOf(shape) {
  const root = {};
  for (const [path, type] of Object.entries(shape)) {
    const steps = path.split(".").flatMap((step) => (step.endsWith("[]") ? [step.slice(0, -2), 0] : [step]));
    let at = root;
    steps.forEach((step, i) => {
      const last = i === steps.length - 1;
      const next = steps[i + 1];
      if (last) {
        at[step] = type.startsWith("=") ? type.slice(1) : { string: "s", integer: 1, number: 1.5, boolean: true, null: null, array: [], object: {} }[type];
      } else {
        at[step] ??= typeof next === "number" ? [] : {};
        at = at[step];
      }
    });
  }
  return root;
}

/** The facts file's text for these facts: one example a line. */
export const factsText = (facts) => `[\n${facts.map((fact) => JSON.stringify(fact)).join(",\n")}\n]\n`;

export function exampleFacts(gitDir) {
  return octokitExamples(gitDir).map(({ version, key, blob, body }) => ({ version, key, blob, shape: shapeOf(JSON.parse(body)) }));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const gitDir = process.argv[2];
  if (!gitDir) {
    console.error("usage: node scripts/webhook-facts.mjs <octokit/webhooks git dir>");
    process.exit(2);
  }
  const facts = exampleFacts(gitDir);
  writeFileSync(factsPath, factsText(facts));
  console.log(`webhook-facts: wrote ${facts.length} example shapes to openapi/facts/webhook-examples.json`);
}
