// Extracts the facts the drift test compares our specs with — per GHES version (and REST API version) and
// per operation: path/query parameters, status codes, 2xx properties (required/nullable) and request-body
// properties — from GitHub's per-version OpenAPI descriptions. Only those facts are written, in our own
// compact format, one file per version: openapi/facts/versions/ghes-<v>.json (the version's default REST
// API: 2022-11-28 from 3.9, none before) and ghes-<v>.<api version>.json where GitHub describes another API
// version separately (3.21 and 3.22: 2026-03-10). Availability (since/until) is which files hold an
// operation. No text or schema is copied.
//
//   node scripts/facts.mjs --octokit <octokit/openapi git dir> --descriptions <folder>
//
// Sources, per version:
// - 2.20 – 3.5: generated/ghes-<v>.json in the history of octokit/openapi at pinned commits (VERSIONS
//   below; later versions survive there only as Git LFS pointers). The `fetch` tool's copy is
//   /work/.mirror/octokit+openapi/repo; `git clone --bare https://github.com/octokit/openapi` works too.
// - 3.6 and later: a folder laid out as github/rest-api-description's `descriptions/`
//   (ghes-<v>/ghes-<v>.json, ghes-<v>/ghes-<v>.<api version>.json; every such file below the folder is
//   read, and wins over the git history for the same version). Recreate it:
//     3.6 – 3.19 from the npm package @octokit/openapi, which ships each version's full description as
//     generated/ghes-<v>.json (pinned: 3.6/3.7 from 12.0.0, 3.8 from 14.0.0, 3.9–3.11 from 16.6.0, 3.12 from
//     18.2.0, 3.13 from 19.1.0, 3.14–3.16 from 22.0.0, 3.17–3.19 from 23.0.2):
//       for p in 12.0.0:3.6,3.7 14.0.0:3.8 16.6.0:3.9,3.10,3.11 18.2.0:3.12 19.1.0:3.13 \
//                22.0.0:3.14,3.15,3.16 23.0.2:3.17,3.18,3.19; do
//         pkg=${p%%:*}; npm pack "@octokit/openapi@$pkg" --pack-destination /tmp/oo
//         for v in $(echo "${p#*:}" | tr , ' '); do
//           mkdir -p "/tmp/desc/ghes-$v"
//           tar -xzOf "/tmp/oo/octokit-openapi-$pkg.tgz" "package/generated/ghes-$v.json" > "/tmp/desc/ghes-$v/ghes-$v.json"
//         done
//       done
//     3.20 – 3.22 (and 2026-03-10 for 3.21/3.22) only exist in github/rest-api-description:
//       descriptions/ghes-<v>/ghes-<v>.json and ghes-<v>.2026-03-10.json (git clone
//       https://github.com/github/rest-api-description, or subsets of them holding the in-scope paths and
//       the components they use; the ghes-<v>.2022-11-28.json copies equal the default file but for the
//       x-github-breaking-changes annotations, so they are not needed).
//
// The script is not part of the build: the facts are committed and the drift test reads them.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { repoRoot } from "./eras.mjs";
import { compareVersions, factsName, inScopeOperations, operationFacts, versionsDir } from "./facts-lib.mjs";

// Where each early GHES version's description sits in octokit/openapi's history.
const HISTORY = {
  "2.20": "48fee01e999a42388c8f660324460651e7fe0a1a",
  "2.21": "48fee01e999a42388c8f660324460651e7fe0a1a",
  "2.22": "c16dcc537c3531771984fa177649186fd814d6e0",
  "3.0": "65f7b1ce4f0d90fa1db433d7f0904ecd6cc3bdc4",
  "3.1": "99790d3b893013cacf0d2f7c8b7413f84e1cb613",
  "3.2": "fa6aa8b00d92b30773126cab7aa49bea7d6262b1",
  "3.3": "fd13fabc47ecaec3a7cb11e610b906c3af9d5e18",
  "3.4": "2d9dcbcc653f0201ccc582623034c75ae6b98b2c",
  "3.5": "cc216b1650b0b4038dfebec801756877d15d0897",
  "3.6": "2d9dcbcc653f0201ccc582623034c75ae6b98b2c",
};

const USAGE = "usage: node scripts/facts.mjs --octokit <octokit/openapi git dir> --descriptions <folder>";
function fail(problem) {
  console.error(`facts: ${problem}\n${USAGE}`);
  process.exit(2);
}

const { values } = parseArgs({ options: { octokit: { type: "string" }, descriptions: { type: "string" } } });
if (!values.octokit) fail("missing --octokit (the octokit/openapi git directory, for GHES 2.20–3.5)");
if (!existsSync(values.octokit)) fail(`${values.octokit} does not exist`);
if (!values.descriptions) fail("missing --descriptions (a folder laid out as github/rest-api-description's descriptions/)");
if (!existsSync(values.descriptions) || !statSync(values.descriptions).isDirectory()) fail(`${values.descriptions} is not a folder`);
if (!existsSync(join(repoRoot, "openapi"))) fail("run from the ghes-sdk repository");

/** Every ghes-<version>[.<api version>].json below a folder, as { version, api, load }. */
function described(folder) {
  const found = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const m = /^ghes-(\d+\.\d+)(?:\.(\d{4}-\d{2}-\d{2}))?\.json$/.exec(name);
        if (m) found.push({ version: m[1], api: m[2], source: path, load: () => JSON.parse(readFileSync(path, "utf8")) });
      }
    }
  };
  walk(folder);
  return found;
}

const fromHistory = Object.entries(HISTORY).map(([version, commit]) => ({
  version,
  source: `octokit/openapi@${commit.slice(0, 7)}:generated/ghes-${version}.json`,
  load: () => {
    const text = execFileSync("git", ["--git-dir", values.octokit, "show", `${commit}:generated/ghes-${version}.json`], { maxBuffer: 1 << 30, encoding: "utf8" });
    if (text.startsWith("version https://git-lfs")) throw new Error(`facts: ${version} at ${commit} is a Git LFS pointer`);
    return JSON.parse(text);
  },
}));

// The descriptions folder wins over the history for a version both have.
const sources = new Map();
for (const s of [...fromHistory, ...described(values.descriptions)]) sources.set(factsName(s.version, s.api), s);

const outDir = versionsDir;
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const order = [...sources.entries()].sort(([, a], [, b]) => compareVersions(a.version, b.version) || (a.api ?? "").localeCompare(b.api ?? ""));
for (const [name, { version, source, load }] of order) {
  const doc = load();
  const ops = {};
  for (const { key, path, op } of inScopeOperations(doc)) ops[key] = operationFacts(doc, path, op);
  const sorted = Object.fromEntries(Object.keys(ops).sort().map((k) => [k, ops[k]]));
  writeFileSync(join(outDir, `${name}.json`), JSON.stringify(sorted, null, 1) + "\n");
  console.log(`facts: GHES ${version}: ${Object.keys(ops).length} operations from ${source} → openapi/facts/versions/${name}.json`);
}
