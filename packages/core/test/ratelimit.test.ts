// The last X-RateLimit-* values are readable from the client; onRateLimit hears about every limit hit.
import { afterEach, describe, expect, it } from "vitest";
import { createEraClient, readRateLimit, type RateLimitEvent } from "../src/index.js";
import { def, json, looseClient, serve, type Server } from "./support/server.js";

let server: Server;
afterEach(() => server?.close());

const limits = (remaining: number) => ({
  "x-ratelimit-limit": "5000",
  "x-ratelimit-remaining": String(remaining),
  "x-ratelimit-used": String(5000 - remaining),
  "x-ratelimit-reset": "1767225600",
  "x-ratelimit-resource": "core",
});

it("exposes the last X-RateLimit-* values the client saw", async () => {
  server = await serve((_req, res, n) => json(res, 200, { id: 1 }, limits(4999 - n)));
  const github = looseClient(def, { baseUrl: server.baseUrl });
  expect(github.rateLimit).toBeUndefined();
  await github.GET("/app");
  await github.GET("/app");
  expect(github.rateLimit).toEqual({ limit: 5000, remaining: 4998, used: 2, reset: 1767225600, resource: "core" });
});

it("calls onRateLimit when a limit is hit, saying whether it will retry", async () => {
  server = await serve((_req, res, n) =>
    n === 0 ? json(res, 429, { message: "slow down" }, { ...limits(0), "retry-after": "0" }) : json(res, 200, { id: 1 }),
  );
  const events: RateLimitEvent[] = [];
  const github = looseClient(def, { baseUrl: server.baseUrl, onRateLimit: (e) => void events.push(e) });
  expect((await github.GET("/app")).data).toEqual({ id: 1 });
  expect(events).toEqual([
    {
      method: "GET",
      url: `${server.baseUrl}/app`,
      operationId: "apps/get-authenticated",
      status: 429,
      rateLimit: { limit: 5000, remaining: 0, used: 5000, reset: 1767225600, resource: "core" },
      waitMs: 0,
      attempt: 0,
      willRetry: true,
    },
  ]);
});

it("lets onRateLimit refuse a retry", async () => {
  server = await serve((_req, res) => json(res, 429, { message: "slow down" }, { "retry-after": "0" }));
  const github = looseClient(def, { baseUrl: server.baseUrl, onRateLimit: () => false });
  expect((await github.GET("/app")).response.status).toBe(429);
  expect(server.requests).toHaveLength(1);
});

it("lets onRateLimit ask for a wait the policy would not make", async () => {
  server = await serve((_req, res, n) =>
    n === 0 ? json(res, 403, { message: "secondary rate limit" }, { "retry-after": "1" }) : json(res, 200, { id: 1 }),
  );
  const github = looseClient(def, { baseUrl: server.baseUrl, retry: { maxRetryAfter: 0 }, onRateLimit: () => true });
  expect((await github.GET("/app")).data).toEqual({ id: 1 });
  expect(server.requests[1]!.at - server.requests[0]!.at).toBeGreaterThanOrEqual(950);
});

it("counts requests middleware sends through the client's fetch (auth's token mints)", async () => {
  server = await serve((req, res) => json(res, 200, { id: 1 }, req.url!.endsWith("/mint") ? limits(42) : {}));
  const minting = {
    async onRequest({ options }: { options: { fetch: (r: Request) => Promise<Response> } }) {
      await options.fetch(new Request(`${server.baseUrl}/mint`, { method: "POST" }));
    },
  };
  const github = looseClient(def, { baseUrl: server.baseUrl, auth: minting as never });
  await github.GET("/app");
  expect(github.rateLimit?.remaining).toBe(42);
});

it("awaits onRateLimit, so it can delay the retry", async () => {
  server = await serve((_req, res, n) =>
    n === 0 ? json(res, 429, { message: "slow down" }, { "retry-after": "0" }) : json(res, 200, { id: 1 }),
  );
  const onRateLimit = () => new Promise<void>((r) => setTimeout(r, 300));
  await looseClient(def, { baseUrl: server.baseUrl, onRateLimit }).GET("/app");
  expect(server.requests[1]!.at - server.requests[0]!.at).toBeGreaterThanOrEqual(290);
});

describe("readRateLimit", () => {
  const read = (headers: Record<string, string>) => readRateLimit(new Headers(headers));
  it("reads the values, leaving out a missing used and an unsafe resource", () => {
    expect(read({ ...limits(7), "x-ratelimit-used": "", "x-ratelimit-resource": "a b" })).toEqual({
      limit: 5000,
      remaining: 7,
      used: 0,
      reset: 1767225600,
      resource: undefined,
    });
    const { "x-ratelimit-used": _used, ...withoutUsed } = limits(7);
    expect(read(withoutUsed)).toMatchObject({ used: undefined, resource: "core" });
  });
  it.each([
    ["no headers", {}],
    ["a limit that is not a number", { ...limits(1), "x-ratelimit-limit": "lots" }],
    ["no remaining", { "x-ratelimit-limit": "5000", "x-ratelimit-reset": "1" }],
    ["a reset that is not finite", { ...limits(1), "x-ratelimit-reset": "Infinity" }],
  ])("is undefined with %s", (_name, headers) => {
    expect(read(headers)).toBeUndefined();
  });
});
