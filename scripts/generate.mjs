#!/usr/bin/env node
// Usage: node scripts/generate.mjs <era>
//
// openapi/<era> → lint (Redocly) → bundle → packages/<era>/openapi.json
//                                         → packages/<era>/src/generated/openapi.ts     (openapi-typescript)
//                                         → packages/<era>/src/generated/operations.ts  (operations table)
// Safe to rerun: the outputs are wiped and recreated. A lint problem stops it with a non-zero exit.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import openapiTS, { astToString } from "openapi-typescript";
import { compareVersions } from "@ghes-sdk/core";
import { eras, repoRoot } from "./eras.mjs";
import { operationsTable } from "./operations.mjs";
import { redocly as runRedocly } from "./redocly.mjs";
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
  const status = runRedocly(args);
  if (status !== 0) {
    console.error(`generate: redocly ${args[0]} ${era} failed`);
    process.exit(status);
  }
};

redocly("lint", era);
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
redocly("bundle", era, "--output", bundlePath, "--ext", "json");
const spec = JSON.parse(readFileSync(bundlePath, "utf8"));
log(bundlePath);

const ast = await openapiTS(optionalWhereVersionScoped(spec), { alphabetize: true });
write("openapi.ts", header + astToString(ast));
write("operations.ts", header + operationsTable(spec));
for (const [name, text] of apiModules(spec)) write(name, header + text);
write(
  "meta.ts",
  `${header}export const packageName = ${JSON.stringify(pkg.name)};\nexport const version = ${JSON.stringify(pkg.version)};\n`,
);

/**
 * The spec the types are generated from: a schema property the era's first GHES version does not have
 * (`x-ghes-since` after the era's `x-ghes-first`) or that later versions drop (`x-ghes-until`) is optional
 * in the types, whatever `required` says — a server of the era outside the range leaves it out (3.x's
 * `expires_at`, required from 3.2). openapi.json keeps `required` as written (the drift test reads it as
 * served at each version).
 */
function optionalWhereVersionScoped(bundle) {
  const first = bundle.info?.["x-ghes-first"];
  if (!first) throw new Error(`generate: openapi/${era} has no info.x-ghes-first`);
  const copy = structuredClone(bundle);
  const scoped = (p) => (p["x-ghes-since"] !== undefined && compareVersions(String(p["x-ghes-since"]), first) > 0) || p["x-ghes-until"] !== undefined;
  const walk = (node) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node.required) && node.properties && typeof node.properties === "object")
      node.required = node.required.filter((name) => !(node.properties[name] && scoped(node.properties[name])));
    Object.values(node).forEach(walk);
  };
  walk(copy);
  return copy;
}

function write(name, text) {
  writeFileSync(join(outDir, name), text);
  log(join(outDir, name));
}
function log(file) {
  console.log(`generate: wrote ${relative(repoRoot, file)}`);
}
