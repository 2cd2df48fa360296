// (f) Builds through turbo: cold (--force, no cache), no-op (everything cached), one spec edited (a comment
// appended to openapi/ghes-3.x/openapi.yaml, then put back and the cache restored).
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const turbo = (...args) => {
  const t0 = performance.now();
  execFileSync(process.execPath, [`${root}node_modules/turbo/bin/turbo`, "run", "build", "--output-logs=errors-only", ...args], {
    cwd: root,
    stdio: "pipe",
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
  });
  return performance.now() - t0;
};

export function builds() {
  const cold = turbo("--force");
  const noop = turbo();
  const spec = `${root}openapi/ghes-3.x/openapi.yaml`;
  const original = readFileSync(spec, "utf8");
  let edit;
  try {
    // A new comment each run: the same edit twice would be a cache hit, not a rebuild.
    writeFileSync(spec, `${original}# bench: one-spec edit ${Date.now()}\n`);
    edit = turbo();
  } finally {
    writeFileSync(spec, original);
  }
  turbo(); // back to the committed spec's outputs (a cache hit), so the tree is as it was
  return { coldMs: cold, noopMs: noop, editMs: edit };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.stdout.write(JSON.stringify(builds()));
