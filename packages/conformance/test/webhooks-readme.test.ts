// packages/webhooks/README.md's App example, for every era: shown verbatim from examples/app.ts, compiled
// under tsc --strict with each era's entry point, and run as written against that era's emulator, which
// sends the deliveries a repository added to the installation and an uninstall cause.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { appAuth, basicAuth } from "@ghes-sdk/auth";
import type { EraName } from "@ghes-sdk/core";
import { startEmulator } from "@ghes-sdk/emulator";
import { afterEach, describe, expect, it, vi } from "vitest";
import { bundled, ERAS, REPO_ROOT } from "./support/specs.js";

const dir = join(REPO_ROOT, "packages/webhooks");
const readme = readFileSync(join(dir, "README.md"), "utf8");
const example = readFileSync(join(dir, "examples/app.ts"), "utf8");
const outDir = join(import.meta.dirname, ".webhooks-readme");
const SECRET = "readme webhook secret";
const forEra = (era: string) => example.replaceAll("@ghes-sdk/ghes-3.x/webhooks", `@ghes-sdk/${era}/webhooks`);

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

afterEach(() => vi.restoreAllMocks());

it("shows examples/app.ts verbatim", () => {
  const shown = /<!-- example: examples\/app\.ts -->\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(shown).toBe(example);
});

it("compiles for every era under tsc --strict", () => {
  mkdirSync(outDir, { recursive: true });
  const files = ERAS.map((era) => {
    const file = join(outDir, `strict-${era}.ts`);
    writeFileSync(file, forEra(era));
    return file;
  });
  const tsc = join(REPO_ROOT, "node_modules/typescript/bin/tsc");
  const flags = ["--noEmit", "--strict", "--target", "ES2022", "--module", "NodeNext", "--moduleResolution", "NodeNext", "--types", "node", "--skipLibCheck"];
  const result = spawnSync(process.execPath, [tsc, ...flags, ...files], { encoding: "utf8" });
  expect(result.stdout + result.stderr).toBe("");
}, 180_000);

describe.each(ERAS)("%s", (era) => {
  it("receives the emulator's deliveries and prints what the README says", async () => {
    mkdirSync(outDir, { recursive: true });
    const port = await freePort();
    const ghes = await startEmulator({ era: era as EraName, allVersions: true, webhook: { url: `http://127.0.0.1:${port}/api/github/webhooks`, secret: SECRET } });
    let server: Server | undefined;
    try {
      process.env["GHES_WEBHOOK_SECRET"] = SECRET;
      process.env["PORT"] = String(port);
      const printed: string[] = [];
      vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void printed.push(args.join(" ")));
      const file = join(outDir, `example-${era}.ts`);
      writeFileSync(file, forEra(era));
      ({ server } = (await import(`${file}?run=${Date.now()}`)) as { server: Server });
      if (!server.listening) await new Promise((resolve) => server!.once("listening", resolve));

      const user = ghes.state.createUser({ login: "octocat", password: "readme-password" });
      const app = ghes.state.createApp({ id: 1, name: "Readme App" });
      const repo = ghes.state.createRepository({ owner: user.login, name: "hello-world" });
      ghes.state.createInstallation({ id: 1, appId: app.id, account: user.login, repositoryIds: [] });
      const { createClient } = (await import(`@ghes-sdk/${era}`)) as typeof import("@ghes-sdk/ghes-3.x");
      const asUser = createClient({ baseUrl: ghes.baseUrl, auth: basicAuth({ username: user.login, password: "readme-password" }) });
      const asApp = createClient({ baseUrl: ghes.baseUrl, auth: appAuth({ appId: app.id, privateKey: app.privateKeyPem }) });
      const added = await asUser.PUT("/user/installations/{installation_id}/repositories/{repository_id}", { params: { path: { installation_id: 1, repository_id: repo.id } } });
      expect(added.response.status).toBe(204);
      // 204 (202 from REST API 2026-03-10 on: the era's lowest documented 2xx).
      const deleted = Object.keys(bundled(era).paths["/app/installations/{installation_id}"].delete.responses).filter((c) => /^2\d\d$/.test(c)).sort()[0];
      expect((await asApp.DELETE("/app/installations/{installation_id}", { params: { path: { installation_id: 1 } } })).response.status).toBe(Number(deleted));
      await ghes.deliveriesSettled();

      const guid = ghes.state.apps.get(1)!.deliveries.find((d) => d.event === "installation_repositories")!.guid;
      expect(printed).toEqual([`delivery ${guid}: installation 1 can now use octocat/hello-world`, "uninstalled from octocat"]);
      // created, added, deleted — each followed by its integration_installation* twin on 2.2x and 3.x.
      const answered = ghes.state.apps.get(1)!.deliveries.map((d) => d.statusCode);
      const twinned = bundled(era).webhooks?.["integration_installation.created"] !== undefined;
      expect(answered).toEqual(Array(twinned ? 6 : 3).fill(200));
    } finally {
      await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
      await ghes.close();
    }
  }, 180_000);
});
