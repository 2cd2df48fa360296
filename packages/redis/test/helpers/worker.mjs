// One process of a GitHub App, for processes.test.ts and the bench: `requests` requests spread over the
// installations, through one installationAuth per installation, sharing tokens through Redis when given
// a URL. With `batch`, the requests go `batch` at a time and the installations in turn (the first
// requests to the first installations), so installations are still being reached for the first time late
// in the run. With `concurrency`, at most that many requests are in flight (installations spread as
// without it). With `pauseAt` (batch mode), it prints "paused" once that many requests are done and
// waits for another "go" (so a test can stop Redis at a known point). Prints "ready" once set up, starts on a "go" line (so several start together), then prints one
// JSON line: { statuses: { "200": n, … }, ms, warnings }. With HOLD_MINT=1 its first mint never leaves:
// it prints "minting" and waits (to be killed while it holds the mint lock).
import { installationAuth } from "@ghes-sdk/auth";
import { createClient } from "@ghes-sdk/ghes-2022-11-28";
import { redisCache } from "@ghes-sdk/redis";
import { createInterface } from "node:readline";

const { baseUrl, appId, installations, requests, redisUrl, lease, timeout, batch, concurrency, pauseAt } = JSON.parse(process.argv[2]);
const privateKey = process.env.APP_PRIVATE_KEY;
const warnings = [];
const cache = redisUrl ? redisCache({ url: redisUrl, ...(lease ? { lease } : {}), ...(timeout ? { timeout } : {}), onWarning: (m) => warnings.push(m) }) : undefined;
const fetch = (request) => {
  if (process.env.HOLD_MINT === "1" && request.url.endsWith("/access_tokens")) {
    process.stdout.write("minting\n");
    return new Promise(() => undefined);
  }
  return globalThis.fetch(request);
};
const clients = installations.map((installationId) =>
  createClient({ baseUrl, fetch, auth: installationAuth({ appId, privateKey, installationId, ...(cache ? { cache } : {}) }) }),
);

const lines = createInterface({ input: process.stdin });
let gos = 0;
let wake = () => undefined;
lines.on("line", (line) => {
  if (line === "go") gos++;
  wake();
});
/** Resolves on the next "go" line (one already received counts). */
const go = async () => {
  while (gos === 0) await new Promise((resolve) => (wake = resolve));
  gos--;
};
process.stdout.write("ready\n");
await go();

const t0 = performance.now();
const statuses = {};
const send = async (client) => {
  const status = await client.GET("/installation/repositories").then(
    ({ response }) => String(response.status),
    (error) => `${error.code ?? "error"}`,
  );
  statuses[status] = (statuses[status] ?? 0) + 1;
};
if (batch) {
  for (let i = 0; i < requests; i += batch) {
    const upTo = Math.min(i + batch, requests);
    await Promise.all(Array.from({ length: upTo - i }, (_, j) => send(clients[Math.floor(((i + j) * clients.length) / requests)])));
    if (pauseAt && i < pauseAt && upTo >= pauseAt) {
      process.stdout.write("paused\n");
      await go();
    }
  }
} else if (concurrency) {
  let next = 0;
  const runner = async () => {
    while (next < requests) await send(clients[next++ % clients.length]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, runner));
} else {
  await Promise.all(Array.from({ length: requests }, (_, i) => send(clients[i % clients.length])));
}
const ms = performance.now() - t0;
process.stdout.write(`${JSON.stringify({ statuses, ms, warnings })}\n`);
lines.close();
await cache?.close();
