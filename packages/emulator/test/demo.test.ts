// `npm run demo` runs scripts/demo.mjs after the build: here it runs as a child process, as a user would.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { eraRanges } from "@ghes-sdk/core";
import { expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));

it("walks every era through the App, OAuth app and Authorizations scenarios and exits 0", () => {
  const run = spawnSync(process.execPath, ["scripts/demo.mjs"], { cwd: root, encoding: "utf8", timeout: 120_000 });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  const eras = eraRanges.map((r) => r.era);
  // The eras whose spec has scope-token (3.x and later) and whose webhooks carry X-Hub-Signature-256 (not 2.2x).
  const later = eras.filter((e) => e !== "ghes-2.2x").length;
  for (const era of eras) {
    expect(run.stdout).toContain(`@ghes-sdk/${era} — GHES`);
    expect(run.stdout).toMatch(new RegExp(`${era.replace(/\./g, "\\.")}: \\d+ requests, all responses valid against the spec`));
  }
  expect(run.stdout).toMatch(/✓ POST \/app\/installations\/\d+\/access_tokens → 201/);
  expect(run.stdout).toContain("✓ check the old token → 404");
  expect(run.stdout.match(/✓ scope a user-to-server token/g)).toHaveLength(later);
  expect(run.stdout.match(/2FA prompt \(app\) answered/g)).toHaveLength(eras.length);
  expect(run.stdout.match(/get-or-create it again → 200/g)).toHaveLength(eras.length);
  expect(run.stdout).toMatch(/ghes-2\.2x[\s\S]*✓ webhook installation_repositories\.added received, X-Hub-Signature \(SHA-1\) verified: installation \d+ can now use octocat\/hello-world/);
  expect(run.stdout.match(/✓ webhook installation_repositories\.added received, X-Hub-Signature-256 verified/g)).toHaveLength(later);
  expect(run.stdout.match(/✓ webhook installation\.deleted received: uninstalled from octocat/g)).toHaveLength(eras.length);
  // One GHES 3.22 answering both REST API versions, each as its era, and minting a stateless token.
  expect(run.stdout).toContain("GHES 3.22 emulated at");
  expect(run.stdout).toMatch(/X-GitHub-Api-Version: 2022-11-28\):\n {2}✓ GET \/app → 200 {2}Octo Demo App, answered as ghes-2022-11-28[^\n]*\n {2}✓ DELETE \/app\/installations\/\d+ → 204/);
  expect(run.stdout).toMatch(/X-GitHub-Api-Version: 2026-03-10\):\n {2}✓ GET \/app → 200 {2}Octo Demo App, answered as ghes-2026-03-10[^\n]*\n {2}✓ DELETE \/app\/installations\/\d+ → 202/);
  expect(run.stdout).toMatch(/X-GitHub-Stateless-S2S-Token: enabled → 201 {2}stateless ghs_\d+_…, \d{3,} characters/);
  expect(run.stdout).not.toContain("✗");
  expect(run.stdout).toMatch(new RegExp(`Done: ${eras.length} eras in \\d+ ms\\.`));
}, 130_000);

it("is the README's main job: exactly two commands on a fresh clone, the demo building first", () => {
  const readme = readFileSync(`${root}README.md`, "utf8");
  const section = readme.slice(readme.indexOf("## Working on it"));
  const commands = /```sh\n([\s\S]*?)```/.exec(section)![1]!.trim().split("\n").map((line) => line.replace(/#.*$/, "").trim());
  expect(commands).toEqual(["npm ci && npm run demo", "npm test"]);
  const scripts = JSON.parse(readFileSync(`${root}package.json`, "utf8")).scripts as Record<string, string>;
  expect(scripts["demo"]).toMatch(/^(TURBO_TELEMETRY_DISABLED=1 )?turbo run build\b.* && node scripts\/demo\.mjs$/);
});
