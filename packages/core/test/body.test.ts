// Issue 9, finding 10: the SDK reads no body larger than maxResponseBytes.
import { afterEach, expect, it } from "vitest";
import { createEraClient, DEFAULT_MAX_RESPONSE_BYTES, GhesRequestError, GhesSdkError, unwrap } from "../src/index.js";
import { def, json, looseClient, serve, type Server } from "./support/server.js";

let server: Server;
afterEach(() => server?.close());

it("defaults to 10 MiB", () => {
  expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(10 * 1024 * 1024);
});

it.each([
  ["with a Content-Length", true],
  ["chunked", false],
])("refuses a 2xx body over the limit (%s) with RESPONSE_TOO_LARGE", async (_name, declared) => {
  const body = JSON.stringify({ data: "x".repeat(4096) });
  server = await serve((_req, res) => {
    res.writeHead(200, { "content-type": "application/json", "x-github-request-id": "C0DE:1D", ...(declared ? { "content-length": String(body.length) } : {}) });
    if (declared) res.end(body);
    else {
      res.write(body.slice(0, 2000));
      res.end(body.slice(2000));
    }
  });
  const e = await looseClient(def, { baseUrl: server.baseUrl, maxResponseBytes: 1024 })
    .GET("/app")
    .catch((x: unknown) => x);
  expect(e).toBeInstanceOf(GhesRequestError);
  expect(e).toMatchObject({ code: "RESPONSE_TOO_LARGE", status: 200, requestId: "C0DE:1D" });
  expect((e as Error).message).toMatch(/larger than maxResponseBytes \(1024\)/);
});

it("reads a body at the limit", async () => {
  server = await serve((_req, res) => json(res, 200, { data: "x".repeat(1000) }));
  const { data } = await looseClient(def, { baseUrl: server.baseUrl, maxResponseBytes: 1024 }).GET("/app");
  expect(data.data).toHaveLength(1000);
});

it("reads only the start of a huge error body", async () => {
  server = await serve((_req, res) => {
    res.writeHead(500, { "content-type": "text/plain" });
    res.end(`boom ${"y".repeat(64 * 1024)}`);
  });
  const e = (await unwrap(looseClient(def, { baseUrl: server.baseUrl, maxResponseBytes: 1024, retry: false }).GET("/app")).catch(
    (x: unknown) => x,
  )) as GhesRequestError;
  expect(e).toMatchObject({ code: "HTTP_ERROR", status: 500 });
  expect(e.message).toMatch(/failed with 500 Internal Server Error: boom y+…$/);
});

it("refuses a limit that is not a whole number of bytes", () => {
  expect(() => looseClient(def, { baseUrl: "https://h", maxResponseBytes: 1.5 })).toThrow(GhesSdkError);
  expect(() => looseClient(def, { baseUrl: "https://h", maxResponseBytes: 0 })).toThrow(/options\.maxResponseBytes/);
});
