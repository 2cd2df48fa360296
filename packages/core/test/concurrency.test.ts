// maxConcurrency: at most N requests of a client on the wire at once (default 100, GHES's secondary rate
// limit on concurrent requests); the rest wait for a slot, in order, within their own timeout.
import type { ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_MAX_CONCURRENCY, GhesSdkError } from "../src/index.js";
import { def, json, looseClient, serve, type Server } from "./support/server.js";

let server: Server;
afterEach(async () => {
  await server?.close();
});

/** A server that holds every request until released, and records the most it held at once. */
async function holding() {
  const held: ServerResponse[] = [];
  let most = 0;
  server = await serve((_req, res) => {
    held.push(res);
    most = Math.max(most, held.length);
  });
  return {
    get held() {
      return held.length;
    },
    get most() {
      return most;
    },
    /** Answers every request held now. */
    releaseAll() {
      for (const res of held.splice(0)) json(res, 200, { id: 1 });
    },
  };
}

/** Waits until `check()` holds (event order: the test's own timeout is the only bound). */
const until = async (check: () => boolean) => {
  while (!check()) await new Promise((r) => setTimeout(r, 5));
};
const settle = (p: Promise<unknown>) => p.then(() => "resolved", (e: unknown) => e);

describe("maxConcurrency", () => {
  it("defaults to 100: 150 calls at once put 100 on the wire, then the rest as slots free", async () => {
    expect(DEFAULT_MAX_CONCURRENCY).toBe(100);
    const s = await holding();
    const gh = looseClient(def, { baseUrl: server.baseUrl });
    const calls = Array.from({ length: 150 }, () => gh.GET("/app"));
    await until(() => s.held === 100);
    await new Promise((r) => setTimeout(r, 50));
    expect(s.held).toBe(100);
    s.releaseAll();
    await until(() => s.held === 50);
    s.releaseAll();
    const results = await Promise.all(calls);
    expect(results.every((r) => r.response.status === 200)).toBe(true);
    expect(s.most).toBe(100);
    expect(server.requests).toHaveLength(150);
  }, 60_000);

  it("sends the waiting calls in the order they were made", async () => {
    const s = await holding();
    const gh = looseClient(def, { baseUrl: server.baseUrl, maxConcurrency: 1 });
    const ids = [11, 12, 13, 14];
    const calls = ids.map((id) => gh.DELETE("/app/installations/{installation_id}", { params: { path: { installation_id: id } } }));
    for (let n = 1; n <= ids.length; n++) {
      await until(() => s.held === 1 && server.requests.length === n);
      expect(s.held).toBe(1);
      s.releaseAll();
    }
    await Promise.all(calls);
    expect(server.requests.map((r) => r.url.split("/").pop())).toEqual(ids.map(String));
  });

  it("a call that times out while it waits for a slot ends with TIMEOUT and is never handed to fetch", async () => {
    const s = await holding();
    let fetched = 0;
    const fetch = (request: Request) => (fetched++, globalThis.fetch(request));
    const gh = looseClient(def, { baseUrl: server.baseUrl, maxConcurrency: 1, fetch });
    const first = settle(gh.GET("/app", { timeout: 2000 }));
    await until(() => s.held === 1);
    const waiting = await settle(gh.GET("/app", { timeout: 100 }));
    expect(waiting).toMatchObject({ code: "TIMEOUT" });
    s.releaseAll();
    expect(await first).toBe("resolved");
    await new Promise((r) => setTimeout(r, 50));
    expect(fetched).toBe(1);
    expect(server.requests).toHaveLength(1);
  });

  it("gives the slot back when a call ends, even if its fetch ignores the signal", async () => {
    server = await serve((_req, res) => json(res, 200, { id: 1 }));
    let calls = 0;
    // A custom fetch whose first request never settles and ignores the abort.
    const fetch = (request: Request) => (calls++ === 0 ? new Promise<Response>(() => undefined) : globalThis.fetch(request));
    const gh = looseClient(def, { baseUrl: server.baseUrl, maxConcurrency: 1, fetch });
    expect(await settle(gh.GET("/app", { timeout: 100 }))).toMatchObject({ code: "TIMEOUT" });
    const { response } = await gh.GET("/app", { timeout: 2000 });
    expect(response.status).toBe(200);
  });

  it("holds no slot while a middleware waits (a mint), so those calls cannot starve the others", async () => {
    server = await serve((_req, res) => json(res, 200, { id: 1 }));
    let release!: () => void;
    const mint = new Promise<void>((resolve) => (release = resolve));
    const auth = {
      onRequest: ({ request }: { request: Request }) => (request.url.endsWith("/app") ? mint.then(() => undefined) : undefined),
    };
    const gh = looseClient(def, { baseUrl: server.baseUrl, maxConcurrency: 2, auth: auth as never });
    const waiting = [gh.GET("/app"), gh.GET("/app"), gh.GET("/app")];
    const other = await gh.PATCH("/app/hook/config", { body: {} });
    expect(other.response.status).toBe(200);
    release();
    expect((await Promise.all(waiting)).map((r) => r.response.status)).toEqual([200, 200, 200]);
  });

  it("holds no slot between retries or while a body is read", async () => {
    let bodyEnd!: () => void;
    let firstApp = true;
    server = await serve((req, res) => {
      if (req.url?.endsWith("/app") && req.method === "GET" && firstApp) {
        firstApp = false;
        return json(res, 503, { message: "busy" }, { "retry-after": "1" });
      }
      if (req.url?.endsWith("/app") && req.method === "GET") return json(res, 200, { id: 1 });
      if (req.url?.endsWith("/app/installations/7")) {
        res.writeHead(200, { "content-type": "application/json" });
        res.write('{"id":');
        bodyEnd = () => res.end("7}");
        return;
      }
      json(res, 200, { id: 2 });
    });
    const gh = looseClient(def, { baseUrl: server.baseUrl, maxConcurrency: 1 });
    const order: string[] = [];
    // Waits a second before its retry: meanwhile the other call goes out and is answered.
    const retried = gh.GET("/app").then(() => order.push("retried"));
    await until(() => server.requests.length === 1);
    await gh.PATCH("/app/hook/config", { body: {} }).then(() => order.push("during the retry's wait"));
    await retried;
    expect(order).toEqual(["during the retry's wait", "retried"]);
    // Its body still arriving: the next call is sent and answered meanwhile.
    const slowBody = gh.DELETE("/app/installations/{installation_id}", { params: { path: { installation_id: 7 } }, parseAs: "json" } as never);
    await until(() => bodyEnd !== undefined);
    expect((await gh.PATCH("/app/hook/config", { body: {} })).response.status).toBe(200);
    bodyEnd();
    expect(((await slowBody) as { data: unknown }).data).toEqual({ id: 7 });
  });

  it("Infinity puts every call on the wire at once", async () => {
    const s = await holding();
    const gh = looseClient(def, { baseUrl: server.baseUrl, maxConcurrency: Number.POSITIVE_INFINITY });
    const calls = Array.from({ length: 120 }, () => gh.GET("/app"));
    await until(() => s.held === 120);
    expect(s.held).toBe(120);
    s.releaseAll();
    await Promise.all(calls);
  });

  it.each([0, -1, 1.5, "10", Number.NaN])("refuses maxConcurrency %s, naming the option", (value) => {
    expect(() => looseClient(def, { baseUrl: "https://h", maxConcurrency: value as number })).toThrow(GhesSdkError);
    expect(() => looseClient(def, { baseUrl: "https://h", maxConcurrency: value as number })).toThrow(/options\.maxConcurrency must be/);
  });
});
