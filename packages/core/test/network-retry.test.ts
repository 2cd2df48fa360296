// Network errors (no response at all: a reset connection, a refused one) are retried like a 503 for the
// methods the policy retries, with backoff, within `limit`, `maxTotalWait` and the call's timeout.
import { afterEach, expect, it } from "vitest";
import { GhesRequestError } from "../src/index.js";
import { def, json, looseClient, serve, type Server } from "./support/server.js";

let server: Server;
afterEach(() => server?.close());

const fast = { baseDelay: 10, maxDelay: 20 };
const client = (retry: object = {}, extra: object = {}) => looseClient(def, { baseUrl: server.baseUrl, retry: { ...fast, ...retry }, ...extra });

/** Drops the connection of the first `times` requests without answering, then answers 200. */
const dropThenOk = (times: number) =>
  serve((req, res, n) => {
    if (n < times) req.socket.destroy();
    else json(res, 200, { id: 1 });
  });

it("retries a GET whose connection was reset, until it succeeds", async () => {
  server = await dropThenOk(2);
  const { data } = await client().GET("/app");
  expect(data).toEqual({ id: 1 });
  expect(server.requests).toHaveLength(3);
});

it("retries a DELETE (idempotent) too", async () => {
  server = await dropThenOk(1);
  const { response } = await client().DELETE("/app/installations/{installation_id}", { params: { path: { installation_id: 1 } } });
  expect(response.status).toBe(200);
  expect(server.requests).toHaveLength(2);
});

it("does not retry a POST unless the request opts in: the server may have acted on it", async () => {
  server = await dropThenOk(1);
  const path = "/app/installations/{installation_id}/access_tokens";
  const init = { params: { path: { installation_id: 1 } } };
  const e = await client().POST(path, init).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(GhesRequestError);
  expect(e).toMatchObject({ code: "NETWORK", status: 0 });
  expect(server.requests).toHaveLength(1);
  expect((await client().POST(path, { ...init, retry: { methods: ["POST"] } })).data).toEqual({ id: 1 });
});

it("gives up after `limit` retries with the NETWORK error", async () => {
  server = await dropThenOk(99);
  const e = await client({ limit: 3 }).GET("/app").catch((x: unknown) => x);
  expect(e).toMatchObject({ code: "NETWORK", method: "GET" });
  expect(server.requests).toHaveLength(4);
});

it("is off with networkErrors: false, and with retry: false", async () => {
  server = await dropThenOk(99);
  expect(await client({ networkErrors: false }).GET("/app").catch((x: unknown) => x)).toMatchObject({ code: "NETWORK" });
  expect(server.requests).toHaveLength(1);
  expect(await looseClient(def, { baseUrl: server.baseUrl, retry: false }).GET("/app").catch((x: unknown) => x)).toMatchObject({ code: "NETWORK" });
  expect(server.requests).toHaveLength(2);
});

it("refuses a networkErrors that is not a boolean, naming it", () => {
  expect(() => looseClient(def, { baseUrl: "http://127.0.0.1:9/api/v3", retry: { networkErrors: "yes" } as never })).toThrow(
    "@ghes-sdk/test-era: options.retry.networkErrors must be true or false",
  );
});
