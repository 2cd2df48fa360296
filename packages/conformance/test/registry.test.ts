// The release, proven against a real registry: Verdaccio on 127.0.0.1 with a throwaway storage and no
// uplinks. The release script publishes the workspace to it; a fresh project outside the workspace
// installs the packages *by name*, type-checks a strict consumer under moduleResolution nodenext and
// bundler, and runs it against a local server. A file missing from a tarball or a dependency that was not
// published fails one of these steps.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer } from "./support/server.js";
import { REPO_ROOT } from "./support/specs.js";

const PUBLIC = readdirSync(join(REPO_ROOT, "packages"))
  .map((dir) => JSON.parse(readFileSync(join(REPO_ROOT, "packages", dir, "package.json"), "utf8")))
  .filter((pkg) => !pkg.private);
const ERA_PACKAGES = PUBLIC.map((p) => p.name as string).filter((n) => n.startsWith("@ghes-sdk/ghes-"));
const CONSUMER_PACKAGES = [...ERA_PACKAGES, "@ghes-sdk/auth", "@ghes-sdk/core", "@ghes-sdk/emulator"];
// A Node.js TypeScript project has @types/node; @ghes-sdk/auth's types use node:crypto's KeyObject.
const CONSUMER_TOOLS = ["@types/node"];
const bin = (name: string) => join(REPO_ROOT, "node_modules", ".bin", name);

let work: string;
let registry: string;
let verdaccio: ChildProcess;
let npmEnv: NodeJS.ProcessEnv;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
}

/** Runs a command to completion; returns its exit status and output (for the failure message). */
function sh(cmd: string, args: string[], cwd: string) {
  const run = spawnSync(cmd, args, { cwd, env: npmEnv, encoding: "utf8", timeout: 180_000 });
  return { status: run.status, output: `$ ${cmd} ${args.join(" ")}\n${run.stdout}${run.stderr}` };
}

/** The same, without blocking this process (whose own server the command may talk to). */
function shAsync(cmd: string, args: string[], cwd: string): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: npmEnv, timeout: 60_000 });
    let output = `$ ${cmd} ${args.join(" ")}\n`;
    child.stdout.on("data", (c) => (output += c));
    child.stderr.on("data", (c) => (output += c));
    child.on("close", (status) => resolve({ status, output }));
  });
}

/**
 * Third-party packages the published packages need at install time, with their own dependencies (from the
 * lockfile): the lockfile paths of their folders in this workspace, nested copies included (npm resolves a
 * dependency from the nearest node_modules up the tree, as done here).
 */
