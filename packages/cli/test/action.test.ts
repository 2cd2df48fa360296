// The GitHub Action, run as the runner runs it: action.yml's main and post files from a checkout with no
// node_modules (copied out of the installed tarball), inputs as INPUT_* variables, outputs and state in
// GITHUB_OUTPUT / GITHUB_STATE files, the state handed to the post step as STATE_*.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERAS, expectNoSecrets, forbid, PROJECT, runProcess, startGhes, type Ghes, type Run } from "./support/cli.js";

const installed = join(PROJECT, "node_modules", "@ghes-sdk", "cli");
let checkout: string;
let actionYml: string;

beforeAll(() => {
  checkout = mkdtempSync(join(tmpdir(), "ghes-sdk-action-"));
  for (const path of ["action.yml", "package.json", "dist/action"]) cpSync(join(installed, path), join(checkout, path), { recursive: true });
  actionYml = readFileSync(join(checkout, "action.yml"), "utf8");
});

/** `name<<delimiter\nvalue\ndelimiter\n` entries, as the runner reads them. */
function readFileCommands(file: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const m of readFileSync(file, "utf8").matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2\n/gm)) values[m[1]!] = m[3]!;
  return values;
}

async function step(which: "main" | "post", env: Record<string, string>): Promise<Run> {
  const file = new RegExp(`^  ${which}: (\\S+)$`, "m").exec(actionYml)![1]!;
  for (const key of Object.keys(env).filter((k) => k.startsWith("INPUT_"))) {
    // Every input a workflow passes must be declared, or the runner warns "Unexpected input".
    expect(actionYml, key).toContain(`\n  ${key.slice("INPUT_".length).toLowerCase()}:\n`);
  }
  return runProcess("node", [join(checkout, file)], { env });
}

describe.each(ERAS)("$era", ({ era, ghesVersion }) => {
  let ghes: Ghes;
  let dir: string;
  beforeAll(async () => {
    ghes = await startGhes(era, ghesVersion);
    dir = mkdtempSync(join(tmpdir(), "ghes-sdk-action-run-"));
  });
  afterAll(() => ghes.close());

  const files = (name: string) => {
    const output = join(dir, `${name}.output`);
    const state = join(dir, `${name}.state`);
    writeFileSync(output, "");
    writeFileSync(state, "");
    return { GITHUB_OUTPUT: output, GITHUB_STATE: state };
  };
  const inputs = (extra: Record<string, string> = {}) => ({
    "INPUT_APP-ID": String(ghes.appId),
    "INPUT_PRIVATE-KEY": ghes.privateKey,
    "INPUT_GITHUB-API-URL": ghes.emulator.baseUrl,
    "INPUT_API-VERSION": "auto",
    "INPUT_SKIP-TOKEN-REVOKE": "false",
    GITHUB_REPOSITORY: "octo-org/docs",
    GITHUB_REPOSITORY_OWNER: "octo-org",
    ...extra,
  });

  it("main mints and masks the token and sets the outputs; post revokes it", async () => {
    const runner = files("narrowed");
    const main = await step("main", { ...inputs({ INPUT_OWNER: "octo-org", INPUT_REPOSITORIES: "api\nweb", "INPUT_PERMISSION-CONTENTS": "read", "INPUT_PERMISSION-ISSUES": "write" }), ...runner });
    expect(main.stderr).toBe("");
    expect(main.code).toBe(0);
    const outputs = readFileCommands(runner.GITHUB_OUTPUT);
    expect(Object.keys(outputs)).toEqual(["token", "installation-id", "app-slug"]);
    expect(outputs).toMatchObject({ "installation-id": String(ghes.installations.org), "app-slug": "deploy-bot" });
    const token = ghes.emulator.state.tokens.get(outputs["token"]!)!;
    expect(token.repositoryIds).toEqual([ghes.repos.api, ghes.repos.web]);
    expect(token.permissions).toEqual({ contents: "read", issues: "write" });
    // The mask comes first, and the token appears nowhere else in the log.
    expect(main.stdout.startsWith(`::add-mask::${token.token}\n`)).toBe(true);
    expect(main.stdout.split(token.token)).toHaveLength(2);
    expectNoSecrets(main.stdout + main.stderr, "the Action's main step");

    const state = readFileCommands(runner.GITHUB_STATE);
    const post = await step("post", {
      "INPUT_SKIP-TOKEN-REVOKE": "false",
      ...Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v])),
    });
    expect(post).toEqual({ code: 0, stdout: "Token revoked.\n", stderr: "" });
    expect(token.revoked).toBe(true);
  });

  it("without owner and repositories: the current repository only; skip-token-revoke leaves it live", async () => {
    const runner = files("current");
    const main = await step("main", { ...inputs({ "INPUT_SKIP-TOKEN-REVOKE": "true", "INPUT_API-VERSION": era }), ...runner });
    expect(main.code).toBe(0);
    const token = ghes.emulator.state.tokens.get(readFileCommands(runner.GITHUB_OUTPUT)["token"]!)!;
    forbid(token.token);
    expect(token.repositoryIds).toEqual([ghes.repos.docs]);
    expect(readFileCommands(runner.GITHUB_STATE)).toEqual({});
    const post = await step("post", { "INPUT_SKIP-TOKEN-REVOKE": "true" });
    expect(post).toEqual({ code: 0, stdout: "Token revocation skipped (skip-token-revoke).\n", stderr: "" });
    expect(token.revoked).toBe(false);
  });

  it("a failure is an ::error:: with the reason and exit 1, and sets no output", async () => {
    const runner = files("failing");
    const main = await step("main", { ...inputs({ INPUT_OWNER: "nobody" }), ...runner });
    expect(main.code).toBe(1);
    expect(main.stdout).toMatch(/^::error::the App is not installed on the account nobody: install it there, or check --owner/);
    expect(readFileSync(runner.GITHUB_OUTPUT, "utf8")).toBe("");
    expectNoSecrets(main.stdout + main.stderr, "the Action's main step");
  });
});

