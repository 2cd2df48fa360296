// PREPARE: the client's first middleware (its auth) may have a call wait for something — a token being
// minted — before any onRequest runs. Advisory: the hooks then run as usual whatever it answered.
import { afterEach, describe, expect, it } from "vitest";
import type { Middleware } from "openapi-fetch";
import { createEraClient, LIGHT_REQUEST, PREPARE, type LightRequest } from "../src/index.js";
import { def, json, looseClient, serve, type Server } from "./support/server.js";

let server: Server;
afterEach(async () => {
  await server?.close();
});

const ok = () => serve((_req, res) => json(res, 200, { id: 1 }));
const settle = (p: Promise<unknown>) => p.then(() => "resolved", (e: unknown) => e);

/** An auth middleware whose PREPARE answers `ready`; records the order of what ran. */
function preparing(ready: () => unknown, log: string[], light = true) {
  return {
    ...(light ? { [LIGHT_REQUEST]: true } : {}),
    [PREPARE](request: LightRequest, schemaPath: string, options: { baseUrl: string }) {
      log.push(`prepare ${request.method} ${schemaPath} ${options.baseUrl === server.baseUrl}`);
      return ready();
    },
    onRequest() {
      log.push("onRequest");
      return undefined;
    },
  };
}

describe("PREPARE", () => {
  it("waits for the promise it answers before any onRequest, then runs the hooks and sends", async () => {
    server = await ok();
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const client = createEraClient<any>(def, { baseUrl: server.baseUrl, auth: preparing(() => gate, log) });
    client.use({ onRequest: () => void log.push("use onRequest") });
    const pending = client.GET("/app", {});
    await new Promise((r) => setTimeout(r, 50));
    expect(log).toEqual(["prepare GET /app true"]);
    expect(server.requests).toHaveLength(0);
    release();
    const { response } = await pending;
    expect(response.status).toBe(200);
    expect(log).toEqual(["prepare GET /app true", "onRequest", "use onRequest"]);
  });

  it("is advisory: a rejection or a throw still runs the hooks, which decide", async () => {
    server = await ok();
    for (const ready of [() => Promise.reject(new Error("mint failed")), () => { throw new Error("bad"); }]) {
      const log: string[] = [];
      const { response } = await looseClient(def, { baseUrl: server.baseUrl, auth: preparing(ready, log) }).GET("/app");
      expect(response.status).toBe(200);
      expect(log).toEqual(["prepare GET /app true", "onRequest"]);
    }
  });

  it("takes any thenable: its then is called once, and a call back twice, or a then that throws, still sends once", async () => {
    server = await ok();
    const twice = { then: (ready: () => void, failed: () => void) => setTimeout(() => (ready(), failed(), ready()), 10) };
    const throwing = {
      then() {
        throw new Error("broken thenable");
      },
    };
    for (const ready of [() => twice, () => throwing]) {
      const log: string[] = [];
      const { response } = await looseClient(def, { baseUrl: server.baseUrl, auth: preparing(ready, log) }).GET("/app");
      expect(response.status).toBe(200);
      await new Promise((r) => setTimeout(r, 30));
      expect(log).toEqual(["prepare GET /app true", "onRequest"]);
    }
    expect(server.requests).toHaveLength(2);
  });

  it("a call that ends while it waits runs no middleware and sends nothing", async () => {
    server = await ok();
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const client = looseClient(def, { baseUrl: server.baseUrl, auth: preparing(() => gate, log) });
    const error = await settle(client.GET("/app", { timeout: 100 }));
    expect(error).toMatchObject({ code: "TIMEOUT" });
    release();
    await new Promise((r) => setTimeout(r, 50));
    expect(log).toEqual(["prepare GET /app true"]);
    expect(server.requests).toHaveLength(0);
  });

  it("is asked only of the first middleware, and only when it takes the light request", async () => {
    server = await ok();
    const log: string[] = [];
    const never = () => Promise.reject(new Error("must not be asked"));
    const unmarked = looseClient(def, { baseUrl: server.baseUrl, auth: preparing(never, log, false) });
    await unmarked.GET("/app");
    const first: Middleware = { onRequest: () => void log.push("auth onRequest") };
    const later = createEraClient<any>(def, { baseUrl: server.baseUrl, auth: first });
    later.use(preparing(never, log));
    await later.GET("/app", {});
    expect(log).toEqual(["onRequest", "auth onRequest", "onRequest"]);
  });
});
