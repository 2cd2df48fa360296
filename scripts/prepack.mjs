#!/usr/bin/env node
// `prepack` of every public package (npm runs it in the package's folder before `npm pack` / `npm publish`).
// A tarball of an unbuilt package would hold only README and package.json, so: when a file the package
// exports is missing, or older than its sources (src/, and for an era package its spec under openapi/),
// build it first — with turbo, so its dependencies are built too and an up-to-date build is a cache hit.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { repoRoot } from "./eras.mjs";

const pkgDir = process.cwd();
const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));

/** Every file path the `exports` map points at. */
function exportedFiles(exports) {
  if (typeof exports === "string") return [exports];
  return Object.values(exports ?? {}).flatMap(exportedFiles);
}

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).filter((n) => n !== "generated").map((n) => newestMtime(join(path, n))));
}

// What the build writes (package.json is exported too, but it is a source).
const targets = exportedFiles(pkg.exports)
  .filter((file) => file !== "./package.json")
  .map((file) => join(pkgDir, file));
const sources = [join(pkgDir, "src"), join(pkgDir, "package.json")];
// An era package (it has a generate script) is also built from its own spec and the shared one.
const era = pkg.scripts?.generate ? pkg.name.replace(/^@ghes-sdk\//, "") : undefined;
if (era) sources.push(join(repoRoot, "openapi", era), join(repoRoot, "openapi", "common"), join(repoRoot, "redocly.yaml"));
const newestSource = Math.max(...sources.map(newestMtime));

function stale() {
  return targets.filter((file) => !existsSync(file) || statSync(file).mtimeMs < newestSource);
}

if (stale().length > 0) {
  console.error(`prepack: ${pkg.name}: ${stale().map((f) => relative(pkgDir, f)).join(", ")} missing or older than the sources; building`);
  const run = spawnSync(join(repoRoot, "node_modules", ".bin", "turbo"), ["run", "build", `--filter=${pkg.name}`, "--output-logs=errors-only"], {
    cwd: repoRoot,
    // turbo's output to stderr: stdout is npm's (`npm pack --json` prints the tarball list there).
    stdio: ["ignore", 2, 2],
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
  });
  const left = stale().filter((file) => !existsSync(file));
  if (run.status !== 0 || left.length > 0) {
    console.error(`prepack: ${pkg.name}: the build failed; refusing to pack without ${left.map((f) => relative(pkgDir, f)).join(", ") || "a build"}`);
    process.exit(1);
  }
}
