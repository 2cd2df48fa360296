import createClient from "openapi-fetch";
import { describe, expect, it, vi } from "vitest";
import { appInstallationsAuth, appRouteAuth, installationAuth, type InstallationAuthStrategy, type TokenCache } from "../src/index.js";
import { APP_ID, INSTALLATION_ID, OTHER_KEY, PKCS1_KEY, PKCS8_KEY } from "./helpers/fixtures.js";
import { T0, useFakeGhes } from "./helpers/ghes.js";
import type { LoosePaths } from "./helpers/paths.js";
import { memoryStore, type MemoryStore } from "./helpers/shared-store.js";

// Several strategies sharing one store stand for several processes sharing Redis: each strategy has its
// own in-memory cache and single flight, as a process would.
const ghes = useFakeGhes();

const auth = (cache: TokenCache, installationId: number = INSTALLATION_ID) =>
  installationAuth({ appId: APP_ID, privateKey: PKCS1_KEY, installationId, cache });
const clientFor = (strategy: InstallationAuthStrategy) => {
  const client = createClient<LoosePaths>({ baseUrl: `${ghes().origin}/api/v3` });
  client.use(strategy);
  return client;
};
const used = () => ghes().received.filter((r) => !r.url.endsWith("/access_tokens")).map((r) => r.headers.authorization);
/** Resolves once `check` holds, looking again after each turn of the event loop. */
const until = async (check: () => boolean) => {
  while (!check()) await new Promise((resolve) => setImmediate(resolve));
};

