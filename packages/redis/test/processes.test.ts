import { describe, expect, it, vi } from "vitest";
import { runTogether, startWorker, type WorkerResult } from "./helpers/processes.js";
import { until, useRedisAndGhes } from "./helpers/fixture.js";

// Real processes (helpers/worker.mjs), a real redis-server and the emulator, all on 127.0.0.1. Several
// node processes on a busy 2-core machine take their time: each test has minutes, and waits by events.
vi.setConfig({ testTimeout: 180_000 });
const fx = useRedisAndGhes();

/** An App with `k` installations, as the workers see it. */
/** Redis commands may take long on a loaded machine; a timeout here would be a warning the tests do not expect. */
const timeout = 30_000;
const appWith = (k: number) => {
  const app = fx.ghes.state.createApp({ name: `app-${fx.ghes.state.apps.size + 1}` });
  const installations = Array.from({ length: k }, () => fx.ghes.state.createInstallation({ appId: app.id, account: "octo-org" }).id);
  const mints = () => [...fx.ghes.state.tokens.values()].filter((t) => t.kind === "installation" && installations.includes(t.installationId!));
  return { app, installations, mints, config: { baseUrl: fx.ghes.baseUrl, appId: app.id, installations, timeout } };
};
const all200 = (results: WorkerResult[], each: number) => results.map((r) => r.statuses).every((s) => s["200"] === each && Object.keys(s).length === 1);

describe("one App, several processes", () => {
  it("4 processes × 250 requests over 20 installations, started together: 20 mints with Redis (80 with each process's own cache), and a dump taken meanwhile holds no token", async () => {
    const alone = appWith(20);
    const own = await runTogether(4, { ...alone.config, requests: 250 }, alone.app.privateKeyPem);
    expect(all200(own, 250)).toBe(true);
    expect(alone.mints()).toHaveLength(80);

    const shared = appWith(20);
    let dumped = false;
    const results = await runTogether(4, { ...shared.config, requests: 250, redisUrl: fx.redis.url }, shared.app.privateKeyPem, async () => {
      await until(async () => (await fx.inspect.keys("ghes-sdk:installation-token:*")).length >= 3);
      await fx.inspect.sendCommand(["SAVE"]);
      dumped = true;
    });
    expect(all200(results, 250)).toBe(true);
    expect(shared.mints()).toHaveLength(20);
    expect(dumped).toBe(true);
    const dump = fx.redis.dumpFile();
    expect(dump.includes("installation-token:")).toBe(true);
    for (const token of shared.mints()) expect(dump.includes(token.token.slice(4))).toBe(false);
    expect(results.flatMap((r) => r.warnings).join("\n")).toBe("");
  });

  it("Redis stopped halfway through: every request of every process still succeeds, with one warning each", async () => {
    const { app, config, mints } = appWith(10);
    let mintedBeforeStop = -1;
    try {
      // Every process does its first 100 requests (5 of the 10 installations), then Redis is stopped.
      const results = await runTogether(4, { ...config, requests: 200, batch: 10, pauseAt: 100, redisUrl: fx.redis.url }, app.privateKeyPem, undefined, async () => {
        mintedBeforeStop = mints().length;
        await fx.redis.stop();
      });
      expect(mintedBeforeStop).toBe(5); // shared until the stop
      expect(all200(results, 200)).toBe(true);
      // The installations reached after the stop were minted by each process for itself, with one warning.
      expect(results.map((r) => r.warnings.length)).toEqual([1, 1, 1, 1]);
      expect(mints().length).toBe(5 + 4 * 5);
    } finally {
      await fx.redis.start();
      await fx.inspect.connect().catch(() => undefined);
      await until(async () => fx.inspect.isReady);
    }
  });

  it("a process killed while it holds an installation's mint lock delays the others by at most the lease", async () => {
    const { app, config, mints } = appWith(1);
    const lease = 1_000;
    const doomed = startWorker({ ...config, requests: 1, redisUrl: fx.redis.url, lease }, app.privateKeyPem, true);
    await doomed.said("ready");
    doomed.go();
    await doomed.said("minting"); // it holds the lock, and its mint will never come
    const [lock] = await fx.inspect.keys("ghes-sdk:*:lock");
    const left = await fx.inspect.pTTL(lock!);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(lease);
    doomed.child.kill("SIGKILL");
    const results = await runTogether(3, { ...config, requests: 30, redisUrl: fx.redis.url, lease }, app.privateKeyPem);
    expect(all200(results, 30)).toBe(true);
    expect(mints()).toHaveLength(1); // after the lease, one of the three minted and the others took its token
  });
});
