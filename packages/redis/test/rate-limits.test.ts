import { installationAuth } from "@ghes-sdk/auth";
import { startEmulator, type Emulator } from "@ghes-sdk/emulator";
import { createClient as ghesClient } from "@ghes-sdk/ghes-2022-11-28";
import { createClient, type RedisClientType } from "redis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { redisCache, type RedisCacheOptions, type RedisTokenCache } from "../src/index.js";
import { rateLimitWait } from "../src/rate-limits.js";
import { startRedis, type RedisServer } from "./helpers/redis-server.js";

let redis: RedisServer;
let inspect: RedisClientType;
let ghes: Emulator;
const opened: RedisTokenCache[] = [];
const cacheFor = (options: Partial<RedisCacheOptions> = {}) => {
  const cache = redisCache({ url: redis.url, timeout: 30_000, ...options });
  opened.push(cache);
  return cache;
};
beforeAll(async () => {
  redis = await startRedis();
  inspect = createClient({ url: redis.url });
  await inspect.connect();
  ghes = await startEmulator({ era: "ghes-2022-11-28" });
});
afterAll(async () => {
  inspect.destroy();
  await ghes.close();
  await redis.close();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((cache) => cache.close()));
});
const until = async (check: () => boolean | Promise<boolean>) => {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 5));
};
const subscribers = async () => ((await inspect.sendCommand(["PUBSUB", "NUMSUB", "ghes-sdk:rate-limits"])) as [string, number])[1];

describe("rateLimitWait: which answers are rate limits, and how long they ask to wait", () => {
  const DATE = "Mon, 07 Dec 2026 12:00:00 GMT";
  const at = Date.parse(DATE);
  it.each([
    ["429 with Retry-After in seconds", 429, { "retry-after": "3" }, 3000],
    ["secondary limit: 403 with Retry-After", 403, { "retry-after": "60" }, 60_000],
    ["primary limit: 403, none remaining, reset measured against the response's Date", 403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(at / 1000 + 42), date: DATE }, 42_000],
    ["429 without a wait: GitHub's minute", 429, {}, 60_000],
    ["403 that is not a rate limit", 403, {}, undefined],
    ["200 with none remaining", 200, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1" }, undefined],
  ])("%s", (_, status, headers, wait) => {
    expect(rateLimitWait(new Response(null, { status, headers }), at + 5_000)).toBe(wait);
  });
});

describe("shareRateLimits: rate-limit waits shared through Redis", () => {
  it("a limit one process meets holds the other processes' requests with that credential until it ends", async () => {
    const app = ghes.state.createApp({ name: "Limited App" });
    const installation = ghes.state.createInstallation({ appId: app.id, account: "octo-org" });
    const [one, two] = [cacheFor(), cacheFor()];
    const sentByTwo: number[] = [];
    const auth = (cache: RedisTokenCache) => installationAuth({ appId: app.id, privateKey: app.privateKeyPem, installationId: installation.id, cache });
    const first = ghesClient({ baseUrl: ghes.baseUrl, fetch: one.shareRateLimits(), retry: false, auth: auth(one) });
    const second = ghesClient({
      baseUrl: ghes.baseUrl,
      fetch: two.shareRateLimits((request) => {
        sentByTwo.push(Date.now());
        return fetch(request);
      }),
      auth: auth(two),
    });
    expect((await second.GET("/installation/repositories")).response.status).toBe(200);
    await until(async () => (await subscribers()) === 2);

    ghes.faults.add({ kind: "secondary-rate-limit", retryAfter: 1, operationId: "apps/list-repos-accessible-to-installation", times: 1 });
    expect((await first.GET("/installation/repositories")).response.status).toBe(403);
    const [token] = [...ghes.state.tokens.values()].filter((t) => t.installationId === installation.id);
    const like = new Request(`${ghes.baseUrl}/installation/repositories`, { headers: { Authorization: `token ${token!.token}` } });
    await until(() => two.rateLimitedUntil(like) > 0); // heard from the other process
    const heldUntil = two.rateLimitedUntil(like);
    expect(one.rateLimitedUntil(like)).toBeGreaterThan(0);
    // Another credential is not held.
    expect(two.rateLimitedUntil(new Request(like.url, { headers: { Authorization: "token ghs_someoneElse" } }))).toBe(0);

    const { response } = await second.GET("/installation/repositories");
    expect(response.status).toBe(200);
    expect(sentByTwo.at(-1)).toBeGreaterThanOrEqual(heldUntil); // it was sent only once the wait was over
  });

  it("waits at most maxRateLimitWait, whatever the server asked", async () => {
    const app = ghes.state.createApp({ name: "Capped App" });
    const installation = ghes.state.createInstallation({ appId: app.id, account: "octo-org" });
    const cache = cacheFor({ maxRateLimitWait: 50 });
    const client = ghesClient({
      baseUrl: ghes.baseUrl,
      fetch: cache.shareRateLimits(),
      retry: false,
      auth: installationAuth({ appId: app.id, privateKey: app.privateKeyPem, installationId: installation.id, cache }),
    });
    ghes.faults.add({ kind: "secondary-rate-limit", retryAfter: 3600, operationId: "apps/list-repos-accessible-to-installation", times: 1 });
    const before = Date.now();
    expect((await client.GET("/installation/repositories")).response.status).toBe(403);
    const [token] = [...ghes.state.tokens.values()].filter((t) => t.installationId === installation.id);
    const held = cache.rateLimitedUntil(new Request(`${ghes.baseUrl}/x`, { headers: { Authorization: `token ${token!.token}` } }));
    expect(held).toBeGreaterThan(before);
    expect(held - Date.now()).toBeLessThanOrEqual(50);
  });

  it("refuses a client without pub/sub, naming what it needs", () => {
    const cache = redisCache({ client: { get: async () => null, set: async () => "OK", del: async () => 0, eval: async () => 0 } });
    expect(() => cache.shareRateLimits()).toThrow(/duplicate\(\) and publish\(\) to share rate-limit waits/);
  });
});
