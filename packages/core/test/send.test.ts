// The client's own request path: openapi-fetch's API and middleware contract without a Request unless
// something needs one, headers behind the Headers API, and the deadline shared by calls started together.
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import type { Middleware } from "openapi-fetch";
import { afterEach, describe, expect, it } from "vitest";
import { GhesSdkError } from "../src/index.js";
import { def, json, looseClient, serve, type Server } from "./support/server.js";

let server: Server | undefined;
let closeHung: (() => Promise<void>) | undefined;
afterEach(async () => {
  await server?.close();
  await closeHung?.();
  server = undefined;
  closeHung = undefined;
});

const ok = () => serve((_req, res) => json(res, 200, { ok: true }));

describe("middleware", () => {
  it("keeps auth innermost: use()'s onRequest runs before it (no credential yet), its onResponse after it (the final answer)", async () => {
    let first = true;
    server = await serve((req, res) => {
      if (first) {
        first = false;
        return json(res, 401, { message: "Bad credentials" });
      }
      json(res, 200, { auth: req.headers.authorization });
    });
    const seen: unknown[] = [];
    const logging: Middleware = {
      onRequest: ({ request }) => void seen.push(["log out", request.headers.get("authorization")]),
      onResponse: ({ response }) => void seen.push(["log back", response.status]),
    };
    // An auth that answers a 401 by sending again with a new credential, as installationAuth does.
    const auth: Middleware = {
      onRequest: ({ request }) => void (seen.push(["auth out"]), request.headers.set("authorization", "token one")),
      onResponse: async ({ request, response, options }) => {
        seen.push(["auth back", response.status]);
        if (response.status !== 401) return undefined;
        const again = new Request(request, { headers: { ...Object.fromEntries(request.headers), authorization: "token two" } });
        return options.fetch(again);
      },
    };
    const client = looseClient(def, { baseUrl: server.baseUrl, auth });
    (client as unknown as { use(m: Middleware): void }).use(logging);
    const { data } = await client.GET("/app");
    expect(data).toEqual({ auth: "token two" });
    expect(seen).toEqual([["log out", null], ["auth out"], ["auth back", 401], ["log back", 200]]);
  });

  it("gives a custom fetch a real Request", async () => {
    server = await ok();
    const kinds: boolean[] = [];
    const client = looseClient(def, {
      baseUrl: server.baseUrl,
      fetch: (request: Request) => {
        kinds.push(request instanceof Request);
        return fetch(request);
      },
    });
    const { data } = await client.POST("/app/installations/{installation_id}/access_tokens", {
      params: { path: { installation_id: 1 } },
      body: { repositories: ["a"] },
    });
    expect(data).toEqual({ ok: true });
    expect(kinds).toEqual([true]);
  });

  it("lets onRequest answer with a Response (no request sent), onError recover and onResponse replace", async () => {
    server = await ok();
    const client = looseClient(def, { baseUrl: server.baseUrl }) as ReturnType<typeof looseClient> & { use(m: Middleware): void; eject(m: Middleware): void };
    const answer: Middleware = { onRequest: () => Response.json({ answered: true }) };
    client.use(answer);
    expect((await client.GET("/app")).data).toEqual({ answered: true });
    expect(server.requests).toHaveLength(0);
    client.eject(answer);

    const replace: Middleware = { onResponse: () => Response.json({ replaced: true }) };
    client.use(replace);
    expect((await client.GET("/app")).data).toEqual({ replaced: true });
    expect(server.requests).toHaveLength(1);
    client.eject(replace);

    const dead = looseClient(def, { baseUrl: "http://127.0.0.1:9/api/v3" }) as typeof client;
    dead.use({ onError: () => Response.json({ recovered: true }) } as Middleware);
    expect((await dead.GET("/app")).data).toEqual({ recovered: true });
  });

  it("runs per-call middleware after the client's", async () => {
    server = await ok();
    const order: string[] = [];
    const client = looseClient(def, { baseUrl: server.baseUrl }) as ReturnType<typeof looseClient> & { use(m: Middleware): void };
    client.use({ onRequest: () => void order.push("client") });
    await client.GET("/app", { middleware: [{ onRequest: () => void order.push("call") }] });
    expect(order).toEqual(["client", "call"]);
  });

  it("refuses a hook answer that is neither a Request nor a Response", async () => {
    server = await ok();
    const client = looseClient(def, { baseUrl: server.baseUrl }) as ReturnType<typeof looseClient> & { use(m: Middleware): void };
    client.use({ onRequest: () => ({ url: "x" }) as never });
    await expect(client.GET("/app")).rejects.toThrow("onRequest: must return new Request() or Response()");
  });
});

