// (e) What one request holds while it waits: heap after a full GC, divided by the requests, with N
// requests at once over K installations through one strategy, against a stub fetch (no sockets, so only
// the clients' own state counts). "waiting": every request queued behind its installation's mint, held
// open; "in flight": every token cached, every fetch the client makes held open (ours makes
// maxConcurrency of them at once; the rest wait for a slot). One contender per process
// (argv: contender, --quick); run with --expose-gc. Prints { waitingBytes, inFlightBytes }.
import { checkInstallations, installationCall } from "./app-contenders.mjs";

const contender = process.argv[2];
const [n, k] = process.argv.includes("--quick") ? [200, 5] : [10000, 100];
const gc = globalThis.gc;
if (typeof gc !== "function") throw new Error("held.mjs: run with --expose-gc");

const deferred = () => {
  let resolve;
  const promise = new Promise((r) => (resolve = r));
  return { promise, resolve };
};
const holdMints = deferred();
let holdCalls;
const expires = () => new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
const json = (status, body) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
// The stub: mints wait for holdMints, other requests for holdCalls (when set); answers name the installation.
globalThis.fetch = async (input, init) => {
  const url = typeof input === "string" ? input : input.url;
  const mint = /\/app\/installations\/(\d+)\/access_tokens$/.exec(url);
  if (mint) {
    await holdMints.promise;
    return json(201, { token: `ghs_held${mint[1].padStart(6, "0")}`, expires_at: expires() });
  }
  if (holdCalls) await holdCalls.promise;
  const headers = init?.headers ?? input.headers;
  const authorization = typeof headers.get === "function" ? headers.get("authorization") : headers.authorization;
  return json(200, { id: Number(/ghs_held(\d+)/.exec(authorization)?.[1]) });
};

const call = installationCall(contender, "https://ghes.example.com/api/v3", k);

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));
/** Heap held per request while `n` calls wait, then releases them and checks every answer. */
async function held(release) {
  gc();
  const before = process.memoryUsage().heapUsed;
  const all = Promise.all(Array.from({ length: n }, (_, i) => call(i)));
  await settle();
  gc();
  const bytes = (process.memoryUsage().heapUsed - before) / n;
  release();
  checkInstallations(contender, await all, k);
  return Math.round(bytes);
}

const waitingBytes = await held(() => holdMints.resolve());
holdCalls = deferred();
const inFlightBytes = await held(() => holdCalls.resolve());
process.stdout.write(JSON.stringify({ waitingBytes, inFlightBytes }));
