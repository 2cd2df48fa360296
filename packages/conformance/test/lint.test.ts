// The lint gate: every era is lint-clean, and the rules that guard the specs really fail a broken one.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import yaml from "js-yaml";
import { afterAll, describe, expect, it } from "vitest";
import { ERAS, REPO_ROOT } from "./support/specs.js";

const redocly = join(REPO_ROOT, "node_modules", ".bin", "redocly");
const scratch: string[] = [];
afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A copy of openapi/ and redocly.yaml, so a test can break a spec without touching the repo. */
function copyOfSpecs(): string {
  const dir = mkdtempSync(join(tmpdir(), "ghes-sdk-lint-"));
  scratch.push(dir);
  cpSync(join(REPO_ROOT, "openapi"), join(dir, "openapi"), { recursive: true });
  cpSync(join(REPO_ROOT, "redocly.yaml"), join(dir, "redocly.yaml"));
  return dir;
}

function lint(dir: string, era: string) {
  const run = spawnSync(redocly, ["lint", era, "--format", "stylish"], { cwd: dir, encoding: "utf8" });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

it.each(ERAS)("%s is lint-clean", (era) => {
  const { status, output } = lint(REPO_ROOT, era);
  // Problems print as "line:col  severity  rule  message" in the stylish format.
  expect(output).not.toMatch(/^\s*\d+:\d+\s+(error|warning)\s/m);
  expect(status).toBe(0);
}, 30_000);

describe("a broken spec fails lint", () => {
  const file = "openapi/ghes-3.x/paths/applications_{client_id}_token.yaml";
  const breakages: [string, string, (path: any) => void][] = [
    ["an operation without security", "security-defined", (p) => delete p.post.security],
    ["two operations with one operationId", "operation-operationId-unique", (p) => (p.patch.operationId = p.post.operationId)],
    // Redocly lets a `default` response stand in for the 2xx, so the breakage drops both; that every
    // operation has a real 2xx besides its `default` is checked by coverage.test.ts.
    [
      "an operation without a 2xx response",
      "operation-2xx-response",
      (p) => {
        delete p.post.responses["200"];
        delete p.post.responses.default;
      },
    ],
    [
      "a response example that does not fit its schema",
      "no-invalid-media-type-examples",
      (p) => (p.post.responses["200"].content["application/json"].examples = { default: { value: 42 } }),
    ],
  ];

  it.each(breakages)("%s (%s)", (_name, rule, breakIt) => {
    const dir = copyOfSpecs();
    const path = yaml.load(readFileSync(join(dir, file), "utf8"));
    breakIt(path);
    writeFileSync(join(dir, file), yaml.dump(path));
    const { status, output } = lint(dir, "ghes-3.x");
    expect(output).toContain(rule);
    expect(status).not.toBe(0);
  }, 30_000);
});
