import { installationAuth } from "@ghes-sdk/auth";
import { createClient as ghesClient } from "@ghes-sdk/ghes-2022-11-28";
import { createClient } from "redis";
import { afterEach, describe, expect, it, vi } from "vitest";
import { redisCache, type RedisCacheOptions, type RedisTokenCache } from "../src/index.js";
import { rateLimitWait } from "../src/rate-limits.js";
import { until, useRedisAndGhes } from "./helpers/fixture.js";

const fx = useRedisAndGhes({ flush: false });
const opened: RedisTokenCache[] = [];
const cacheFor = (options: Partial<RedisCacheOptions> = {}) => {
  const cache = redisCache({ url: fx.redis.url, timeout: 30_000, ...options });
  opened.push(cache);
  return cache;
};
afterEach(async () => {
  await Promise.all(opened.splice(0).map((cache) => cache.close()));
});
const subscribers = async () => ((await fx.inspect.sendCommand(["PUBSUB", "NUMSUB", "ghes-sdk:rate-limits"])) as [string, number])[1];

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
    const app = fx.ghes.state.createApp({ name: "Limited App" });
    const installation = fx.ghes.state.createInstallation({ appId: app.id, account: "octo-org" });
    const [one, two] = [cacheFor(), cacheFor()];
    const sentByTwo: number[] = [];
    const auth = (cache: RedisTokenCache) => installationAuth({ appId: app.id, privateKey: app.privateKeyPem, installationId: installation.id, cache });
    const first = ghesClient({ baseUrl: fx.ghes.baseUrl, fetch: one.shareRateLimits(), retry: false, auth: auth(one) });
    const second = ghesClient({
      baseUrl: fx.ghes.baseUrl,
      fetch: two.shareRateLimits((request) => {
        sentByTwo.push(Date.now());
        return fetch(request);
      }),
      auth: auth(two),
    });
    expect((await second.GET("/installation/repositories")).response.status).toBe(200);
    await until(async () => (await subscribers()) === 2);

    // 3 s: the other process must hear of the hold (pub/sub) and the checks below run while it lasts, also
    // on a loaded machine.
    fx.ghes.faults.add({ kind: "secondary-rate-limit", retryAfter: 3, operationId: "apps/list-repos-accessible-to-installation", times: 1 });
    expect((await first.GET("/installation/repositories")).response.status).toBe(403);
    const [token] = [...fx.ghes.state.tokens.values()].filter((t) => t.installationId === installation.id);
    const like = new Request(`${fx.ghes.baseUrl}/installation/repositories`, { headers: { Authorization: `token ${token!.token}` } });
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
    const app = fx.ghes.state.createApp({ name: "Capped App" });
    const installation = fx.ghes.state.createInstallation({ appId: app.id, account: "octo-org" });
    const cache = cacheFor({ maxRateLimitWait: 50 });
    const client = ghesClient({
      baseUrl: fx.ghes.baseUrl,
      fetch: cache.shareRateLimits(),
      retry: false,
      auth: installationAuth({ appId: app.id, privateKey: app.privateKeyPem, installationId: installation.id, cache }),
    });
    fx.ghes.faults.add({ kind: "secondary-rate-limit", retryAfter: 3600, operationId: "apps/list-repos-accessible-to-installation", times: 1 });
    // The clock stands still (timers and I/O stay real): a 50 ms hold read back on a loaded machine must not
    // have run out before it is read.
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      const before = Date.now();
      expect((await client.GET("/installation/repositories")).response.status).toBe(403);
      const [token] = [...fx.ghes.state.tokens.values()].filter((t) => t.installationId === installation.id);
      const held = cache.rateLimitedUntil(new Request(`${fx.ghes.baseUrl}/x`, { headers: { Authorization: `token ${token!.token}` } }));
      expect(held).toBe(before + 50);
    } finally {
      vi.useRealTimers();
    }
  });

  it("refuses a client without pub/sub, naming what it needs", () => {
    const cache = redisCache({ client: { get: async () => null, set: async () => "OK", del: async () => 0, eval: async () => 0 } });
    expect(() => cache.shareRateLimits()).toThrow(/duplicate\(\) and publish\(\) to share rate-limit waits/);
  });
});
