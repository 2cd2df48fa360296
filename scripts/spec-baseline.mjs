#!/usr/bin/env node
// Records each era's bundled spec (packages/<era>/openapi.json, written by `npm run generate`) as the
// baseline of the next release: openapi/released/<era>.json. `npm run version` runs it right after
// `changeset version`; from then on the spec-diff gate (packages/conformance/test/semver.test.ts) asks for a
// changeset of the right bump for every change made to a spec since.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { eras, repoRoot } from "./eras.mjs";

// Not under .changeset/: changesets reads every folder there as an old-style changeset, and fails.
export const baselineDir = join(repoRoot, "openapi", "released");

const missing = eras.filter((era) => !existsSync(join(repoRoot, "packages", era, "openapi.json")));
if (missing.length > 0) {
  console.error(`spec-baseline: no bundled spec for ${missing.join(", ")}; run \`npm run generate\` first`);
  process.exit(1);
}
mkdirSync(baselineDir, { recursive: true });
for (const era of eras) {
  const spec = JSON.parse(readFileSync(join(repoRoot, "packages", era, "openapi.json"), "utf8"));
  const file = join(baselineDir, `${era}.json`);
  writeFileSync(file, `${JSON.stringify(spec, null, 1)}\n`);
  console.log(`spec-baseline: wrote ${relative(repoRoot, file)}`);
}
