#!/usr/bin/env node
// API reference pages: one HTML page per era from its spec (Redocly build-docs, with Redoc inlined so the
// page works offline) and TypeDoc for @ghes-sdk/core and @ghes-sdk/auth, plus an index page.
//
//   node scripts/docs.mjs [--out <dir>]      (default: docs/api/; `npm run docs` builds first, then runs this)
//
// The pages are generated, not committed (docs/api/ is in .gitignore; docs/ itself holds the hand-written guides); the Chromium test
// (packages/conformance/test/docs.test.ts) runs this into a temporary folder and opens every page.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { eras, repoRoot } from "./eras.mjs";
import { redocly } from "./redocly.mjs";

export const TYPEDOC_PACKAGES = ["core", "auth"];

const { values: opts } = parseArgs({ options: { out: { type: "string", default: join(repoRoot, "docs", "api") } } });
const out = resolve(opts.out);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const fail = (message) => {
  console.error(`docs: ${message}`);
  process.exit(1);
};
const log = (file) => console.log(`docs: wrote ${relative(process.cwd(), file) || file}`);

const pages = [];
for (const era of eras) {
  const file = join(out, `${era}.html`);
  const title = JSON.parse(readFileSync(join(repoRoot, "packages", era, "package.json"), "utf8")).name;
  if (redocly(["build-docs", era, "--output", file, "--title", `${title} — API reference`, "--inlineBundle"]) !== 0) fail(`redocly build-docs ${era} failed`);
  log(file);
  pages.push([`${era}.html`, `${title}: the ${era} REST API`]);
}

for (const name of TYPEDOC_PACKAGES) {
  const dir = join(repoRoot, "packages", name);
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const target = join(out, name);
  const run = spawnSync(
    join(repoRoot, "node_modules", ".bin", "typedoc"),
    [
      "--entryPoints", join(dir, "src", "index.ts"),
      "--tsconfig", join(dir, "tsconfig.build.json"),
      "--readme", join(dir, "README.md"),
      "--name", pkg.name,
      "--out", target,
      "--logLevel", "Warn",
      "--disableSources",
      "--excludePrivate",
      // A JSDoc tag typo or an unexported type in the public API fails the docs build (and its test).
      "--treatWarningsAsErrors",
    ],
    { cwd: repoRoot, stdio: ["ignore", "inherit", "inherit"] },
  );
  if (run.status !== 0) fail(`typedoc ${pkg.name} failed`);
  log(join(target, "index.html"));
  pages.push([`${name}/index.html`, `${pkg.name}: ${pkg.description}`]);
}

const escape = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
writeFileSync(
  join(out, "index.html"),
  `<!doctype html>\n<meta charset="utf-8">\n<title>ghes-sdk API reference</title>\n<h1>ghes-sdk API reference</h1>\n<ul>\n${pages
    .map(([href, text]) => `  <li><a href="${href}">${escape(text)}</a></li>`)
    .join("\n")}\n</ul>\n`,
);
log(join(out, "index.html"));
