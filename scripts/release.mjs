#!/usr/bin/env node
// The publish step of `npm run release` (which builds everything with turbo first, then runs this).
//
//   node scripts/release.mjs [--dry-run] [--registry <url>] [--no-git-tag] [--rehearsal]
//
// Refuses while changesets are pending (run `npm run version` first) or while a spec differs from the
// baseline `npm run version` recorded (the release would ship a change no changeset describes). Then
// `changeset publish`: every public package whose version is not on the registry yet is packed (prepack
// checks the build) and published, and tagged in git unless --no-git-tag. With --dry-run, `npm publish
// --dry-run` for each public package instead: the same tarballs are packed and listed, nothing is sent.
// --rehearsal skips the two refusals, to publish the workspace as it is to a throwaway registry (the
// Verdaccio test does, with --registry and --no-git-tag).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { eras, repoRoot } from "./eras.mjs";
import { diffSpecs } from "./spec-diff.mjs";

const { values: opts } = parseArgs({
  options: {
    "dry-run": { type: "boolean", default: false },
    registry: { type: "string" },
    "no-git-tag": { type: "boolean", default: false },
    rehearsal: { type: "boolean", default: false },
  },
});
const fail = (message) => {
  console.error(`release: ${message}`);
  process.exit(1);
};

if (!opts.rehearsal) preflight();

function preflight() {
  const pending = readdirSync(join(repoRoot, ".changeset")).filter((f) => f.endsWith(".md") && f !== "README.md");
  if (pending.length > 0) fail(`${pending.length} pending changeset(s) (${pending.join(", ")}); run \`npm run version\` and commit first`);

  for (const era of eras) {
    const bundle = join(repoRoot, "packages", era, "openapi.json");
    const base = join(repoRoot, "openapi", "released", `${era}.json`);
    if (!existsSync(bundle)) fail(`packages/${era}/openapi.json is missing; run \`npm run build\` first`);
    if (!existsSync(base)) fail(`no spec baseline for ${era}; run \`npm run version\` first`);
    const { bump, changes } = diffSpecs(JSON.parse(readFileSync(base, "utf8")), JSON.parse(readFileSync(bundle, "utf8")));
    if (bump !== "none") fail(`openapi/${era} changed since \`npm run version\` (${changes.length} change(s), ${bump}); add a changeset and run \`npm run version\``);
  }
}

const env = { ...process.env, ...(opts.registry ? { npm_config_registry: opts.registry } : {}) };
const run = (cmd, args, cwd = repoRoot) => {
  const child = spawnSync(cmd, args, { cwd, env, stdio: "inherit" });
  if (child.status !== 0) fail(`${cmd} ${args.join(" ")} failed in ${cwd}`);
};

if (opts["dry-run"]) {
  const names = readdirSync(join(repoRoot, "packages"))
    .map((dir) => join(repoRoot, "packages", dir, "package.json"))
    .filter((file) => existsSync(file))
    .map((file) => JSON.parse(readFileSync(file, "utf8")))
    .filter((pkg) => !pkg.private)
    .map((pkg) => pkg.name);
  run("npm", ["publish", "--dry-run", ...names.flatMap((name) => ["--workspace", name])]);
  console.log(`release: dry run done; ${names.length} packages packed, nothing published`);
} else {
  run(join(repoRoot, "node_modules", ".bin", "changeset"), ["publish", ...(opts["no-git-tag"] ? ["--no-git-tag"] : [])]);
}
