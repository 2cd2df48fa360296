// `npm run version` starts with `changeset version`: the pending changesets in .changeset/ become versions
// and CHANGELOG entries. Run here on a copy of the workspace's manifests and changesets, with the repo's own
// @changesets/cli, so the step the README's release loop depends on cannot break unnoticed (a folder in
// .changeset/, for one, is read as an old-style changeset and fails it).
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import yaml from "js-yaml";
import { afterAll, expect, it } from "vitest";
import { REPO_ROOT } from "./support/specs.js";

const work = mkdtempSync(join(tmpdir(), "ghes-sdk-changesets-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Workspace folders (as the root package.json lists them) → their package.json. */
function workspaces(): Map<string, { name: string; version: string }> {
  const out = new Map<string, { name: string; version: string }>();
  const dirs = ["bench", ...readdirSync(join(REPO_ROOT, "packages")).map((d) => join("packages", d))];
  for (const dir of dirs) {
    const file = join(REPO_ROOT, dir, "package.json");
    if (existsSync(file)) out.set(dir, JSON.parse(readFileSync(file, "utf8")));
  }
  return out;
}

/** Each pending changeset: the packages it names and its summary. */
function pending(): { packages: string[]; summary: string }[] {
  const dir = join(REPO_ROOT, ".changeset");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".md") && f !== "README.md")
    .map((f) => {
      const [, front = "", body = ""] = /^---\n([^]*?)\n---\n([^]*)$/.exec(readFileSync(join(dir, f), "utf8")) ?? [];
      return { packages: Object.keys((yaml.load(front) ?? {}) as object), summary: body.trim() };
    });
}

it("turns every pending changeset into a version bump and a CHANGELOG entry", () => {
  const before = workspaces();
  cpSync(join(REPO_ROOT, "package.json"), join(work, "package.json"));
  cpSync(join(REPO_ROOT, ".changeset"), join(work, ".changeset"), { recursive: true });
  for (const dir of before.keys()) {
    mkdirSync(join(work, dir), { recursive: true });
    cpSync(join(REPO_ROOT, dir, "package.json"), join(work, dir, "package.json"));
  }
  symlinkSync(join(REPO_ROOT, "node_modules"), join(work, "node_modules"), "dir");

  const run = spawnSync(process.execPath, [join(REPO_ROOT, "node_modules", "@changesets", "cli", "bin.js"), "version"], { cwd: work, encoding: "utf8" });
  expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);

  expect(readdirSync(join(work, ".changeset")).filter((f) => f.endsWith(".md") && f !== "README.md")).toEqual([]);
  for (const { packages, summary } of pending()) {
    for (const name of packages) {
      const dir = [...before].find(([, pkg]) => pkg.name === name)?.[0];
      expect(dir, `${name} is a workspace package`).toBeDefined();
      const after = JSON.parse(readFileSync(join(work, dir!, "package.json"), "utf8"));
      expect(after.version, `${name} was bumped`).not.toBe(before.get(dir!)!.version);
      expect(readFileSync(join(work, dir!, "CHANGELOG.md"), "utf8")).toContain(summary.split("\n")[0]);
    }
  }
});
