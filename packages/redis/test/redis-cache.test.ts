import { installationAuth } from "@ghes-sdk/auth";
import { createClient as ghesClient } from "@ghes-sdk/ghes-2022-11-28";
import { createClient } from "redis";
import { afterEach, describe, expect, it, vi } from "vitest";
import { redisCache, type RedisCacheOptions, type RedisTokenCache } from "../src/index.js";
import { until, useRedisAndGhes } from "./helpers/fixture.js";

const fx = useRedisAndGhes();
const opened: RedisTokenCache[] = [];
/** A redisCache on the test's server; its timeout is long (a loaded machine is slow) unless a test sets one. */
const cacheFor = (options: Partial<RedisCacheOptions> = {}) => {
  const cache = redisCache({ url: fx.redis.url, timeout: 30_000, ...options });
  opened.push(cache);
  return cache;
};

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(opened.splice(0).map((cache) => cache.close()));
});


const installationTokens = () => [...fx.ghes.state.tokens.values()].filter((t) => t.kind === "installation");

describe("redisCache as a TokenCache", () => {
  it("get/set with an expiry and delete, under the prefix", async () => {
    const cache = cacheFor({ prefix: "app-1:" });
    expect(await cache.get("k")).toBeUndefined();
    await cache.set("k", "sealed", 60_000);
    expect(await cache.get("k")).toBe("sealed");
    expect(await fx.inspect.get("app-1:k")).toBe("sealed");
    const ttl = await fx.inspect.pTTL("app-1:k");
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await cacheFor({ prefix: "app-2:" }).get("k")).toBeUndefined(); // another prefix, another app
    await cache.delete("k");
    expect(await fx.inspect.exists("app-1:k")).toBe(0);
    expect(await cacheFor().get("x")).toBeUndefined();
    await cacheFor().set("x", "y", 1000);
    expect(await fx.inspect.get("ghes-sdk:x")).toBe("y"); // the default prefix
  });

  it("lock: one holder at a time, for the lease; a release frees only the holder's own lock", async () => {
    const a = cacheFor({ lease: 60_000 });
    const b = cacheFor({ lease: 60_000 });
    const release = await a.lock("l");
    expect(release).toBeTypeOf("function");
    expect(await b.lock("l")).toBeUndefined();
    const lease = await fx.inspect.pTTL("ghes-sdk:l");
    expect(lease).toBeGreaterThan(0);
    expect(lease).toBeLessThanOrEqual(60_000);
    await release!();
    const next = await b.lock("l");
    expect(next).toBeTypeOf("function");
    await release!(); // a's lock is long gone: b's stays
    expect(await a.lock("l")).toBeUndefined();
    await next!();
    expect(await fx.inspect.exists("ghes-sdk:l")).toBe(0);
  });

  it("a live holder renews its lease, so a mint slower than the lease is not done twice", async () => {
    const holder = cacheFor({ lease: 60 });
    const release = await holder.lock("l");
    // Renewed several times over: by now the first lease alone would have ended.
    let renewals = 0;
    let last = await fx.inspect.pTTL("ghes-sdk:l");
    await until(async () => {
      const ttl = await fx.inspect.pTTL("ghes-sdk:l");
      if (ttl > last) renewals++;
      last = ttl;
      return renewals >= 3;
    });
    expect(await cacheFor().lock("l")).toBeUndefined();
    await release!();
    expect(await fx.inspect.exists("ghes-sdk:l")).toBe(0);
  });

  it("a lock whose holder never releases it is free again when its lease ends", async () => {
    // A holder that dies: it took the lock, then its connection went away (a live holder renews its lease).
    const dead = redisCache({ url: fx.redis.url, timeout: 30_000, lease: 50 });
    expect(await dead.lock("l")).toBeTypeOf("function");
    await dead.close();
    await until(async () => (await fx.inspect.exists("ghes-sdk:l")) === 0);
    expect(await cacheFor().lock("l")).toBeTypeOf("function");
  });

  it("a warning names the server, never the URL's user name or password", async () => {
    const warnings: string[] = [];
    const cache = cacheFor({ url: "redis://app-user:s3cret-pass@127.0.0.1:1", timeout: 200, onWarning: (m) => warnings.push(m) });
    await expect(cache.get("k")).rejects.toThrow();
    await expect(cache.get("k")).rejects.toThrow();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("Redis at redis://127.0.0.1:1 failed");
    expect(warnings[0]).not.toMatch(/s3cret|app-user/);
  });

  it("refuses bad options with what to pass instead", () => {
    const bad: Array<[unknown, RegExp]> = [
      [undefined, /options must be an object/],
      [{}, /url or client is needed/],
      [{ url: "redis://x", client: {} }, /only one of them/],
      [{ url: "http://127.0.0.1:6379" }, /redis:\/\/ or rediss:\/\/ URL/],
      [{ client: { get() {} } }, /node-redis client/],
      [{ url: "redis://x", lease: 0 }, /lease must be a positive whole number/],
      [{ url: "redis://x", timeout: "1s" }, /timeout must be a positive whole number/],
      [{ url: "redis://x", prefix: 1 }, /prefix must be a string/],
      [{ url: "redis://x", ttl: 5 }, /option ttl is not one redisCache takes/],
    ];
    for (const [options, message] of bad) expect(() => redisCache(options as RedisCacheOptions)).toThrow(message);
  });

  it("takes a node-redis client the caller made, and leaves it open on close()", async () => {
    const mine = createClient({ url: fx.redis.url });
    await mine.connect();
    const cache = redisCache({ client: mine });
    await cache.set("k", "v", 1000);
    expect(await fx.inspect.get("ghes-sdk:k")).toBe("v");
    await cache.close();
    expect(await mine.get("ghes-sdk:k")).toBe("v");
    mine.destroy();
  });
});

