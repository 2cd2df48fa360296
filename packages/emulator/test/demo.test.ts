// `npm run demo` runs scripts/demo.mjs after the build: here it runs as a child process, as a user would.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));

it("walks every era through the App, OAuth app and Authorizations scenarios and exits 0", () => {
  const run = spawnSync(process.execPath, ["scripts/demo.mjs"], { cwd: root, encoding: "utf8", timeout: 120_000 });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  for (const era of ["ghes-2.2x", "ghes-3.x", "ghes-2022-11-28"]) {
    expect(run.stdout).toContain(`@ghes-sdk/${era} — GHES`);
    expect(run.stdout).toMatch(new RegExp(`${era.replace(/\./g, "\\.")}: \\d+ requests, all responses valid against the spec`));
  }
  expect(run.stdout).toMatch(/✓ POST \/app\/installations\/\d+\/access_tokens → 201/);
  expect(run.stdout).toContain("✓ check the old token → 404");
  expect(run.stdout.match(/✓ scope a user-to-server token/g)).toHaveLength(2);
  expect(run.stdout.match(/2FA prompt \(app\) answered/g)).toHaveLength(3);
  expect(run.stdout.match(/get-or-create it again → 200/g)).toHaveLength(3);
  expect(run.stdout).toMatch(/ghes-2\.2x[\s\S]*✓ webhook installation_repositories\.added received, X-Hub-Signature \(SHA-1\) verified: installation \d+ can now use octocat\/hello-world/);
  expect(run.stdout.match(/✓ webhook installation_repositories\.added received, X-Hub-Signature-256 verified/g)).toHaveLength(2);
  expect(run.stdout.match(/✓ webhook installation\.deleted received: uninstalled from octocat/g)).toHaveLength(3);
  expect(run.stdout).not.toContain("✗");
  expect(run.stdout).toMatch(/Done: 3 eras in \d+ ms\./);
}, 130_000);

it("is the README's main job: exactly two commands on a fresh clone, the demo building first", () => {
  const readme = readFileSync(`${root}README.md`, "utf8");
  const section = readme.slice(readme.indexOf("## Working on it"));
  const commands = /```sh\n([\s\S]*?)```/.exec(section)![1]!.trim().split("\n").map((line) => line.replace(/#.*$/, "").trim());
  expect(commands).toEqual(["npm ci && npm run demo", "npm test"]);
  const scripts = JSON.parse(readFileSync(`${root}package.json`, "utf8")).scripts as Record<string, string>;
  expect(scripts["demo"]).toMatch(/^(TURBO_TELEMETRY_DISABLED=1 )?turbo run build\b.* && node scripts\/demo\.mjs$/);
});
