// Extracts the facts the drift test compares our specs with — per operation: path/query parameters, status
// codes, 2xx properties (required/nullable), request-body properties and the first/last GHES version serving
// it — from GitHub's per-version OpenAPI descriptions as kept in the history of octokit/openapi. Only those
// facts are written (our own compact format, openapi/facts/<era>.json); no text or schema is copied.
//
//   node scripts/facts.mjs <octokit/openapi git dir>     e.g. the `fetch` tool's /work/.mirror/octokit+openapi/repo
//
// The script is not part of the build: the facts are committed and the drift test reads them.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./eras.mjs";
import { ERA_VERSIONS, inScopeOperations, operationFacts } from "./facts-lib.mjs";

// Where each GHES version's description sits in octokit/openapi's history. 3.7 and later are stored there
// as Git LFS pointers only; what survives as plain JSON are the "<a>-diff-to-<b>" files, which hold
// version <a>'s copy of every operation that changed in <b>. A version is therefore a stack of layers,
// later layers winning per operation: 3.8 = 3.6 + 3.7's changed operations + 3.8's changed operations.
// An operation unchanged from 3.6 to 3.8 is the same in all three, so the stack is exact for everything
// the diffs mark; see openapi/README.md ("Facts") for what this cannot see.
const full = (commit, version) => ({ commit, file: `generated/ghes-${version}.json`, version });
const diff = (commit, from, to) => ({ commit, file: `generated/ghes-${from}-diff-to-${to}.json`, only: "changed", version: from });
const D = "88a33eaf7ff36fe8ab5c84370d1f3e926a59a060"; // 2023-06-10: the last commit with the diffs as plain JSON
const VERSIONS = {
  "2.20": [full("48fee01e999a42388c8f660324460651e7fe0a1a", "2.20")],
  "2.21": [full("48fee01e999a42388c8f660324460651e7fe0a1a", "2.21")],
  "2.22": [full("c16dcc537c3531771984fa177649186fd814d6e0", "2.22")],
  "3.0": [full("65f7b1ce4f0d90fa1db433d7f0904ecd6cc3bdc4", "3.0")],
  "3.1": [full("99790d3b893013cacf0d2f7c8b7413f84e1cb613", "3.1")],
  "3.2": [full("fa6aa8b00d92b30773126cab7aa49bea7d6262b1", "3.2")],
  "3.3": [full("fd13fabc47ecaec3a7cb11e610b906c3af9d5e18", "3.3")],
  "3.4": [full("2d9dcbcc653f0201ccc582623034c75ae6b98b2c", "3.4")],
  "3.5": [full("cc216b1650b0b4038dfebec801756877d15d0897", "3.5")],
  "3.6": [full("2d9dcbcc653f0201ccc582623034c75ae6b98b2c", "3.6")],
  "3.7": [full("2d9dcbcc653f0201ccc582623034c75ae6b98b2c", "3.6"), diff(D, "3.7", "ghes-3.8")],
  "3.8": [full("2d9dcbcc653f0201ccc582623034c75ae6b98b2c", "3.6"), diff(D, "3.7", "ghes-3.8"), diff(D, "3.8", "ghes-3.9")],
  "3.9": [
    full("2d9dcbcc653f0201ccc582623034c75ae6b98b2c", "3.6"),
    diff(D, "3.7", "ghes-3.8"),
    diff(D, "3.8", "ghes-3.9"),
    diff(D, "3.9", "api.github.com"),
  ],
};
const ORDER = Object.keys(VERSIONS);

function usage(problem) {
  console.error(`facts: ${problem}\nusage: node scripts/facts.mjs <octokit/openapi git dir>`);
  process.exit(2);
}

const gitDir = process.argv[2];
if (!gitDir) usage("missing the octokit/openapi git directory");
if (!existsSync(gitDir)) usage(`${gitDir} does not exist`);

const cache = new Map();
function load({ commit, file }) {
  const key = `${commit}:${file}`;
  if (!cache.has(key)) {
    const text = execFileSync("git", ["--git-dir", gitDir, "show", key], { maxBuffer: 1 << 30, encoding: "utf8" });
    if (text.startsWith("version https://git-lfs")) throw new Error(`facts: ${key} is a Git LFS pointer`);
    cache.set(key, JSON.parse(text));
  }
  return cache.get(key);
}

// Every in-scope operation each version serves, keyed "METHOD path". A stacked version reads its
// operations against the stack's components, newest layer first: a diff file carries its version's copy of
// every component its operations use, so a schema 3.9 changed is read as 3.9 has it.
const perVersion = {};
for (const version of ORDER) {
  const docs = VERSIONS[version].map(load);
  const components = {};
  for (const doc of docs)
    for (const [section, entries] of Object.entries(doc.components ?? {})) Object.assign((components[section] ??= {}), entries);
  const ops = {};
  VERSIONS[version].forEach((layer, i) => {
    const doc = { ...docs[i], components };
    for (const { key, path, op } of inScopeOperations(doc)) {
      if (layer.only && op["x-octokit"]?.diff && !Object.values(op["x-octokit"].diff).some((d) => d.type === layer.only)) continue;
      ops[key] = { read: layer.version, ...operationFacts(doc, path, op) };
    }
  });
  perVersion[version] = ops;
  console.error(`facts: GHES ${version}: ${Object.keys(ops).length} operations`);
}

const outDir = join(repoRoot, "openapi", "facts");
if (!existsSync(join(repoRoot, "openapi"))) throw new Error("facts: run from the ghes-sdk repository");
mkdirSync(outDir, { recursive: true });
for (const [era, versions] of Object.entries(ERA_VERSIONS)) {
  const keys = new Set(versions.flatMap((v) => Object.keys(perVersion[v])));
  const out = {};
  for (const key of [...keys].sort()) {
    const serving = ORDER.filter((v) => perVersion[v][key]);
    const inEra = versions.filter((v) => perVersion[v][key]);
    const newest = inEra[inEra.length - 1];
    const last = serving[serving.length - 1];
    // `from`: the description the facts are read from — the newest of the era serving the operation, or
    // for a rebuilt version (3.7+) the version whose copy of the operation the rebuild holds.
    const { read, ...rest } = perVersion[newest][key];
    out[key] = { since: serving[0], ...(last !== ORDER[ORDER.length - 1] ? { until: last } : {}), from: read, ...rest };
  }
  const file = join(outDir, `${era}.json`);
  rmSync(file, { force: true });
  writeFileSync(file, JSON.stringify(out, null, 1) + "\n");
  console.log(`facts: wrote openapi/facts/${era}.json (${keys.size} operations)`);
}
