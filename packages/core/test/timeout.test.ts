// Timeouts and aborts end the whole call, whatever it waits on, with an error naming the operation.
import { getEventListeners } from "node:events";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createEraClient, DEFAULT_TIMEOUT, GhesRequestError, GhesSdkError } from "../src/index.js";
import { def, json, looseClient, serve, type Server } from "./support/server.js";

let server: Server;
afterEach(async () => {
  vi.useRealTimers();
  await server?.close();
});

const hung = () => serve(() => undefined);
const client = (extra: object = {}) => looseClient(def, { baseUrl: server.baseUrl, ...extra });
const settle = (p: Promise<unknown>) => p.then(() => "resolved", (e: unknown) => e);

/**
 * Aborts and checks the call settled before the event loop's next turn: it waited on no timer and no
 * I/O after the abort, so it returns within 50 ms however loaded the machine is.
 */
async function abortAndCheckSettledAtOnce(controller: AbortController, pending: Promise<unknown>) {
  let settledAt: number | undefined;
  void pending.then(() => (settledAt = performance.now()));
  const aborted = performance.now();
  controller.abort();
  await new Promise((r) => setImmediate(r));
  expect(settledAt).toBeDefined();
  expect(settledAt! - aborted).toBeLessThan(50);
  return pending;
}

it("ends a call to a hung server at the default timeout (30 s), not after undici's 300 s", async () => {
  expect(DEFAULT_TIMEOUT).toBe(30_000);
  server = await hung();
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
  let outcome: unknown;
  void settle(client().GET("/app")).then((o) => (outcome = o));
  while (server.requests.length === 0) await new Promise((r) => setImmediate(r));
  await vi.advanceTimersByTimeAsync(DEFAULT_TIMEOUT - 1);
  expect(outcome).toBeUndefined();
  await vi.advanceTimersByTimeAsync(1);
  await vi.waitFor(() => expect(outcome).toBeInstanceOf(GhesRequestError));
  expect(outcome).toMatchObject({ code: "TIMEOUT", status: 0, operationId: "apps/get-authenticated" });
  expect((outcome as Error).message).toBe(`@ghes-sdk/test-era: GET ${server.baseUrl}/app (apps/get-authenticated) timed out after 30000 ms`);
});

it("uses the client's timeout", async () => {
  server = await hung();
  const started = Date.now();
  const e = (await settle(client({ timeout: 150 }).GET("/app"))) as GhesRequestError;
  expect(e.code).toBe("TIMEOUT");
  expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  expect(Date.now() - started).toBeLessThan(2000);
});

it("lets a request override the client's timeout", async () => {
  server = await hung();
  const started = Date.now();
  const e = (await settle(client({ timeout: 10_000 }).GET("/app", { timeout: 150 }))) as GhesRequestError;
  expect(e.code).toBe("TIMEOUT");
  expect(e.message).toMatch(/timed out after 150 ms$/);
  expect(Date.now() - started).toBeLessThan(2000);
});

it("ends calls that share a deadline group each at its own timeout, in the order they started", async () => {
  server = await hung();
  // 2 s: calls started within 100 ms of each other share one group (and one timer).
  const c = client({ timeout: 2000 });
  const ended: number[] = [];
  const startA = performance.now();
  const a = settle(c.GET("/app")).then((e) => (ended[0] = performance.now() - startA, e));
  // 50 ms later, waited for without yielding so that a loaded machine cannot stretch it past the window.
  while (performance.now() - startA < 50);
  const startB = performance.now();
  const b = settle(c.GET("/app")).then((e) => (ended[1] = performance.now() - startB, e));
  const [ea, eb] = await Promise.all([a, b]);
  expect(ea).toMatchObject({ code: "TIMEOUT" });
  expect(eb).toMatchObject({ code: "TIMEOUT" });
  // Each at its own 2 s (timers may fire a little late, never early), not B at A's time.
  expect(ended[0]).toBeGreaterThanOrEqual(1990);
  expect(ended[1]).toBeGreaterThanOrEqual(1990);
  expect(ended[0]).toBeLessThan(3000);
  expect(ended[1]).toBeLessThan(3000);
});

it("times out while the body is still arriving", async () => {
  server = await serve((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.write('{"id":');
  });
  const e = (await settle(client({ timeout: 200 }).GET("/app"))) as GhesRequestError;
  expect(e.code).toBe("TIMEOUT");
});