function thirdPartyClosure(): string[] {
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, "package-lock.json"), "utf8")).packages;
  // What the consumer installs: the client packages and the emulator.
  const roots = PUBLIC.filter((p) => CONSUMER_PACKAGES.includes(p.name)).flatMap((p) => [
    ...Object.keys(p.dependencies ?? {}),
    ...Object.keys(p.peerDependencies ?? {}),
  ]);
  const todo: [name: string, from: string][] = [...roots, ...CONSUMER_TOOLS].map((name) => [name, ""]);
  const found = new Set<string>();
  while (todo.length > 0) {
    const [name, from] = todo.pop()!;
    if (name.startsWith("@ghes-sdk/")) continue;
    // The nearest copy: <from>/node_modules/<name>, then each ancestor's, then the top level.
    const candidates: string[] = [];
    for (let dir = from; dir; dir = dir.includes("/node_modules/") ? dir.slice(0, dir.lastIndexOf("/node_modules/")) : "") {
      candidates.push(`${dir}/node_modules/${name}`);
    }
    candidates.push(`node_modules/${name}`);
    const at = candidates.find((c) => lock[c]);
    if (!at) throw new Error(`${name} (needed by ${from || "a published package"}) is not in package-lock.json`);
    if (found.has(at)) continue;
    found.add(at);
    const entry = lock[at];
    for (const dep of [...Object.keys(entry.dependencies ?? {}), ...Object.keys(entry.peerDependencies ?? {})]) todo.push([dep, at]);
  }
  // One folder per name@version (the same version may be nested in two places; a registry takes it once).
  const byId = new Map<string, string>();
  for (const at of found) byId.set(`${at.slice(at.lastIndexOf("node_modules/") + 13)}@${lock[at].version}`, at);
  return [...byId.values()];
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "ghes-sdk-registry-"));
  const port = await freePort();
  registry = `http://127.0.0.1:${port}/`;
  writeFileSync(
    join(work, "verdaccio.yaml"),
    [
      `storage: ${join(work, "storage")}`,
      "auth:",
      "  htpasswd:",
      `    file: ${join(work, "htpasswd")}`,
      "    max_users: 1",
      "uplinks: {}",
      "packages:",
      "  '**':",
      "    access: $all",
      "    publish: $authenticated",
      "web:",
      "  enable: false",
      "log: { type: stdout, format: pretty, level: warn }",
      "",
    ].join("\n"),
  );
  verdaccio = spawn(process.execPath, [bin("verdaccio"), "--config", join(work, "verdaccio.yaml"), "--listen", `127.0.0.1:${port}`], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  verdaccio.stdout!.on("data", (c) => (log += c));
  verdaccio.stderr!.on("data", (c) => (log += c));
  for (const deadline = Date.now() + 90_000; ; ) {
    const up = await fetch(`${registry}-/ping`).then((r) => r.ok, () => false);
    if (up) break;
    if (Date.now() > deadline || verdaccio.exitCode !== null) throw new Error(`verdaccio did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const user = await fetch(`${registry}-/user/org.couchdb.user:release`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "release", password: "throwaway-password" }),
  });
  const { token } = (await user.json()) as { token: string };
  expect(user.status).toBe(201);

  // npm with only this registry, a throwaway cache (nothing comes from the machine's cache) and the token.
  const host = registry.replace(/^http:/, "");
  writeFileSync(join(work, "npmrc"), `registry=${registry}\n${host}:_authToken=${token}\n`);
  npmEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  Object.assign(npmEnv, {
    npm_config_userconfig: join(work, "npmrc"),
    npm_config_registry: registry,
    npm_config_cache: join(work, "npm-cache"),
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
  });

  // No uplinks: the third-party packages a consumer installs come from this workspace's node_modules
  // (the exact versions the lockfile pins), packed and published as they are.
  // Four at a time: ~45 folders (the emulator's openapi-backend brings most of them).
  const folders = thirdPartyClosure();
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let at = folders.pop(); at !== undefined; at = folders.pop()) {
        const published = await shAsync("npm", ["publish", join(REPO_ROOT, at), "--ignore-scripts", "--access", "public"], work);
        if (published.status !== 0) throw new Error(published.output);
      }
    }),
  );
}, 300_000);

afterAll(async () => {
  verdaccio?.kill();
  if (work && !process.env.KEEP_REGISTRY_WORK) rmSync(work, { recursive: true, force: true });
});

describe("the release against Verdaccio", () => {
  let consumer: string;

  it("the dry run packs every public package and publishes none", () => {
    const dry = sh("node", [join(REPO_ROOT, "scripts", "release.mjs"), "--dry-run", "--rehearsal", "--registry", registry], REPO_ROOT);
    expect(dry.status, dry.output).toBe(0);
    for (const pkg of PUBLIC) {
      expect(dry.output).toContain(`${pkg.name}@${pkg.version}`);
      expect(sh("npm", ["view", pkg.name, "version"], work).status).not.toBe(0);
    }
  }, 120_000);

  it("publishes every public package at its workspace version", () => {
    const release = sh("node", [join(REPO_ROOT, "scripts", "release.mjs"), "--rehearsal", "--no-git-tag", "--registry", registry], REPO_ROOT);
    expect(release.status, release.output).toBe(0);
    for (const pkg of PUBLIC) {
      const view = sh("npm", ["view", `${pkg.name}@${pkg.version}`, "version"], work);
      expect(view.output.trim().split("\n").at(-1), view.output).toBe(pkg.version);
    }
  }, 180_000);

  it("installs by name into a fresh project outside the workspace", () => {
    consumer = join(work, "consumer");
    mkdirSync(consumer);
    writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    const install = sh("npm", ["install", ...ERA_PACKAGES, "@ghes-sdk/auth", "@ghes-sdk/emulator", ...CONSUMER_TOOLS], consumer);
    expect(install.status, install.output).toBe(0);
    // core and openapi-fetch came along as dependencies, from the registry (no workspace links).
    for (const name of ["@ghes-sdk/core", "openapi-fetch", "@ghes-sdk/emulator", ...ERA_PACKAGES]) {
      expect(lstatSync(join(consumer, "node_modules", name)).isSymbolicLink(), name).toBe(false);
    }
  }, 180_000);

  const CONSUMER = (baseUrl: string) => `
import { appAuth, oauthAppAuth, tokenAuth } from "@ghes-sdk/auth";
import { createClient as legacy, operationTable } from "@ghes-sdk/ghes-2.2x";
import { createClient, type components } from "@ghes-sdk/ghes-3.x";
import { createClient as current } from "@ghes-sdk/ghes-2022-11-28";
import { createClient as next } from "@ghes-sdk/ghes-2026-03-10";
import spec from "@ghes-sdk/ghes-3.x/openapi.json" with { type: "json" };
import { startEmulator } from "@ghes-sdk/emulator";

const baseUrl = ${JSON.stringify(baseUrl)};
const github = createClient({ baseUrl, auth: tokenAuth("ghs_consumer") });
const { data, error } = await github.GET("/app");
if (error) throw new Error("GET /app failed");
const app: components["schemas"]["integration"] = data;

const oauth = current({ baseUrl, auth: oauthAppAuth({ clientId: "Iv1.consumer", clientSecret: "s3cret" }) });
const check = await oauth.POST("/applications/{client_id}/token", {
  params: { path: { client_id: "Iv1.consumer" } },
  body: { access_token: "gho_consumer" },
});

const old = legacy({ baseUrl });
// @ts-expect-error — the body needs access_token (typed by the era's spec)
void (() => old.POST("/applications/{client_id}/token", { params: { path: { client_id: "x" } }, body: {} }));

// The emulator, installed by name like the rest: a live token checks out (200), a revoked one does not (404).
const ghes = await startEmulator({ era: "ghes-3.x" });
const oauthApp = ghes.state.createOAuthApp({ name: "consumer" });
const userToken = ghes.state.createToken({ kind: "oauth", user: "mona", clientId: oauthApp.clientId });
const emulated = createClient({ baseUrl: ghes.baseUrl, auth: oauthAppAuth({ clientId: oauthApp.clientId, clientSecret: oauthApp.clientSecret }) });
const checkOn = () => emulated.POST("/applications/{client_id}/token", { params: { path: { client_id: oauthApp.clientId } }, body: { access_token: userToken.token } });
const live = (await checkOn()).response.status;
ghes.state.revokeToken(userToken);
const revoked = (await checkOn()).response.status;
await ghes.close();

// A GHES 3.22 serves REST API 2022-11-28 and 2026-03-10: a client of each era works against it.
const ghes322 = await startEmulator({ ghesVersion: "3.22" });
const app322 = ghes322.state.createApp({ name: "consumer" });
const asApp = () => appAuth({ appId: app322.id, privateKey: app322.privateKeyPem });
const before = await current({ baseUrl: ghes322.baseUrl, auth: asApp() }).GET("/app");
const after = await next({ baseUrl: ghes322.baseUrl, auth: asApp() }).GET("/app");
const at322 = [before.response.status, after.response.status, ...ghes322.served.map((s) => s.era)];
await ghes322.close();

console.log(JSON.stringify({ app: app.slug, token: check.response.status, operations: Object.keys(operationTable).length, title: spec.info.title, emulator: [live, revoked], at322 }));
`;
  const TSCONFIG = (module: string, resolution: string) => ({
    compilerOptions: {
      target: "ES2022",
      lib: ["ES2022", "DOM"],
      module,
      moduleResolution: resolution,
      strict: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      resolveJsonModule: true,
      // The published declarations are checked in full once (nodenext); under bundler only what differs —
      // how the imports resolve — is checked (the full library check costs ~30 s on a busy 2-core machine).
      skipLibCheck: resolution !== "nodenext",
      outDir: `out-${resolution}`,
    },
    files: ["consumer.ts"],
  });

  let server: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    server = await startServer((req) => {
      if (req.method === "GET" && req.url === "/api/v3/app") return { status: 200, body: { id: 1, slug: "consumer-app", name: "Consumer" } };
      if (req.method === "POST" && req.url === "/api/v3/applications/Iv1.consumer/token") return { status: 404, body: { message: "Not Found" } };
      return { status: 500, body: { message: `unexpected ${req.method} ${req.url}` } };
    });
  });
  afterAll(() => server?.close());

  it.each([
    ["nodenext", "NodeNext"],
    ["bundler", "Preserve"],
  ])("a strict consumer type-checks under moduleResolution %s", (resolution, module) => {
    writeFileSync(join(consumer, "consumer.ts"), CONSUMER(server.baseUrl));
    writeFileSync(join(consumer, `tsconfig.${resolution}.json`), JSON.stringify(TSCONFIG(module, resolution), null, 2));
    const tsc = sh(process.execPath, [join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", `tsconfig.${resolution}.json`], consumer);
    expect(tsc.status, tsc.output).toBe(0);
  }, 120_000);

  it("the consumer runs against a local server", async () => {
    const run = await shAsync(process.execPath, [join(consumer, "out-nodenext", "consumer.js")], consumer);
    expect(run.status, run.output).toBe(0);
    expect(JSON.parse(run.output.split("\n").filter((l) => l.startsWith("{")).at(-1)!)).toEqual({
      app: "consumer-app",
      token: 404,
      operations: expect.any(Number),
      title: expect.stringContaining("3.x"),
      emulator: [200, 404],
      at322: [200, 200, "ghes-2022-11-28", "ghes-2026-03-10"],
    });
    expect(server.requests.map((r) => [r.method, r.url, r.headers.authorization?.split(" ")[0]])).toEqual([
      ["GET", "/api/v3/app", "token"],
      ["POST", "/api/v3/applications/Iv1.consumer/token", "Basic"],
    ]);
  }, 60_000);
});
