// (h) One App, several processes, installation tokens shared through Redis (@ghes-sdk/redis) against the
// emulator, each process a worker of packages/redis/test/helpers/worker.mjs (started together: each says
// "ready", then all get "go"; each keeps CONCURRENCY requests in flight, the installations spread so that
// every one is asked for by every process at the start). Needs redis-server (Debian package). Prints one JSON object:
// mints with each process's own cache and with Redis, a dump check, Redis stopped halfway, a minter killed
// holding its lock, and one process's time with redisCache against the in-memory cache (rounds
// interleaved, each contender a fresh process and fresh installations, so every round mints).
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { startEmulator } from "@ghes-sdk/emulator";
import { createClient } from "redis";
import { median } from "./stats.mjs";

const quick = process.argv.includes("--quick");
const PROCESSES = 4;
const REQUESTS = quick ? 100 : 2_500;
const INSTALLATIONS = quick ? 5 : 100;
const ROUNDS = quick ? 1 : 3;
const LEASE = 2_000;
const CONCURRENCY = 10;
const worker = fileURLToPath(new URL("../../packages/redis/test/helpers/worker.mjs", import.meta.url));

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

const port = await freePort();
const dir = mkdtempSync(join(tmpdir(), "ghes-sdk-bench-redis-"));
let redisProcess;
const startRedis = () =>
  new Promise((resolve, reject) => {
    redisProcess = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no"], {
      stdio: ["ignore", "pipe", "ignore"],
    });
    let out = "";
    redisProcess.stdout.on("data", (chunk) => {
      out += chunk;
      if (out.includes("Ready to accept connections")) resolve();
    });
    redisProcess.once("error", reject);
  });
const stopRedis = () =>
  new Promise((resolve) => {
    redisProcess.once("exit", resolve);
    redisProcess.kill("SIGKILL");
  });
await startRedis();
const redisUrl = `redis://127.0.0.1:${port}`;
const inspect = createClient({ url: redisUrl, disableOfflineQueue: true });
inspect.on("error", () => undefined);
await inspect.connect();
const ghes = await startEmulator({ era: "ghes-2022-11-28" });

const appWith = (k) => {
  const app = ghes.state.createApp({ name: `bench-${ghes.state.apps.size + 1}` });
  const installations = Array.from({ length: k }, () => ghes.state.createInstallation({ appId: app.id, account: "octo-org" }).id);
  const mints = () => [...ghes.state.tokens.values()].filter((t) => t.kind === "installation" && installations.includes(t.installationId));
  return { app, mints, config: { baseUrl: ghes.baseUrl, appId: app.id, installations, timeout: 30_000, concurrency: CONCURRENCY } };
};

function startWorker(config, privateKey, holdMint = false) {
  const child = spawn(process.execPath, [worker, JSON.stringify(config)], {
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, APP_PRIVATE_KEY: privateKey, HOLD_MINT: holdMint ? "1" : "0" },
  });
  const seen = new Map();
  let json;
  createInterface({ input: child.stdout }).on("line", (line) => {
    if (line.startsWith("{")) json = JSON.parse(line);
    seen.get(line)?.();
    seen.set(line, true);
  });
  const said = (line) => (seen.get(line) === true ? Promise.resolve() : new Promise((resolve) => seen.set(line, resolve)));
  const result = new Promise((resolve, reject) =>
    child.once("close", (code) => (json && code === 0 ? resolve(json) : reject(new Error(`bench: worker exited with ${code}`)))),
  );
  result.catch(() => undefined);
  return { child, said, go: () => child.stdin.write("go\n"), result };
}

async function together(n, config, privateKey, meanwhile, whenPaused) {
  const workers = Array.from({ length: n }, () => startWorker(config, privateKey));
  await Promise.all(workers.map((w) => w.said("ready")));
  const t0 = performance.now();
  for (const w of workers) w.go();
  await meanwhile?.();
  if (config.pauseAt !== undefined) {
    await Promise.all(workers.map((w) => w.said("paused")));
    await whenPaused();
    for (const w of workers) w.go();
  }
  const results = await Promise.all(workers.map((w) => w.result));
  return { results, ms: performance.now() - t0 };
}
const count = (results) => {
  const statuses = {};
  for (const r of results) for (const [s, n] of Object.entries(r.statuses)) statuses[s] = (statuses[s] ?? 0) + n;
  return statuses;
};
const until = async (check) => {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 5));
};