it("returns the error at once instead of waiting past the timeout for a retry", async () => {
  server = await serve((_req, res) => json(res, 503, { message: "unavailable" }, { "retry-after": "5" }));
  const started = Date.now();
  // Waiting would end in a TIMEOUT error after 2 s; the 503 comes back instead, well before.
  const { response } = await client({ timeout: 2000 }).GET("/app");
  expect(response.status).toBe(503);
  expect(Date.now() - started).toBeLessThan(1500);
});

describe("the caller's AbortSignal", () => {
  it("ends a call to a hung server within 50 ms of the abort", async () => {
    server = await hung();
    const controller = new AbortController();
    const pending = settle(client().GET("/app", { signal: controller.signal }));
    while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    const e = (await abortAndCheckSettledAtOnce(controller, pending)) as GhesRequestError;
    expect(e).toMatchObject({ code: "ABORTED", status: 0, operationId: "apps/get-authenticated" });
  });

  it("ends the call even when a middleware waits on something that ignores the signal", async () => {
    server = await hung();
    const stuck = { onRequest: () => new Promise<undefined>(() => undefined) };
    const controller = new AbortController();
    const pending = settle(client({ auth: stuck }).GET("/app", { signal: controller.signal }));
    await new Promise((r) => setTimeout(r, 30));
    expect(await abortAndCheckSettledAtOnce(controller, pending)).toMatchObject({ code: "ABORTED" });
    expect(server.requests).toHaveLength(0);
  });

  it("hands the call's signal to middleware, so auth can end its own waits", async () => {
    server = await hung();
    let seen: AbortSignal | undefined;
    const spy = { onRequest: ({ request }: { request: Request }) => void (seen = request.signal) };
    const controller = new AbortController();
    const pending = settle(client({ auth: spy }).GET("/app", { signal: controller.signal }));
    while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    await pending;
    expect(seen?.aborted).toBe(true);
  });

  it("aborts the request's signal for a middleware waiting on it, with the caller's reason", async () => {
    server = await hung();
    const heard: unknown[] = [];
    const waiting = {
      onRequest: ({ request }: { request: Request }) => {
        expect(request.signal.aborted).toBe(false);
        request.signal.addEventListener("abort", () => heard.push(request.signal.reason));
        return new Promise<undefined>(() => undefined);
      },
    };
    const controller = new AbortController();
    const pending = settle(client({ auth: waiting }).GET("/app", { signal: controller.signal }));
    await Promise.resolve();
    expect(heard).toEqual([]);
    controller.abort(new Error("caller left"));
    expect(heard).toHaveLength(1);
    expect((heard[0] as Error).message).toBe("caller left");
    expect(await pending).toMatchObject({ code: "ABORTED" });
  });

  it("gives the request's signal a TimeoutError when the call's deadline passes", async () => {
    server = await hung();
    const heard: unknown[] = [];
    const waiting = {
      onRequest: ({ request }: { request: Request }) => {
        request.signal.addEventListener("abort", () => heard.push(request.signal.reason));
        return new Promise<undefined>(() => undefined);
      },
    };
    expect(await settle(client({ auth: waiting, timeout: 100 }).GET("/app"))).toMatchObject({ code: "TIMEOUT" });
    expect(heard).toHaveLength(1);
    expect(heard[0]).toMatchObject({ name: "TimeoutError" });
  });

  it("lets go of a long-lived signal once each call ends: answered, timed out or failed", async () => {
    server = await serve((req, res) => (req.url?.endsWith("/app") ? json(res, 200, { id: 1 }) : req.url?.endsWith("/slow") ? undefined : json(res, 500, {})));
    const controller = new AbortController();
    const gh = client({ retry: { limit: 0 } });
    await gh.GET("/app", { signal: controller.signal });
    expect(await settle(gh.GET("/slow", { signal: controller.signal, timeout: 100 }))).toMatchObject({ code: "TIMEOUT" });
    expect((await gh.GET("/broken", { signal: controller.signal })).response.status).toBe(500);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("sends nothing when the signal has already fired", async () => {
    server = await hung();
    const e = await settle(client().GET("/app", { signal: AbortSignal.abort() }));
    expect(e).toMatchObject({ code: "ABORTED" });
    expect(server.requests).toHaveLength(0);
  });
});

it.each([0, -1, Number.NaN, "30s", 2 ** 31])("refuses a timeout of %s, naming the option", (timeout) => {
  expect(() => looseClient(def, { baseUrl: "https://h", timeout: timeout as number })).toThrow(GhesSdkError);
  expect(() => looseClient(def, { baseUrl: "https://h", timeout: timeout as number })).toThrow(/options\.timeout must be/);
});
