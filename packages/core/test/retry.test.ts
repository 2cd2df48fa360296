// Retries: which answers are retried, how long the SDK waits, and what stops it.
import { afterEach, describe, expect, it } from "vitest";
import { backoffDelay, createEraClient, DEFAULT_RETRY, GhesRequestError, GhesSdkError, retryDecision, serverWait, unwrap } from "../src/index.js";
import { def, json, looseClient, serve, type Server } from "./support/server.js";

let server: Server;
afterEach(() => server?.close());

// Fast backoff so a test's retries take milliseconds; the rules under test are the defaults'.
const fast = { baseDelay: 10, maxDelay: 20 };
const client = (retry: object = {}, extra: object = {}) => looseClient(def, { baseUrl: server.baseUrl, retry: { ...fast, ...retry }, ...extra });
const gaps = () => server.requests.slice(1).map((r, i) => r.at - server.requests[i]!.at);

/** Answers `first` to the first `times` requests, then 200. */
function failThenOk(times: number, first: (res: import("node:http").ServerResponse) => void) {
  return serve((_req, res, n) => (n < times ? first(res) : json(res, 200, { id: 1 })));
}

describe("retried", () => {
  it.each([429, 500, 502, 503, 504])("a GET answered %i, until it succeeds", async (status) => {
    server = await failThenOk(2, (res) => json(res, status, { message: "try again" }));
    const { data } = await client().GET("/app");
    expect(data).toEqual({ id: 1 });
    expect(server.requests).toHaveLength(3);
  });

  it("a 403 that is GitHub's secondary rate limit", async () => {
    server = await failThenOk(1, (res) =>
      json(res, 403, { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." }),
    );
    expect((await client().GET("/app")).data).toEqual({ id: 1 });
    expect(server.requests).toHaveLength(2);
  });

  it("a 403 with an exhausted primary rate limit", async () => {
    server = await failThenOk(1, (res) =>
      json(res, 403, { message: "API rate limit exceeded" }, { "x-ratelimit-limit": "5000", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1" }),
    );
    expect((await client().GET("/app")).data).toEqual({ id: 1 });
    expect(server.requests).toHaveLength(2);
  });

  it("a POST only when the request opts in", async () => {
    const path = "/app/installations/{installation_id}/access_tokens";
    const init = { params: { path: { installation_id: 1 } } };
    server = await failThenOk(2, (res) => json(res, 502, { message: "bad gateway" }));
    expect((await client().POST(path, init)).response.status).toBe(502);
    expect(server.requests).toHaveLength(1);
    expect((await client().POST(path, { ...init, retry: { methods: ["POST"] } })).data).toEqual({ id: 1 });
    expect(server.requests).toHaveLength(3);
  });
});

describe("not retried", () => {
  it.each([400, 401, 404, 409, 422])("%i", async (status) => {
    server = await serve((_req, res) => json(res, status, { message: "no" }));
    expect((await client().GET("/app")).response.status).toBe(status);
    expect(server.requests).toHaveLength(1);
  });

  it("a 403 that is not a rate limit", async () => {
    server = await serve((_req, res) => json(res, 403, { message: "Resource not accessible by integration" }));
    expect((await client().GET("/app")).response.status).toBe(403);
    expect(server.requests).toHaveLength(1);
  });

  it("a PATCH (not idempotent) answered 503", async () => {
    server = await serve((_req, res) => json(res, 503, { message: "unavailable" }));
    expect((await client().PATCH("/app/hook/config", { body: {} })).response.status).toBe(503);
    expect(server.requests).toHaveLength(1);
  });

  it("a network error of a PATCH (network errors of idempotent methods are: network-retry.test.ts)", async () => {
    let calls = 0;
    const fetch = () => {
      calls += 1;
      return Promise.reject(new TypeError("fetch failed"));
    };
    const e = await looseClient(def, { baseUrl: "http://127.0.0.1:9/api/v3", fetch, retry: fast })
      .PATCH("/app/hook/config", { body: { url: "https://x" } })
      .catch((x: unknown) => x);
    expect(e).toMatchObject({ code: "NETWORK" });
    expect(calls).toBe(1);
  });

  it("anything, with retry: false", async () => {
    server = await serve((_req, res) => json(res, 503, { message: "unavailable" }));
    await looseClient(def, { baseUrl: server.baseUrl, retry: false }).GET("/app");
    expect(server.requests).toHaveLength(1);
  });

  it("a Retry-After longer than maxRetryAfter: the error comes back at once", async () => {
    server = await serve((_req, res) => json(res, 429, { message: "slow down" }, { "retry-after": "120" }));
    // Waiting the 120 s would outlast this test's budget: that it returns at all shows it did not wait.
    const e = await unwrap(client().GET("/app")).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(GhesRequestError);
    expect((e as GhesRequestError).status).toBe(429);
    expect(server.requests).toHaveLength(1);
  });

  it("refuses a policy that would retry 400, 401, 404, 409 or 422", () => {
    server = undefined as never;
    expect(() => looseClient(def, { baseUrl: "https://h", retry: { statusCodes: [500, 422] } })).toThrow(
      /options\.retry\.statusCodes must not hold 422/,
    );
    expect(() => looseClient(def, { baseUrl: "https://h", retry: { limit: -1 } })).toThrow(GhesSdkError);
    expect(() => looseClient(def, { baseUrl: "https://h", retry: { lmit: 3 } as never })).toThrow(/unknown key "lmit"/);
  });
});

describe("bounded", () => {
  it("stops after `limit` retries and returns the last answer", async () => {
    server = await serve((_req, res) => json(res, 503, { message: "unavailable" }));
    const { error, response } = await client({ limit: 3 }).GET("/app");
    expect(response.status).toBe(503);
    expect(error).toEqual({ message: "unavailable" });
    expect(server.requests).toHaveLength(4);
  });

  it("waits at most min(maxDelay, baseDelay * 2^n) between attempts (full jitter)", async () => {
    server = await serve((_req, res) => json(res, 503, { message: "unavailable" }));
    // Uncapped, these waits would be random in [0, 1 s), [0, 2 s), …: the cap of 60 ms is what keeps them short.
    await client({ limit: 4, baseDelay: 1000, maxDelay: 60, maxTotalWait: 60_000 }).GET("/app");
    expect(server.requests).toHaveLength(5);
    // The waits themselves, from the one decision function with the largest random draw: under the cap.
    const policy = { ...DEFAULT_RETRY, limit: 4, baseDelay: 1000, maxDelay: 60, maxTotalWait: 60_000 };
    for (let attempt = 0; attempt < 4; attempt++) {
      const d = retryDecision(policy, { method: "GET", attempt, waited: 0, remaining: Infinity, response: { status: 503, headers: new Headers() }, rateLimited: false }, () => 0.999);
      expect(d).toMatchObject({ retry: true });
      expect(d.wait).toBeLessThan(60);
    }
  });

  it("stops when the next wait would pass maxTotalWait", async () => {
    server = await serve((_req, res) => json(res, 503, { message: "unavailable" }, { "retry-after": "1" }));
    await client({ limit: 5, maxTotalWait: 1500 }).GET("/app");
    expect(server.requests).toHaveLength(2);
  });

  it("computes full-jitter delays within [0, cap)", () => {
    expect(backoffDelay(0, DEFAULT_RETRY, () => 0)).toBe(0);
    expect(backoffDelay(0, DEFAULT_RETRY, () => 0.999)).toBe(999);
    expect(backoffDelay(2, DEFAULT_RETRY, () => 0.999)).toBe(3996);
    expect(backoffDelay(10, DEFAULT_RETRY, () => 0.999)).toBe(7992);
  });
});

describe("the server's wait", () => {
  it("honours Retry-After in seconds", async () => {
    server = await failThenOk(1, (res) => json(res, 503, { message: "unavailable" }, { "retry-after": "1" }));
    await client().GET("/app");
    // At least the server's wait (a lower bound: a busy machine only adds to it); the wait chosen is checked below.
    expect(gaps()[0]).toBeGreaterThanOrEqual(950);
  });

  it("honours Retry-After as an HTTP date, measured against the response's Date", async () => {
    server = await failThenOk(1, (res) => {
      // The server's clock is an hour ahead of ours: only the difference between its two dates counts.
      const serverNow = Math.floor(Date.now() / 1000) * 1000 + 3_600_000;
      json(res, 429, { message: "slow down" }, { date: new Date(serverNow).toUTCString(), "retry-after": new Date(serverNow + 1000).toUTCString() });
    });
    await client().GET("/app");
    // At least the server's wait (a lower bound: a busy machine only adds to it); the wait chosen is checked below.
    expect(gaps()[0]).toBeGreaterThanOrEqual(950);
  });

  it("honours X-RateLimit-Reset when the limit is exhausted", async () => {
    server = await failThenOk(1, (res) => {
      const serverNow = Math.floor(Date.now() / 1000);
      json(res, 429, { message: "rate limited" }, {
        date: new Date(serverNow * 1000).toUTCString(),
        "x-ratelimit-limit": "5000",
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": String(serverNow + 1),
      });
    });
    await client().GET("/app");
    // At least the server's wait (a lower bound: a busy machine only adds to it); the wait chosen is checked below.
    expect(gaps()[0]).toBeGreaterThanOrEqual(950);
  });

  it("waits what the server asks, not a backoff (the decision, without a clock)", () => {
    const at = { method: "GET", attempt: 0, waited: 0, remaining: Infinity, rateLimited: false };
    const now = Date.UTC(2026, 0, 1);
    const wait = (headers: Record<string, string>, status = 503) => retryDecision(DEFAULT_RETRY, { ...at, response: { status, headers: new Headers(headers) } }, () => 0.999).wait;
    expect(wait({ "retry-after": "1" })).toBe(1000);
    expect(wait({ date: new Date(now).toUTCString(), "retry-after": new Date(now + 1000).toUTCString() }, 429)).toBe(1000);
    expect(wait({ date: new Date(now).toUTCString(), "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(now / 1000 + 1) }, 429)).toBe(1000);
  });

  it("reads the headers as documented", () => {
    const now = Date.UTC(2026, 0, 1);
    expect(serverWait(new Headers({ "retry-after": "7" }), now)).toBe(7000);
    expect(serverWait(new Headers({ "retry-after": new Date(now + 5000).toUTCString() }), now)).toBe(5000);
    expect(serverWait(new Headers({ "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(now / 1000 + 9) }), now)).toBe(9000);
    expect(serverWait(new Headers({ "x-ratelimit-remaining": "3", "x-ratelimit-reset": String(now / 1000 + 9) }), now)).toBeUndefined();
  });
});

it("stops waiting the moment the caller aborts, during a backoff", async () => {
  server = await serve((_req, res) => json(res, 503, { message: "unavailable" }, { "retry-after": "10" }));
  const controller = new AbortController();
  const pending = client().GET("/app", { signal: controller.signal }).catch((e: unknown) => e);
  while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, 50));
  let settled = false;
  void pending.then(() => (settled = true));
  controller.abort();
  // Settled before the event loop's next turn: no timer, no I/O waited on after the abort.
  await new Promise((r) => setImmediate(r));
  expect(settled).toBe(true);
  const e = (await pending) as GhesRequestError;
  expect(e).toBeInstanceOf(GhesRequestError);
  expect(e.code).toBe("ABORTED");
  expect(server.requests).toHaveLength(1);
});

it("goes through the client's fetch on every attempt", async () => {
  server = await failThenOk(1, (res) => json(res, 503, { message: "unavailable" }));
  const seen: string[] = [];
  const fetch = (request: Request) => {
    seen.push(`${request.method} ${new URL(request.url).pathname}`);
    return globalThis.fetch(request);
  };
  await client({}, { fetch }).GET("/app");
  expect(seen).toEqual(["GET /api/v3/app", "GET /api/v3/app"]);
});
