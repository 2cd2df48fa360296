// Runs the Redocly CLI the way every script here does: telemetry and update notices off, and without the
// boxed notices it prints on every call — "Node.js 20 support is ending" on every start under Node 20 (13
// lines per call: six times in a cold build), "build-docs now renders docs with Redoc 3" per page. They
// say nothing about our specs. Everything else it prints — problems, progress — passes through.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "./eras.mjs";

/** Drops the boxed notices (╔…╚); keeps every other line. */
export function withoutBoxedNotices(text) {
  return text.replace(/\n?[ \t]*╔[^]*?╚[^\n]*\n?/g, "");
}

/** `redocly <args…>` from the repository root; returns the exit status. */
export function redocly(args) {
  const run = spawnSync(join(repoRoot, "node_modules", ".bin", "redocly"), args, {
    cwd: repoRoot,
    stdio: ["ignore", "inherit", "pipe"],
    encoding: "utf8",
    env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
  });
  process.stderr.write(withoutBoxedNotices(run.stderr ?? "").replace(/^\n+/, ""));
  return run.status ?? 1;
}