describe("installation tokens through Redis", () => {
  const app = () => fx.ghes.state.createApp({ name: `app-${Math.random()}` });
  const clientFor = (a: { id: number; privateKeyPem: string }, installationId: number, cache: RedisTokenCache) =>
    ghesClient({ baseUrl: fx.ghes.baseUrl, auth: installationAuth({ appId: a.id, privateKey: a.privateKeyPem, installationId, cache }) });

  it("processes share one mint; Redis holds the token only encrypted, also in a dump", async () => {
    const a = app();
    const installation = fx.ghes.state.createInstallation({ appId: a.id, account: "octo-org" });
    const before = installationTokens().length;
    const clients = [clientFor(a, installation.id, cacheFor()), clientFor(a, installation.id, cacheFor())];
    const results = await Promise.all(clients.flatMap((c) => [c.GET("/installation/repositories"), c.GET("/installation/repositories")]));
    expect(results.map((r) => r.response.status)).toEqual([200, 200, 200, 200]);
    const minted = installationTokens().slice(before);
    expect(minted).toHaveLength(1);
    const keys = await fx.inspect.keys("ghes-sdk:*");
    expect(keys).toEqual([expect.stringMatching(new RegExp(`^ghes-sdk:installation-token:${installation.id}:`))]);
    const stored = (await fx.inspect.get(keys[0]!))!;
    expect(stored).not.toContain(minted[0]!.token);
    // Stored until 5 minutes before the token expires (an hour), not longer.
    expect(await fx.inspect.pTTL(keys[0]!)).toBeLessThanOrEqual(55 * 60_000);
    await fx.inspect.sendCommand(["SAVE"]);
    const dump = fx.redis.dumpFile();
    expect(dump.includes(keys[0]!.slice("ghes-sdk:".length))).toBe(true); // the dump has the entry…
    expect(dump.includes(minted[0]!.token)).toBe(false); // …but not the token
    expect(dump.includes(minted[0]!.token.slice(4))).toBe(false);
  });

  it("a process that has the token makes no Redis call for it", async () => {
    const a = app();
    const installation = fx.ghes.state.createInstallation({ appId: a.id, account: "octo-org" });
    const real = createClient({ url: fx.redis.url });
    await real.connect();
    const commands: string[] = [];
    const counted = {
      get: (key: string) => (commands.push("get"), real.get(key)),
      set: (key: string, value: string, o: { expiration: { type: "PX"; value: number }; condition?: "NX" }) => (commands.push("set"), real.set(key, value, o)),
      del: (key: string) => (commands.push("del"), real.del(key)),
      eval: (script: string, o: { keys: string[]; arguments: string[] }) => (commands.push("eval"), real.eval(script, o)),
    };
    const client = clientFor(a, installation.id, redisCache({ client: counted }));
    await client.GET("/installation/repositories");
    await until(() => commands.includes("eval")); // the lock freed
    const afterFirst = commands.length;
    for (let i = 0; i < 20; i++) expect((await client.GET("/installation/repositories")).response.status).toBe(200);
    expect(commands.slice(afterFirst)).toEqual([]);
    real.destroy();
  });

  it("an expiring token is replaced once for every process, and the new one is shared", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    const a = app();
    const installation = fx.ghes.state.createInstallation({ appId: a.id, account: "octo-org" });
    const before = installationTokens().length;
    const one = clientFor(a, installation.id, cacheFor());
    const two = clientFor(a, installation.id, cacheFor());
    await one.GET("/installation/repositories");
    await two.GET("/installation/repositories");
    expect(installationTokens().length - before).toBe(1);
    vi.setSystemTime(Date.now() + 55 * 60_000); // inside the refresh margin for both processes
    const results = await Promise.all([one.GET("/installation/repositories"), two.GET("/installation/repositories")]);
    expect(results.map((r) => r.response.status)).toEqual([200, 200]);
    const minted = installationTokens().slice(before);
    expect(minted).toHaveLength(2);
    await clientFor(a, installation.id, cacheFor()).GET("/installation/repositories");
    expect(installationTokens().length - before).toBe(2);
  });

  it("Redis stopped mid-run: every request succeeds, one warning, and it is used again once back", async () => {
    const a = app();
    const ids = Array.from({ length: 4 }, () => fx.ghes.state.createInstallation({ appId: a.id, account: "octo-org" }).id);
    const warnings: string[] = [];
    const cache = cacheFor({ onWarning: (m) => warnings.push(m) });
    const clients = ids.map((id) => clientFor(a, id, cache));
    const run = (from: number, to: number) => Promise.all(clients.slice(from, to).map((c) => c.GET("/installation/repositories")));
    expect((await run(0, 2)).map((r) => r.response.status)).toEqual([200, 200]);
    await until(async () => (await fx.inspect.dbSize()) === 2); // two tokens; their locks freed after the write
    await fx.redis.stop();
    expect((await run(0, 4)).map((r) => r.response.status)).toEqual([200, 200, 200, 200]); // 2 cached here, 2 minted here
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^@ghes-sdk\/redis: Redis at redis:\/\/127\.0\.0\.1:\d+ failed \(.*\); installation tokens come from each process's own cache/);
    await fx.redis.start();
    await fx.inspect.connect().catch(() => undefined);
    await until(async () => {
      // The client reconnects by itself: a new installation's token is stored again.
      const id = fx.ghes.state.createInstallation({ appId: a.id, account: "octo-org" }).id;
      expect((await clientFor(a, id, cache).GET("/installation/repositories")).response.status).toBe(200);
      return (await fx.inspect.dbSize().catch(() => 0)) > 0;
    });
    expect(warnings).toHaveLength(1);
  });

  it("Redis that stops answering: commands time out, requests go on with the process's own cache", async () => {
    const a = app();
    const id = fx.ghes.state.createInstallation({ appId: a.id, account: "octo-org" }).id;
    const warnings: string[] = [];
    const client = clientFor(a, id, cacheFor({ timeout: 100, onWarning: (m) => warnings.push(m) }));
    fx.redis.pause();
    try {
      const results = await Promise.all([client.GET("/installation/repositories"), client.GET("/installation/repositories")]);
      expect(results.map((r) => r.response.status)).toEqual([200, 200]);
    } finally {
      fx.redis.resume();
    }
    expect(warnings).toEqual([expect.stringMatching(/no answer within 100 ms/)]);
  });
});
