#!/usr/bin/env node
// Usage: node scripts/generate.mjs <era>
//
// openapi/<era> → lint (Redocly) → bundle → packages/<era>/openapi.json
//                                         → packages/<era>/src/generated/openapi.ts     (openapi-typescript)
//                                         → packages/<era>/src/generated/operations.ts  (operations table)
// Safe to rerun: the outputs are wiped and recreated. A lint problem stops it with a non-zero exit.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import openapiTS, { astToString } from "openapi-typescript";
import { eras, repoRoot } from "./eras.mjs";
import { operationsTable } from "./operations.mjs";
import { apiModules } from "./api.mjs";

const era = process.argv[2];
if (!eras.includes(era)) {
  console.error(`generate: unknown era "${era ?? ""}"; expected one of ${eras.join(", ")}`);
  process.exit(2);
}
const pkgDir = join(repoRoot, "packages", era);
const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
const outDir = join(pkgDir, "src", "generated");
const bundlePath = join(pkgDir, "openapi.json");
const header = `// Generated from openapi/${era} by scripts/generate.mjs — do not edit.\n`;

const redocly = (...args) => {
  const run = spawnSync(join(repoRoot, "node_modules", ".bin", "redocly"), args, {
    cwd: repoRoot,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
  });
  if (run.status !== 0) {
    console.error(`generate: redocly ${args[0]} ${era} failed`);
    process.exit(run.status ?? 1);
  }
};

redocly("lint", era);
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
redocly("bundle", era, "--output", bundlePath, "--ext", "json");
const spec = JSON.parse(readFileSync(bundlePath, "utf8"));
log(bundlePath);

const ast = await openapiTS(spec, { alphabetize: true });
write("openapi.ts", header + astToString(ast));
write("operations.ts", header + operationsTable(spec));
for (const [name, text] of apiModules(spec)) write(name, header + text);
write(
  "meta.ts",
  `${header}export const packageName = ${JSON.stringify(pkg.name)};\nexport const version = ${JSON.stringify(pkg.version)};\n`,
);

function write(name, text) {
  writeFileSync(join(outDir, name), text);
  log(join(outDir, name));
}
function log(file) {
  console.log(`generate: wrote ${relative(repoRoot, file)}`);
}