describe("cache: a TokenCache shared by several processes", () => {
  it("four processes starting together mint once per installation and use the token the minter stored", async () => {
    const store = memoryStore();
    const clients = Array.from({ length: 4 }, () => clientFor(auth(store)));
    const results = await Promise.all(clients.flatMap((client) => Array.from({ length: 25 }, () => client.GET("/installation/repositories"))));
    expect(results.every((r) => r.response.status === 200)).toBe(true);
    expect(ghes().mintRequests).toHaveLength(1);
    expect(new Set(used())).toEqual(new Set(["token ghs_fake0001"]));
    // A process started later finds it in the store.
    await clientFor(auth(store)).GET("/installation/repositories");
    expect(ghes().mintRequests).toHaveLength(1);
  });

  it("stores the token encrypted, under a key naming the installation, expiring 5 minutes before the token", async () => {
    const store = memoryStore();
    await clientFor(auth(store)).GET("/installation/repositories");
    const [[key, { value, until: expires }]] = [...store.values] as [[string, { value: string; until: number }]];
    expect(key).toMatch(new RegExp(`^installation-token:${INSTALLATION_ID}:[\\w-]{32}$`));
    expect(value).toMatch(/^v1\.[\w-]+\.[\w-]+$/);
    expect(value).not.toContain("ghs_fake0001");
    expect(Buffer.from(value.split(".")[2]!, "base64url").toString("latin1")).not.toContain("ghs_fake0001");
    expect(expires).toBe(T0 + (3600 - 300) * 1000);
    expect(store.locks.size).toBe(0); // released after the write
  });

  it("a value is only used by the App whose key sealed it, under the key it was sealed for", async () => {
    const store = memoryStore();
    await clientFor(auth(store, 77)).GET("/installation/repositories");
    const [[, sealed]] = [...store.values] as [[string, { value: string; until: number }]];
    // Copied under installation 78's key: it does not decrypt there, so 78 mints its own.
    await clientFor(auth(store, 78)).GET("/installation/repositories"); // stores 78's key
    const key78 = [...store.values.keys()].find((k) => k.startsWith("installation-token:78:"))!;
    store.values.set(key78, sealed);
    await clientFor(auth(store, 78)).GET("/installation/repositories");
    expect(ghes().mintRequests).toHaveLength(3);
    // Another private key derives another cipher key: the same value is not readable with it.
    const { SharedTokens } = await import("../src/shared-cache.js");
    const { parsePrivateKey } = await import("../src/app-jwt.js");
    const other = new SharedTokens(store, parsePrivateKey("test", OTHER_KEY).sign);
    const mine = new SharedTokens(store, parsePrivateKey("test", PKCS8_KEY).sign); // the same key in PKCS#8: same cipher key
    const cacheKey = JSON.stringify([`${ghes().origin}/api/v3`, APP_ID, 77, "*"]);
    const local = (mintedBy: string) => ({
      usableForMs: () => 1,
      mint: async () => ({ token: mintedBy, expiresAt: 0, mintedAt: 0 }),
      adopt: (token: { token: string; expiresAt: number; mintedAt: number }) => token,
    });
    const waiting = { method: "GET", url: "/", what: "test" };
    const signal = new AbortController().signal;
    expect((await other.obtain(cacheKey, 77, signal, waiting, local("ghs_other_minted"))).token).toBe("ghs_other_minted");
    store.values.clear();
    await clientFor(auth(store, 77)).GET("/installation/repositories");
    expect((await mine.obtain(cacheKey, 77, signal, waiting, local("ghs_never"))).token).toBe(ghes().minted.at(-1)!.token);
  });

  it("a process that died holding the mint lock delays the others until its lease ends, then one of them mints", async () => {
    const store = memoryStore(10_000);
    const first = auth(store);
    await clientFor(first).GET("/installation/repositories");
    const [[key]] = [...store.values] as [[string, unknown]];
    store.values.clear();
    // The dead process: it took the lock at T0 and never wrote or released.
    store.locks.set(`${key}:lock`, { owner: Symbol("dead"), until: T0 + 10_000 });
    const waiting = Promise.all([clientFor(auth(store)).GET("/installation/repositories"), clientFor(auth(store)).GET("/installation/repositories")]);
    const locksTried = store.calls.lock;
    await until(() => store.calls.lock >= locksTried + 6); // both have found the lock taken, and looked again
    expect(ghes().mintRequests).toHaveLength(1);
    vi.setSystemTime(T0 + 10_000); // the lease is over
    const results = await waiting;
    expect(results.map((r) => r.response.status)).toEqual([200, 200]);
    expect(ghes().mintRequests).toHaveLength(2); // one of the two minted, the other took its token
    expect(used().slice(1)).toEqual(["token ghs_fake0002", "token ghs_fake0002"]);
  });

  it("a store that fails or never answers: requests go on with the process's own cache and single flight", async () => {
    const store = memoryStore();
    store.failing = true;
    const client = clientFor(auth(store));
    const results = await Promise.all(Array.from({ length: 10 }, () => client.GET("/installation/repositories")));
    expect(results.every((r) => r.response.status === 200)).toBe(true);
    await client.GET("/installation/repositories");
    expect(ghes().mintRequests).toHaveLength(1);
    // Back again: a new process finds nothing stored (the write failed) and mints, then shares.
    store.failing = false;
    await clientFor(auth(store)).GET("/installation/repositories");
    await clientFor(auth(store)).GET("/installation/repositories");
    expect(ghes().mintRequests).toHaveLength(2);
  });

  it("a store method that throws synchronously is a failure like any other", async () => {
    const store = memoryStore();
    const broken: TokenCache = { ...store, get: () => { throw new Error("boom"); } };
    const { response } = await clientFor(auth(broken)).GET("/installation/repositories");
    expect(response.status).toBe(200);
    expect(ghes().mintRequests).toHaveLength(1);
  });

  it("a stored token inside the refresh margin is not used; a new one is minted and stored", async () => {
    const store = memoryStore();
    await clientFor(auth(store)).GET("/installation/repositories");
    // The store keeps values longer than asked (a store with its own ideas of expiry).
    for (const entry of store.values.values()) entry.until = Number.POSITIVE_INFINITY;
    vi.setSystemTime(T0 + (3600 - 300) * 1000);
    await clientFor(auth(store)).GET("/installation/repositories");
    expect(ghes().mintRequests).toHaveLength(2);
    expect(used()).toEqual(["token ghs_fake0001", "token ghs_fake0002"]);
  });

  it("a token that a 401 showed dead is removed from the store, so other processes do not take it", async () => {
    const store = memoryStore();
    const a = clientFor(auth(store));
    await a.GET("/installation/repositories");
    ghes().minted[0]!.revoked = true;
    vi.setSystemTime(T0 + 60_000); // past the replication-lag window
    const { response } = await a.GET("/installation/repositories");
    expect(response.status).toBe(200);
    expect(ghes().mintRequests).toHaveLength(2);
    await until(() => store.calls.set === 2);
    await clientFor(auth(store)).GET("/installation/repositories");
    expect(ghes().mintRequests).toHaveLength(2);
    expect(used().at(-1)).toBe("token ghs_fake0002");
  });

  it("revoke() removes the revoked tokens from the store", async () => {
    const store = memoryStore();
    const strategy = auth(store);
    await clientFor(strategy).GET("/installation/repositories");
    expect(await strategy.revoke()).toBe(1);
    await until(() => store.values.size === 0);
    await clientFor(auth(store)).GET("/installation/repositories");
    expect(ghes().mintRequests).toHaveLength(2);
  });

  it("appInstallationsAuth and appRouteAuth take it too", async () => {
    const store = memoryStore();
    const many = () => appInstallationsAuth({ appId: APP_ID, privateKey: PKCS1_KEY, installationId: () => INSTALLATION_ID, cache: store });
    const route = () => appRouteAuth({ appId: APP_ID, privateKey: PKCS1_KEY, installationId: INSTALLATION_ID, cache: store });
    const results = await Promise.all([many(), many(), route(), route()].map((s) => clientFor(s).GET("/installation/repositories")));
    expect(results.map((r) => r.response.status)).toEqual([200, 200, 200, 200]);
    expect(ghes().mintRequests).toHaveLength(1);
  });

  it("refuses a cache that is not a TokenCache, naming the option and what it needs", () => {
    for (const cache of [{}, null, "redis://127.0.0.1", { get() {}, set() {} }]) {
      expect(() => installationAuth({ appId: APP_ID, privateKey: PKCS1_KEY, installationId: 1, cache: cache as never })).toThrow(
        expect.objectContaining({ code: "INVALID_OPTION", option: "cache", message: expect.stringMatching(/get, set, delete and lock/) }),
      );
    }
  });
});
