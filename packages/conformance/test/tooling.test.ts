// The contributor's commands stay quiet and do what the README says: no repeated third-party banners,
// turbo's telemetry off without anyone setting a variable, CI installing what the tests need, and
// changesets bumping the era packages along with @ghes-sdk/core.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { withoutBoxedNotices } from "../../../scripts/redocly.mjs";
import { REPO_ROOT } from "./support/specs.js";

const ROOT_PKG = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8"));

describe("quiet output", () => {
  it("drops Redocly's boxed notices and keeps everything else", () => {
    const text = "\n    ╔══╗\n    ║  Deprecation warning: Node.js 20 support is ending ║\n    ╚══╝\n\nvalidating openapi/x.yaml...\nWoohoo!\n";
    expect(withoutBoxedNotices(text)).toBe("\nvalidating openapi/x.yaml...\nWoohoo!\n");
  });

  it("redocly as the scripts run it prints no box, only its findings", () => {
    const run = spawnSync(
      process.execPath,
      ["--input-type=module", "-e", `import { redocly } from ${JSON.stringify(join(REPO_ROOT, "scripts", "redocly.mjs"))}; process.exitCode = redocly(["lint", "ghes-2.2x"]);`],
      { cwd: REPO_ROOT, encoding: "utf8" },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout + run.stderr).toContain("ghes-2.2x/openapi.yaml");
    expect(run.stdout + run.stderr).not.toMatch(/[╔║╚]|Node\.js 20/);
  }, 120_000);

  it("every root script that runs turbo turns its telemetry off", () => {
    const turbo = Object.entries(ROOT_PKG.scripts as Record<string, string>).filter(([, cmd]) => /\bturbo\b/.test(cmd));
    expect(turbo.map(([name]) => name)).toEqual(expect.arrayContaining(["build", "test", "docs", "release"]));
    for (const [name, cmd] of turbo) {
      for (const call of cmd.split("&&").filter((c) => /\bturbo\b/.test(c))) expect(call.trim(), name).toMatch(/^TURBO_TELEMETRY_DISABLED=1 turbo /);
    }
  });

  it("npm prints no update or funding notices in this workspace", () => {
    const npmrc = readFileSync(join(REPO_ROOT, ".npmrc"), "utf8");
    expect(npmrc).toMatch(/^update-notifier=false$/m);
    expect(npmrc).toMatch(/^fund=false$/m);
  });
});

it("CI installs Chromium from Debian and runs exactly the README's test command", () => {
  const ci = readFileSync(join(REPO_ROOT, ".ci", "run"), "utf8").trim().split("\n");
  expect(ci.join("\n")).toMatch(/apt-get install -y[^\n]* chromium/);
  expect(ci.at(-2)).toBe("npm ci");
  expect(ci.at(-1)).toBe("npm test");
  expect(readFileSync(join(REPO_ROOT, "README.md"), "utf8")).toMatch(/^npm test +#/m);
});

describe("changesets", () => {
  it("a change to @ghes-sdk/core bumps every era package and its range of core", () => {
    // A copy of the workspace's manifests and changesets config, with one pending changeset.
    const dir = mkdtempSync(join(tmpdir(), "ghes-sdk-changesets-"));
    try {
      cpSync(join(REPO_ROOT, "package.json"), join(dir, "package.json"));
      mkdirSync(join(dir, ".changeset"));
      cpSync(join(REPO_ROOT, ".changeset", "config.json"), join(dir, ".changeset", "config.json"));
      const before = new Map<string, any>();
      for (const name of readdirSync(join(REPO_ROOT, "packages"))) {
        const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "packages", name, "package.json"), "utf8"));
        before.set(name, pkg);
        mkdirSync(join(dir, "packages", name), { recursive: true });
        writeFileSync(join(dir, "packages", name, "package.json"), JSON.stringify(pkg, null, 2));
      }
      writeFileSync(join(dir, ".changeset", "core-fix.md"), '---\n"@ghes-sdk/core": patch\n---\n\nA fix.\n');
      const run = spawnSync(join(REPO_ROOT, "node_modules", ".bin", "changeset"), ["version"], { cwd: dir, encoding: "utf8" });
      expect(run.status, run.stdout + run.stderr).toBe(0);
      const after = (name: string) => JSON.parse(readFileSync(join(dir, "packages", name, "package.json"), "utf8"));
      const core = after("core").version;
      expect(core).not.toBe(before.get("core").version);
      const dependents = [...before].filter(([, pkg]) => !pkg.private && pkg.dependencies?.["@ghes-sdk/core"]).map(([name]) => name);
      expect(dependents.length).toBeGreaterThanOrEqual(3);
      for (const name of dependents) {
        expect(after(name).version, name).not.toBe(before.get(name).version);
        expect(after(name).dependencies["@ghes-sdk/core"], name).toBe(`^${core}`);
        expect(readFileSync(join(dir, "packages", name, "CHANGELOG.md"), "utf8"), name).toContain(`@ghes-sdk/core@${core}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