it("a missing private-key is an ::error:: naming the input", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ghes-sdk-action-run-"));
  writeFileSync(join(dir, "out"), "");
  const main = await step("main", { "INPUT_APP-ID": "1", "INPUT_GITHUB-API-URL": "https://ghes.example.com/api/v3", GITHUB_OUTPUT: join(dir, "out"), GITHUB_STATE: join(dir, "out") });
  expect(main).toMatchObject({ code: 1, stdout: expect.stringMatching(/^::error::input private-key is required/) });
});

describe("the README's workflow", () => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const workflow = /<!-- workflow: action -->\n```yaml\n([\s\S]*?)```/.exec(readme)![1]!;
  let ghes: Ghes;
  beforeAll(async () => {
    ghes = await startGhes("ghes-2.2x", "2.22");
  });
  afterAll(() => ghes.close());

  it("uses this package's folder, and every input the README names is declared in action.yml", () => {
    expect(workflow).toMatch(/uses: ghes-sdk\/ghes-sdk\/packages\/cli@/);
    const named = [...readme.matchAll(/^\| `([a-z-]+)`(?: or `([a-z-]+)`)? \|/gm)].flatMap((m) => [m[1]!, m[2]].filter((n): n is string => Boolean(n)));
    expect(named).toContain("api-version");
    // (tibdex's snake_case names in the migration table do not match the pattern, so only ours are checked.)
    for (const name of named) {
      expect(actionYml, name).toContain(`\n  ${name}:\n`);
    }
  });

  it("its with: inputs mint the token on GHES 2.22 (machine-man preview and all)", async () => {
    const withBlock = /with:\n((?: {6}.+\n)+)/.exec(workflow)![1]!;
    const env: Record<string, string> = {};
    for (const line of withBlock.trimEnd().split("\n")) {
      const [, key, value] = /^ {6}([\w-]+): (.+)$/.exec(line)!;
      env[`INPUT_${key!.toUpperCase()}`] = value!
        .replace("${{ vars.APP_ID }}", String(ghes.appId))
        .replace("${{ secrets.APP_PRIVATE_KEY }}", ghes.privateKey);
    }
    const dir = mkdtempSync(join(tmpdir(), "ghes-sdk-action-run-"));
    writeFileSync(join(dir, "output"), "");
    writeFileSync(join(dir, "state"), "");
    // What the runner fills in from action.yml's defaults.
    const main = await step("main", { ...env, "INPUT_GITHUB-API-URL": ghes.emulator.baseUrl, "INPUT_API-VERSION": "auto", GITHUB_OUTPUT: join(dir, "output"), GITHUB_STATE: join(dir, "state") });
    expect(main.code, main.stdout).toBe(0);
    const token = ghes.emulator.state.tokens.get(readFileCommands(join(dir, "output"))["token"]!)!;
    forbid(token.token);
    expect(token.repositoryIds).toEqual([ghes.repos.api, ghes.repos.web]);
    expect(token.permissions).toEqual({ contents: "read" });
    expect(ghes.emulator.served.find((s) => s.operationId === "apps/create-installation-access-token")!.accept).toContain("machine-man-preview");
  });
});

describe("GHES 3.22", () => {
  let ghes: Ghes;
  beforeAll(async () => {
    ghes = await startGhes("ghes-2022-11-28", "3.22");
  });
  afterAll(() => ghes.close());

  it("client-id instead of app-id (GHES 3.18 and later): minted, then revoked by post", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ghes-sdk-action-run-"));
    const runner = { GITHUB_OUTPUT: join(dir, "output"), GITHUB_STATE: join(dir, "state") };
    writeFileSync(runner.GITHUB_OUTPUT, "");
    writeFileSync(runner.GITHUB_STATE, "");
    const main = await step("main", {
      "INPUT_CLIENT-ID": ghes.clientId,
      "INPUT_PRIVATE-KEY": ghes.privateKey,
      "INPUT_GITHUB-API-URL": ghes.emulator.baseUrl,
      "INPUT_API-VERSION": "auto",
      INPUT_OWNER: "mona",
      ...runner,
    });
    expect(main.code, main.stdout).toBe(0);
    const outputs = readFileCommands(runner.GITHUB_OUTPUT);
    expect(outputs["installation-id"]).toBe(String(ghes.installations.user));
    const state = readFileCommands(runner.GITHUB_STATE);
    const post = await step("post", Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v])));
    expect(post).toEqual({ code: 0, stdout: "Token revoked.\n", stderr: "" });
    expect(ghes.emulator.state.tokens.get(outputs["token"]!)!.revoked).toBe(true);
  });
});
