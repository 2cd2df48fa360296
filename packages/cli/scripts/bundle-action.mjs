#!/usr/bin/env node
// The Action runs from a checkout, without node_modules: its two steps are bundled, with everything they
// import, into dist/action/main.mjs and dist/action/post.mjs (what action.yml runs).
import { build } from "esbuild";
import { readdirSync, rmSync } from "node:fs";

const outdir = new URL("../dist/action/", import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { main: "src/action/main.ts", post: "src/action/post.ts" },
  outdir,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  // What both steps import (the SDK, undici) goes into one shared chunk instead of a copy in each.
  splitting: true,
  chunkNames: "shared-[hash]",
  // undici is CommonJS and requires Node's modules: give the ES module bundle a require.
  banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
  logLevel: "warning",
});
for (const name of readdirSync(outdir)) console.log(`dist/action/${name}`);
