import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEraClient, type EraDefinition } from "../src/index.js";
import { LightRequest } from "../src/request.js";

// The light Request the era clients give openapi-fetch: middleware must see what a Request offers, a
// middleware's own Request must go through untouched, and what reaches the wire must be the same request.

const def: EraDefinition = {
  name: "ghes-3.x",
  packageName: "@ghes-sdk/test-era",
  version: "9.9.9",
  defaultHeaders: { accept: "application/vnd.github.v3+json" },
  operations: {},
};
type Loose = Record<string, Record<string, any>>;

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}
const seen: Seen[] = [];
let origin = "";
const server = createServer((req, res) => {
  let body = "";
  req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
  req.on("end", () => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true }));
  });
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("era client over the global fetch (LightRequest → one fetch(url, init))", () => {
  it("sends method, path, era headers, caller headers and body once", async () => {
    seen.length = 0;
    const client = createEraClient<Loose>(def, { baseUrl: `${origin}/api/v3`, userAgent: "t/1" });
    const { data } = await (client as any).POST("/applications/{client_id}/token", {
      params: { path: { client_id: "a/b" } },
      headers: { "x-extra": "1" },
      body: { access_token: "secret-token" },
    });
    expect(data).toEqual({ ok: true });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      method: "POST",
      url: "/api/v3/applications/a%2Fb/token",
      body: JSON.stringify({ access_token: "secret-token" }),
    });
    expect(seen[0]!.headers).toMatchObject({
      accept: "application/vnd.github.v3+json",
      "content-type": "application/json",
      "x-extra": "1",
      "user-agent": "t/1 @ghes-sdk/test-era/9.9.9",
    });
  });

  it("gives middleware a Request-like object whose body it can read and whose headers it can change", async () => {
    seen.length = 0;
    const client = createEraClient<Loose>(def, { baseUrl: `${origin}/api/v3` });
    const read: unknown[] = [];
    client.use({
      async onRequest({ request }) {
        read.push(request instanceof LightRequest, request.method, await request.clone().json(), request.body !== null);
        request.headers.set("x-from-middleware", "yes");
        return request;
      },
    });
    await (client as any).POST("/x", { body: { a: 1 } });
    expect(read).toEqual([true, "POST", { a: 1 }, true]);
    // The middleware looked at request.body (a stream): it is sent as a stream, still the same bytes.
    expect(seen[0]).toMatchObject({ method: "POST", url: "/api/v3/x", body: '{"a":1}' });
    expect(seen[0]!.headers["x-from-middleware"]).toBe("yes");
  });

  it("accepts a real Request returned by a middleware and sends it as it is", async () => {
    seen.length = 0;
    const client = createEraClient<Loose>(def, { baseUrl: `${origin}/api/v3` });
    client.use({
      onRequest({ request }) {
        return new Request(request.url.replace("/first", "/second"), { method: "PUT", headers: request.headers, body: "replaced" });
      },
    });
    await (client as any).GET("/first");
    expect(seen[0]).toMatchObject({ method: "PUT", url: "/api/v3/second", body: "replaced" });
  });

  it("a body read by middleware cannot be sent again", async () => {
    const client = createEraClient<Loose>(def, { baseUrl: `${origin}/api/v3` });
    client.use({
      async onRequest({ request }) {
        await request.text();
        return request;
      },
    });
    // The runtime reports it as a request that did not complete, the TypeError as its cause.
    const error = await (client as any).POST("/x", { body: { a: 1 } }).catch((e: unknown) => e);
    expect((error as Error).cause).toBeInstanceOf(TypeError);
    expect(((error as Error).cause as Error).message).toMatch(/already been used/);
  });
});

describe("era client with options.fetch", () => {
  it("hands the fetch a real Request carrying everything", async () => {
    const got: Request[] = [];
    const client = createEraClient<Loose>(def, {
      baseUrl: "https://ghes.example.com/api/v3",
      fetch: async (request) => {
        got.push(request);
        return new Response(null, { status: 204 });
      },
    });
    await (client as any).PATCH("/app/hook/config", { body: { url: "https://example.com/hook" } });
    expect(got).toHaveLength(1);
    expect(got[0]).toBeInstanceOf(Request);
    expect(got[0]!.method).toBe("PATCH");
    expect(got[0]!.url).toBe("https://ghes.example.com/api/v3/app/hook/config");
    expect(got[0]!.headers.get("accept")).toBe("application/vnd.github.v3+json");
    expect(await got[0]!.json()).toEqual({ url: "https://example.com/hook" });
  });
});

describe("LightRequest", () => {
  it("clones with separate headers and body, like Request.clone()", async () => {
    const a = new LightRequest("https://h/x", { method: "post", headers: new Headers({ a: "1" }), body: "hello" });
    const b = a.clone();
    b.headers.set("a", "2");
    expect(a.headers.get("a")).toBe("1");
    expect(await b.text()).toBe("hello");
    expect(await a.text()).toBe("hello");
    expect(a.bodyUsed).toBe(true);
    expect(a.method).toBe("POST");
    expect(() => a.clone()).toThrow(/already been used/);
  });
  it("is an instance of itself and treats real Requests as instances", () => {
    expect(new Request("https://h/") instanceof LightRequest).toBe(true);
    expect(new LightRequest("https://h/") instanceof LightRequest).toBe(true);
    expect({ url: "https://h/" } instanceof LightRequest).toBe(false);
  });
});
