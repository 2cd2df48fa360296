import { startEmulator, type Emulator } from "@ghes-sdk/emulator";
import { readFileSync } from "node:fs";
import { createClient, type RedisClientType } from "redis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startRedis, type RedisServer } from "./helpers/redis-server.js";

const root = new URL("../", import.meta.url);
const readme = readFileSync(new URL("README.md", root), "utf8");
const blocks = [...readme.matchAll(/<!-- example: (examples\/[\w.-]+) -->\n```ts\n([\s\S]*?)```/g)].map((m) => [m[1]!, m[2]!] as const);

let redis: RedisServer;
let ghes: Emulator;
let inspect: RedisClientType;
beforeAll(async () => {
  redis = await startRedis();
  ghes = await startEmulator({ era: "ghes-2022-11-28" });
  inspect = createClient({ url: redis.url });
  await inspect.connect();
});
afterAll(async () => {
  inspect.destroy();
  await ghes.close();
  await redis.close();
});

describe("README", () => {
  it("shows the files in examples/ verbatim (compiled with --strict by `npm test`'s tsc)", () => {
    expect(blocks.map(([file]) => file)).toEqual(["examples/shared.ts", "examples/rate-limits.ts"]);
    for (const [file, code] of blocks) expect(code).toBe(readFileSync(new URL(file, root), "utf8"));
  });

  it("runs the example twice, as two processes would: one mint, the token stored under the prefix", async () => {
    const app = ghes.state.createApp({ name: "Readme App" });
    const installation = ghes.state.createInstallation({ appId: app.id, account: "octocat" });
    ghes.state.createRepository({ owner: "octocat", name: "Hello-World" });
    vi.stubEnv("REDIS_URL", redis.url);
    vi.stubEnv("GHES_URL", ghes.baseUrl);
    vi.stubEnv("GHES_APP_ID", String(app.id));
    vi.stubEnv("GHES_APP_PRIVATE_KEY", app.privateKeyPem);
    vi.stubEnv("GHES_INSTALLATION_ID", String(installation.id));
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      for (let run = 0; run < 2; run++) {
        vi.resetModules(); // a fresh module graph: a new process's caches
        await import("../examples/shared.js");
      }
      expect(log.mock.calls).toEqual([
        [`installation ${installation.id} sees octocat/Hello-World`],
        [`installation ${installation.id} sees octocat/Hello-World`],
      ]);
    } finally {
      log.mockRestore();
      vi.unstubAllEnvs();
    }
    const mints = [...ghes.state.tokens.values()].filter((t) => t.kind === "installation" && t.installationId === installation.id);
    expect(mints).toHaveLength(1);
    expect(await inspect.keys("my-app:*")).toEqual([expect.stringMatching(new RegExp(`^my-app:installation-token:${installation.id}:`))]);
  });

  it("runs the rate-limit example through a secondary rate limit", async () => {
    const app = ghes.state.createApp({ name: "Readme Limited App" });
    const installation = ghes.state.createInstallation({ appId: app.id, account: "octo-labs" });
    ghes.state.createRepository({ owner: "octo-labs", name: "one" });
    ghes.faults.add({ kind: "secondary-rate-limit", retryAfter: 1, operationId: "apps/list-repos-accessible-to-installation", times: 1 });
    vi.stubEnv("REDIS_URL", redis.url);
    vi.stubEnv("GHES_URL", ghes.baseUrl);
    vi.stubEnv("GHES_APP_ID", String(app.id));
    vi.stubEnv("GHES_APP_PRIVATE_KEY", app.privateKeyPem);
    vi.stubEnv("GHES_INSTALLATION_ID", String(installation.id));
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const start = ghes.served.length;
    try {
      vi.resetModules();
      await import("../examples/rate-limits.js");
      expect(log.mock.calls).toEqual([["200: 1 repositories"]]);
    } finally {
      log.mockRestore();
      vi.unstubAllEnvs();
    }
    // The 403, then the client's own retry after Retry-After.
    expect(ghes.served.slice(start).filter((s) => s.path.endsWith("/installation/repositories")).map((s) => s.status)).toEqual([403, 200]);
  });
});
