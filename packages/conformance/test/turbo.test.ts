// The turbo graph keeps its cache promises: an era's generate task reads only its own spec (plus
// openapi/common and the generator), builds never hash generated files, and auth's build is independent
// of the era packages — so editing one era's spec rebuilds only that era's package.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ERAS, REPO_ROOT } from "./support/specs.js";

interface DryTask {
  taskId: string;
  inputs: Record<string, string>;
  dependencies: string[];
  command: string;
}

let tasks: Map<string, DryTask>;
beforeAll(() => {
  const run = spawnSync(join(REPO_ROOT, "node_modules", ".bin", "turbo"), ["run", "build", "--dry=json"], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
  });
  expect(run.status, run.stderr).toBe(0);
  tasks = new Map((JSON.parse(run.stdout).tasks as DryTask[]).map((t) => [t.taskId, t]));
}, 60_000);

describe.each(ERAS)("%s", (era) => {
  it("generates from its own spec and the shared files only", () => {
    const inputs = Object.keys(tasks.get(`@ghes-sdk/${era}#generate`)!.inputs);
    const specs = inputs.filter((f) => f.startsWith("../../openapi/"));
    expect(specs.some((f) => f.startsWith(`../../openapi/${era}/`))).toBe(true);
    expect(specs.filter((f) => !f.startsWith(`../../openapi/${era}/`) && !f.startsWith("../../openapi/common/"))).toEqual([]);
    expect(inputs).toContain("../../scripts/generate.mjs");
  });

  it("generates after core's build (the generator reads the spec with core's specOperations)", () => {
    expect(tasks.get(`@ghes-sdk/${era}#generate`)!.dependencies).toContain("@ghes-sdk/core#build");
  });

  it("builds without hashing generated files, after generating them", () => {
    const build = tasks.get(`@ghes-sdk/${era}#build`)!;
    expect(Object.keys(build.inputs).filter((f) => f.includes("generated") || f === "openapi.json")).toEqual([]);
    expect(build.dependencies).toContain(`@ghes-sdk/${era}#generate`);
  });
});

it("builds auth independently of the era packages", () => {
  expect(tasks.get("@ghes-sdk/auth#build")!.dependencies.filter((d) => d.startsWith("@ghes-sdk/ghes-"))).toEqual([]);
});