// Mints: each process's own cache, then Redis (with a dump taken while the processes run).
const alone = appWith(INSTALLATIONS);
const own = await together(PROCESSES, { ...alone.config, requests: REQUESTS }, alone.app.privateKeyPem);
const sharedApp = appWith(INSTALLATIONS);
let dumpKeys = 0;
const shared = await together(PROCESSES, { ...sharedApp.config, requests: REQUESTS, redisUrl }, sharedApp.app.privateKeyPem, async () => {
  await until(async () => (await inspect.keys("ghes-sdk:installation-token:*")).length >= Math.min(5, INSTALLATIONS));
  dumpKeys = (await inspect.keys("ghes-sdk:installation-token:*")).length;
  await inspect.sendCommand(["SAVE"]);
});
const dump = readFileSync(join(dir, "dump.rdb"));
const plainInDump = sharedApp.mints().filter((t) => dump.includes(t.token) || dump.includes(t.token.slice(4))).length;

// Redis stopped halfway (every process pauses after half its requests); the installations in turn.
const outageApp = appWith(INSTALLATIONS);
const outageConfig = { ...outageApp.config, concurrency: undefined, requests: REQUESTS, redisUrl, batch: CONCURRENCY, pauseAt: REQUESTS / 2 };
const outage = await together(PROCESSES, outageConfig, outageApp.app.privateKeyPem, undefined, stopRedis);
await startRedis();
await until(() => inspect.isReady);

// A minter killed while it holds the lock: three processes, ready beforehand, start right after the kill;
// how long they take, against what was left of the lease and against the same three with no dead minter.
const baselineApp = appWith(1);
const baseline = await together(3, { ...baselineApp.config, requests: 10, redisUrl, lease: LEASE }, baselineApp.app.privateKeyPem);
const killedApp = appWith(1);
const killedConfig = { ...killedApp.config, requests: 10, redisUrl, lease: LEASE };
const waiting = Array.from({ length: 3 }, () => startWorker(killedConfig, killedApp.app.privateKeyPem));
const doomed = startWorker({ ...killedConfig, requests: 1 }, killedApp.app.privateKeyPem, true);
await Promise.all([...waiting, doomed].map((w) => w.said("ready")));
doomed.go();
await doomed.said("minting");
const [lock] = await inspect.keys("ghes-sdk:*:lock");
const leaseLeftMs = await inspect.pTTL(lock);
doomed.child.kill("SIGKILL");
const t0 = performance.now();
for (const w of waiting) w.go();
const waiters = await Promise.all(waiting.map((w) => w.result));
const killed = { lease: LEASE, leaseLeftMs, waitedMs: performance.now() - t0, baselineMs: baseline.ms, mints: killedApp.mints().length, statuses: count(waiters) };

// One process, the same workload: in-memory cache against redisCache, rounds interleaved.
const single = { memory: [], redis: [] };
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 ? ["redis", "memory"] : ["memory", "redis"];
  for (const name of order) {
    const app = appWith(INSTALLATIONS);
    const { results } = await together(1, { ...app.config, requests: REQUESTS, ...(name === "redis" ? { redisUrl } : {}) }, app.app.privateKeyPem);
    single[name].push(results[0].ms);
  }
}
const ratios = single.redis.map((ms, i) => ms / single.memory[i]);

inspect.destroy();
await ghes.close();
await stopRedis();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(
  JSON.stringify({
    processes: PROCESSES,
    requests: REQUESTS,
    installations: INSTALLATIONS,
    own: { mints: alone.mints().length, ms: own.ms, statuses: count(own.results) },
    shared: { mints: sharedApp.mints().length, ms: shared.ms, statuses: count(shared.results), dumpKeys, plainInDump, warnings: shared.results.flatMap((r) => r.warnings).length },
    outage: { mints: outageApp.mints().length, statuses: count(outage.results), warnings: outage.results.map((r) => r.warnings.length) },
    killed,
    single: { rounds: ROUNDS, memoryMs: single.memory, redisMs: single.redis, ratio: median(ratios), ratios },
  }),
);