describe("request building", () => {
  it("sends header names that are also Object.prototype's property names, and only those set", async () => {
    server = await ok();
    const seen: unknown[] = [];
    const light = {
      onRequest: ({ request }: { request: Request }) => {
        seen.push(request.headers.has("constructor"), request.headers.get("tostring"));
        return undefined;
      },
    } as unknown as Middleware;
    const client = looseClient(def, { baseUrl: server.baseUrl, auth: light });
    await client.GET("/app");
    await client.GET("/app", { headers: { constructor: "c", toString: "t", __proto__: "p" } as never });
    expect(seen).toEqual([false, null, true, "t"]);
    expect(server.requests[1]!.headers).toMatchObject({ constructor: "c", tostring: "t" });
  });

  it("serializes the query as openapi-fetch does: arrays repeated, objects as name[key], nulls left out", async () => {
    server = await ok();
    const client = looseClient(def, { baseUrl: server.baseUrl });
    await client.GET("/app", { params: { query: { per_page: 100, a: ["x y", "z"], o: { k: "v" }, none: null, u: undefined } } });
    expect(server.requests[0]!.url).toBe("/api/v3/app?per_page=100&a=x%20y&a=z&o[k]=v");
    await client.GET("/app", { params: { query: { a: 1 } }, querySerializer: (q: Record<string, unknown>) => `custom=${Object.keys(q).join()}` });
    expect(server.requests[1]!.url).toBe("/api/v3/app?custom=a");
    // openapi-fetch's querySerializer options are honoured too.
    await client.GET("/app", { params: { query: { a: ["x", "y"] } }, querySerializer: { array: { style: "form", explode: false } } });
    expect(server.requests[2]!.url).toBe("/api/v3/app?a=x,y");
  });

  it("sends a JSON body with its content type, and a form-encoded one when the caller says so", async () => {
    const bodies: string[] = [];
    server = await serve((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        bodies.push(`${req.headers["content-type"]} ${body}`);
        json(res, 200, {});
      });
    });
    const client = looseClient(def, { baseUrl: server.baseUrl });
    await client.PATCH("/app/hook/config", { body: { url: "https://x" } });
    await client.PATCH("/app/hook/config", { body: { a: "1 2" }, headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(bodies).toEqual(['application/json {"url":"https://x"}', "application/x-www-form-urlencoded a=1+2"]);
  });
});

describe("the shared deadline", () => {
  it("ends each of 800 concurrent calls to a hung server at its timeout, without a listener-leak warning", async () => {
    // Calls share deadlines (at most 32 a signal): many at once must each still end as their own.
    const hung = createServer(() => undefined);
    await new Promise<void>((resolve) => hung.listen({ port: 0, host: "127.0.0.1", backlog: 4096 }, resolve));
    const baseUrl = `http://127.0.0.1:${(hung.address() as AddressInfo).port}/api/v3`;
    closeHung = () => new Promise<void>((resolve) => {
      hung.closeAllConnections();
      hung.close(() => resolve());
    });
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on("warning", onWarning);
    try {
      const client = looseClient(def, { baseUrl, timeout: 400, retry: false });
      const outcomes = await Promise.all(
        Array.from({ length: 800 }, () => {
          const started = performance.now();
          return client.GET("/app").then(
            () => ["answered", 0],
            (e: { code?: string }) => [e.code, performance.now() - started],
          );
        }),
      );
      expect(new Set(outcomes.map(([code]) => code))).toEqual(new Set(["TIMEOUT"]));
      expect(Math.min(...outcomes.map(([, took]) => took as number))).toBeGreaterThanOrEqual(399);
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings.filter((w) => /listener/i.test(w))).toEqual([]);
  }, 20_000);

  it("ends a call at its own timeout, not before and not a shared window after, and releases the connection within the window", async () => {
    const closed: number[] = [];
    server = await serve((req) => req.socket.once("close", () => closed.push(performance.now())));
    // 10 s: the shared window is 500 ms, wide enough to tell the call's own timer from the shared signal.
    const client = looseClient(def, { baseUrl: server.baseUrl, timeout: 10_000, retry: false });
    const started = performance.now();
    const error = await client.GET("/app").catch((e: { code?: string }) => e);
    const took = performance.now() - started;
    expect(error).toMatchObject({ code: "TIMEOUT" });
    expect(took).toBeGreaterThanOrEqual(9_999);
    expect(took).toBeLessThan(10_000 + 250);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(closed).toHaveLength(1);
    expect(closed[0]! - started).toBeLessThan(10_000 + 500 + 250);
  }, 30_000);

  it("sends no request for a call that ended while a middleware waited", async () => {
    server = await ok();
    let release = () => {};
    const slow = {
      onRequest: () => new Promise<undefined>((resolve) => (release = () => resolve(undefined))),
    } as unknown as Middleware;
    const client = looseClient(def, { baseUrl: server.baseUrl, timeout: 4_000, auth: slow });
    await expect(client.GET("/app")).rejects.toMatchObject({ code: "TIMEOUT" });
    release();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(server.requests).toHaveLength(0);
  }, 20_000);

  it("does not keep the process alive after the last call ended (no timer left referenced)", async () => {
    server = await ok();
    const client = fileURLToPath(new URL("../dist/index.js", import.meta.url));
    const script = `
      const { createEraClient } = await import(${JSON.stringify(client)});
      const github = createEraClient({ name: "ghes-3.x", packageName: "x", version: "1", defaultHeaders: {}, operations: {} }, { baseUrl: ${JSON.stringify(server.baseUrl)} });
      const { data } = await github.GET("/app");
      console.log(JSON.stringify(data));`;
    const started = performance.now();
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
      let text = "";
      child.stdout.on("data", (c) => (text += c));
      child.on("exit", (code) => (code === 0 ? resolve(text) : reject(new Error(`exit ${code}`))));
    });
    expect(out.trim()).toBe('{"ok":true}');
    // The default timeout is 30 s: a referenced deadline timer would hold the child that long.
    expect(performance.now() - started).toBeLessThan(10_000);
  }, 40_000);
});
