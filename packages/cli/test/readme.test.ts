// The README's examples, run: each `<!-- run: … -->` command by bash in the fresh project (the example host,
// App id and key file replaced by the emulator's), and each `<!-- example: … -->` program compiled under
// --strict against the installed tarball and run.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { expectNoSecrets, forbid, PROJECT, registerWithBrowser, runProcess, startGhes, type Ghes } from "./support/cli.js";

const readme = readFileSync(fileURLToPath(new URL("../README.md", import.meta.url)), "utf8");
const commands = new Map([...readme.matchAll(/<!-- run: ([\w-]+) -->\n```sh\n([\s\S]*?)```/g)].map((m) => [m[1]!, m[2]!]));
const programs = [...readme.matchAll(/<!-- example: ([\w.-]+) -->\n```ts\n([\s\S]*?)```/g)].map((m) => [m[1]!, m[2]!] as const);
/** The block right after a command's, when it shows the output. */
const shownAfter = (name: string) => new RegExp(`<!-- run: ${name} -->\\n\`\`\`sh\\n[\\s\\S]*?\`\`\`\\n\\n\`\`\`(?:text|json)\\n([\\s\\S]*?)\`\`\``).exec(readme)?.[1];
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

let ghes: Ghes;
beforeAll(async () => {
  ghes = await startGhes("ghes-2022-11-28", "3.9");
});
afterAll(() => ghes.close());

async function sh(name: string, env: Record<string, string> = {}) {
  const command = commands.get(name);
  if (!command) throw new Error(`README has no <!-- run: ${name} --> block`);
  const script = command
    .replaceAll("https://ghes.example.com", ghes.url)
    .replaceAll("--app-id 42", `--app-id ${ghes.appId}`)
    .replaceAll("app.pem", ghes.keyFile);
  const run = await runProcess("sh", ["-e", "-c", script], { env: { PATH: `${join(PROJECT, "node_modules", ".bin")}:${process.env["PATH"]}`, ...env } });
  expectNoSecrets(run.stdout + run.stderr, `README command ${name}`);
  return run;
}

it("has the commands and programs the tests below run", () => {
  expect([...commands.keys()]).toEqual(["token", "token-narrow", "revoke", "check-token", "detect", "manifest"]);
  expect(programs.map(([name]) => name)).toEqual(["use-app.ts", "mint.ts"]);
});

it("token prints a token of the owner's installation", async () => {
  const run = await sh("token");
  expect(run.stderr).toBe("");
  expect(ghes.emulator.state.tokens.get(run.stdout.trim())?.installationId).toBe(ghes.installations.org);
});

it("token-narrow prints the JSON shown, for a token narrowed as asked", async () => {
  const run = await sh("token-narrow");
  expect(run.stderr).toBe("");
  const out = JSON.parse(run.stdout);
  const shown = JSON.parse(shownAfter("token-narrow")!);
  expect(Object.keys(out)).toEqual(Object.keys(shown));
  expect(out.app_slug).toBe(shown.app_slug);
  const token = ghes.emulator.state.tokens.get(out.token)!;
  expect(token.repositoryIds).toEqual([ghes.repos.api, ghes.repos.web]);
  expect(token.permissions).toEqual({ contents: "read", issues: "write" });
});

it("revoke revokes the token token printed", async () => {
  const run = await sh("revoke");
  expect(run).toMatchObject({ code: 0, stdout: "revoked\n", stderr: "" });
  const token = readFileSync(join(PROJECT, "token.txt"), "utf8").trim();
  forbid(token);
  expect(ghes.emulator.state.tokens.get(token)?.revoked).toBe(true);
});

it("check-token prints what the README shows for a valid token", async () => {
  const app = ghes.emulator.state.createOAuthApp({ name: "CI Checker" });
  const user = ghes.emulator.state.createToken({ kind: "oauth", user: "mona", clientId: app.clientId, scopes: ["repo", "read:org"] });
  forbid(app.clientSecret, user.token);
  const run = await sh("check-token", { GHES_CLIENT_ID: app.clientId, GHES_CLIENT_SECRET: app.clientSecret, USER_TOKEN: user.token });
  expect(run).toMatchObject({ code: 0, stderr: "" });
  expect(run.stdout).toBe(shownAfter("check-token"));
});

it("detect prints what the README shows", async () => {
  const run = await sh("detect");
  expect(run.stderr).toBe("");
  expect(run.stdout).toBe(shownAfter("detect")!.replaceAll("https://ghes.example.com", ghes.url));
});

const examples = join(PROJECT, "examples");

it("the TypeScript examples compile under --strict against the tarball", () => {
  const dir = examples;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [name, code] of programs) writeFileSync(join(dir, name), code);
  const tsc = spawnSync(
    join(ROOT, "node_modules", ".bin", "tsc"),
    ["--strict", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "--skipLibCheck", "--typeRoots", join(ROOT, "node_modules", "@types"), "--types", "node", "--outDir", join(dir, "out"), ...programs.map(([n]) => join(dir, n))],
    { encoding: "utf8", cwd: PROJECT },
  );
  expect(tsc.stdout + tsc.stderr).toBe("");
});

it("mint.ts runs", async () => {
  forbid(ghes.privateKey);
  const run = await runProcess("node", [join(examples, "out", "mint.js")], {
    env: { GHES_URL: ghes.url, GHES_APP_ID: String(ghes.appId), GHES_APP_PRIVATE_KEY: ghes.privateKey },
  });
  expectNoSecrets(run.stdout + run.stderr, "mint.ts");
  expect(run.stderr).toBe("");
  expect(run.stdout).toMatch(new RegExp(`^installation ${ghes.installations.org} of deploy-bot, era ghes-2022-11-28, until \\d{4}-\\d\\d-\\d\\dT`));
});

it("manifest registers the App (the test playing the browser), and use-app.ts authenticates with its files", async () => {
  rmSync(join(PROJECT, "ghes-app"), { recursive: true, force: true });
  writeFileSync(join(PROJECT, "app.json"), JSON.stringify({ name: "README Bot", url: "https://example.com/readme-bot" }));
  const command = commands.get("manifest")!.trim().replace("https://ghes.example.com", ghes.url).split(/\s+/);
  expect(command.slice(0, 2)).toEqual(["ghes-sdk", "manifest"]);
  const flow = await registerWithBrowser(command.slice(2));
  const app = [...ghes.emulator.state.apps.values()].find((a) => a.name === "README Bot")!;
  forbid(app.privateKeyPem, app.clientSecret, app.webhookSecret!);
  expectNoSecrets(flow.stdout + flow.stderr, "README manifest");
  expect(flow.code).toBe(0);
  expect(flow.stdout).toMatch(/^registered README Bot \(id \d+, slug readme-bot, owner octo-org\); credentials in .*ghes-app\n$/);

  const run = await runProcess("node", [join(examples, "out", "use-app.js")], { env: { GHES_API_URL: ghes.emulator.baseUrl } });
  expectNoSecrets(run.stdout + run.stderr, "use-app.ts");
  expect(run).toMatchObject({ code: 0, stdout: "authenticated as README Bot (readme-bot)\n", stderr: "" });
});
