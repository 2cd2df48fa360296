// Issue 9, the auth findings: one test each, against node:http servers on 127.0.0.1.
import { GhesRequestError } from "@ghes-sdk/core";
import { readFileSync } from "node:fs";
import createClient from "openapi-fetch";
import { createClient as createEraClient } from "@ghes-sdk/ghes-2022-11-28";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  appAuth,
  appInstallationsAuth,
  appRouteAuth,
  basicAuth,
  GhesAuthError,
  installationAuth,
  oauthAppAuth,
  tokenAuth,
  type AuthStrategy,
} from "../src/index.js";
import { SDK_USER_AGENT } from "../src/installation.js";
import { APP_ID, INSTALLATION_ID, PKCS1_KEY, PUBLIC_KEY } from "./helpers/fixtures.js";
import { startFakeGhes, T0, type FakeGhes } from "./helpers/ghes.js";
import { bearer, decodeJwt } from "./helpers/jwt.js";
import type { LoosePaths } from "./helpers/paths.js";
import { sendJson, startServer, type TestServer } from "./helpers/server.js";

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  vi.useRealTimers();
  while (closers.length) await closers.pop()!();
});
async function fakeGhes(): Promise<FakeGhes> {
  const ghes = await startFakeGhes(PUBLIC_KEY, APP_ID);
  closers.push(() => ghes.close());
  return ghes;
}
async function server(handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const s = await startServer(handler);
  closers.push(() => s.close());
  return s;
}
const installation = () => installationAuth({ appId: APP_ID, privateKey: PKCS1_KEY, installationId: INSTALLATION_ID });
const clientOn = (baseUrl: string, strategy: AuthStrategy, fetch?: (r: Request) => Promise<Response>) => {
  const client = createClient<LoosePaths>({ baseUrl, ...(fetch ? { fetch } : {}) });
  client.use(strategy);
  return client;
};
const apiRequests = (ghes: FakeGhes) => ghes.received.filter((r) => !r.url.endsWith("/access_tokens"));

describe("finding 2: revoke() attempts every DELETE and keeps the tokens that failed", () => {
  it("two of three DELETEs fail: all three are sent, both failures reported together, the two tokens kept", async () => {
    const ghes = await fakeGhes();
    const strategy = installation();
    let failing = new Set(["/b", "/c"]);
    const fetchVia = (request: Request) => {
      const root = new URL(request.url).pathname.split("/")[1]!;
      if (request.method === "DELETE" && failing.has(`/${root}`)) {
        return Promise.resolve(new Response(JSON.stringify({ message: "Server Error" }), { status: 500, headers: { "X-GitHub-Request-Id": `REQ-${root}` } }));
      }
      return fetch(request);
    };
    for (const root of ["/a", "/b", "/c"]) await clientOn(`${ghes.origin}${root}`, strategy, fetchVia).GET("/installation/repositories");
    const error = await strategy.revoke().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GhesAuthError);
    expect(error).toMatchObject({ code: "REVOKE_FAILED" });
    const errors = (error as GhesAuthError).errors!;
    expect(errors.map((e) => [e.status, e.method, e.url, e.requestId])).toEqual([
      [500, "DELETE", `${ghes.origin}/b/installation/token`, "REQ-b"],
      [500, "DELETE", `${ghes.origin}/c/installation/token`, "REQ-c"],
    ]);
    expect((error as Error).message).toContain("2 of 3 installation token(s) could not be revoked");
    expect(ghes.minted.map((t) => [t.root, t.revoked])).toEqual([["/a", true], ["/b", false], ["/c", false]]);
    // The two live tokens are still known: a second revoke() sends their DELETEs again.
    failing = new Set();
    expect(await strategy.revoke()).toBe(2);
    expect(ghes.minted.every((t) => t.revoked)).toBe(true);
  });
});

describe("finding 3: X-GitHub-OTP never crosses origins, and another origin's 2FA challenge is not answered", () => {
  it("a cross-origin redirect drops the OTP and Authorization; the other origin's OTP 401 does not prompt", async () => {
    const elsewhere = await server((_req, res) =>
      sendJson(res, 401, { message: "Must specify two-factor authentication OTP code." }, { "X-GitHub-OTP": "required; sms" }),
    );
    const api = await server((req, res) => {
      res.writeHead(302, { Location: `${elsewhere.origin}${req.url}` }).end();
    });
    const on2fa = vi.fn(async () => "654321");
    const client = clientOn(api.origin, basicAuth({ username: "monalisa", password: "pw-secret-1", otp: "123456", on2fa }));
    const { response } = await client.POST("/authorizations", { body: { note: "x" } });
    expect(response.status).toBe(401);
    expect(api.received[0]!.headers["x-github-otp"]).toBe("123456");
    expect(elsewhere.received).toHaveLength(1);
    expect(elsewhere.received[0]!.headers["x-github-otp"]).toBeUndefined();
    expect(elsewhere.received[0]!.headers.authorization).toBeUndefined();
    expect(elsewhere.received[0]!.method).toBe("GET"); // a 302 of a POST becomes a GET without its body, as fetch would
    expect(elsewhere.received[0]!.body).toBe("");
    expect(on2fa).not.toHaveBeenCalled();
  });

  it("the OTP of a 2FA retry is not sent on by fetch's own redirect to another origin", async () => {
    const elsewhere = await server((req, res) => sendJson(res, 200, { otp: req.headers["x-github-otp"] ?? null }));
    const api = await server((req, res) => {
      if (!req.headers["x-github-otp"]) return sendJson(res, 401, { message: "Must specify two-factor authentication OTP code." }, { "X-GitHub-OTP": "required; app" });
      res.writeHead(302, { Location: `${elsewhere.origin}/landing` }).end();
    });
    const client = clientOn(api.origin, basicAuth({ username: "monalisa", password: "pw-secret-1", on2fa: async () => "654321" }));
    await client.GET("/authorizations");
    expect(api.received.map((r) => r.headers["x-github-otp"] ?? null)).toEqual([null, "654321"]);
    expect(elsewhere.received).toHaveLength(1);
    expect(elsewhere.received[0]!.headers["x-github-otp"]).toBeUndefined();
  });

  it.each([307, 308])("a cross-origin %s of a request with a body is refused: the body may hold credentials", async (status) => {
    const elsewhere = await server((_req, res) => sendJson(res, 200, {}));
    const api = await server((req, res) => void res.writeHead(status, { Location: `${elsewhere.origin}${req.url}` }).end());
    const client = clientOn(api.origin, basicAuth({ username: "monalisa", password: "pw-secret-1" }));
    const error = await client.PUT("/authorizations/clients/{client_id}" as never, { params: { path: { client_id: "Iv1.x" } }, body: { client_secret: "s3cret-value-1234" } } as never).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "GhesAuthError", code: "CROSS_ORIGIN_REDIRECT" });
    expect((error as Error).message).toContain(`refusing to follow a ${status} redirect of PUT`);
    expect(elsewhere.received).toHaveLength(0);
  });

  it("a same-origin redirect keeps both (control)", async () => {
    const api = await server((req, res) => {
      if (req.url === "/old") return void res.writeHead(302, { Location: "/new" }).end();
      sendJson(res, 200, { otp: req.headers["x-github-otp"], auth: Boolean(req.headers.authorization) });
    });
    const client = clientOn(api.origin, basicAuth({ username: "monalisa", password: "pw-secret-1", otp: "123456" }));
    const { data } = await client.GET("/old");
    expect(data).toEqual({ otp: "123456", auth: true });
  });
});

describe("finding 5: server text in auth's errors is redacted before it is cut, capped and cleaned", () => {
  it("a token echoed at the cut-off point leaves no part of itself; a 500 kB JSON message with ANSI and newlines is cleaned and capped", async () => {
    const ghes = await fakeGhes();
    const strategy = installation();
    let body = "";
    const client = clientOn(`${ghes.origin}/api/v3`, strategy, (request) =>
      request.method === "DELETE"
        ? Promise.resolve(new Response(body, { status: 500, headers: { "Content-Type": "text/plain" } }))
        : fetch(request),
    );
    await client.GET("/installation/repositories");
    const token = ghes.minted[0]!.token;
    body = `${"x".repeat(190)} ${token} ${"y".repeat(100)}`;
    const cut = (await strategy.revoke().catch((e: unknown) => e)) as GhesAuthError;
    const text = [cut.message, ...cut.errors!.map((e) => e.message)].join("\n");
    for (let i = 4; i <= token.length; i += 1) expect(text).not.toContain(token.slice(0, i));

    body = JSON.stringify({ message: `\u001b[31mred\u001b[0m\r\nInjected: header\n${"z".repeat(500_000)}` });
    const huge = (await strategy.revoke().catch((e: unknown) => e)) as GhesAuthError;
    const message = huge.errors![0]!.message;
    expect(message.length).toBeLessThan(1_000);
    expect(message).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(message).toContain("red Injected: header zzz");
  });
});

describe("finding 6: a minted token is checked before it is cached or sent", () => {
  it.each([
    ["CRLF", "ghs_abc\r\nX-Injected: 1"],
    ["a control character", "ghs_abc\u0000def"],
    ["a space", "ghs_abc defghij"],
    ["2,000 characters", `ghs_${"a".repeat(1996)}`],
  ])("a token with %s is refused with INVALID_BODY that does not show it", async (_name, token) => {
    const api = await server((req, res) => {
      if (req.url.endsWith("/access_tokens")) return sendJson(res, 201, { token, expires_at: new Date(Date.now() + 3600_000).toISOString() });
      sendJson(res, 200, { authorization: req.headers.authorization });
    });
    const client = clientOn(api.origin, installation());
    const error = await client.GET("/installation/repositories").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GhesRequestError);
    expect(error).toMatchObject({ code: "INVALID_BODY", status: 201, operationId: "apps/create-installation-access-token" });
    expect((error as Error).message).toContain("not shaped like one");
    expect((error as Error).message).not.toContain("ghs_abc");
    expect(api.received.filter((r) => !r.url.endsWith("/access_tokens"))).toHaveLength(0);
  });
});

describe("finding 7: no cap on the requests that may be retried after a 401", () => {
  it("4,200 requests in flight (more than the old cap of 4,096) each keep their retry", { timeout: 120_000 }, async () => {
    // Every request without the OTP gets GitHub's 2FA challenge; every retry with it succeeds.
    const api = await server((req, res) =>
      req.headers["x-github-otp"] === "123456"
        ? sendJson(res, 200, {})
        : sendJson(res, 401, { message: "Must specify two-factor authentication OTP code." }, { "X-GitHub-OTP": "required; app" }),
    );
    const count = 4_200;
    // All of them are in flight for the middleware (past onRequest, before onResponse); the fetch below
    // only keeps the sockets to 64 at a time so one small test server is not flooded with connections.
    let active = 0;
    const queue: Array<() => void> = [];
    const limited = async (request: Request) => {
      if (active >= 64) await new Promise<void>((resolve) => queue.push(resolve));
      active += 1;
      try {
        return await fetch(request);
      } finally {
        active -= 1;
        queue.shift()?.();
      }
    };
    const on2fa = vi.fn(async () => "123456");
    const client = clientOn(api.origin, basicAuth({ username: "u", password: "pw-TESTONLY", on2fa }), limited);
    // Every onRequest runs (and records its request) before the first response can arrive: fetch needs I/O.
    const results = await Promise.all(Array.from({ length: count }, () => client.GET("/user")));
    expect(results.filter((r) => r.response.status !== 200)).toHaveLength(0);
    expect(on2fa).toHaveBeenCalledTimes(1);
    expect(api.received).toHaveLength(2 * count);
  });
});

describe("finding 8: the clock correction is learnt per origin, and only from the API's own answers", () => {
  const iatOf = (authorization: string | undefined) => decodeJwt(bearer(authorization), PUBLIC_KEY).payload.iat;

  it("a redirect target's skew 401 with a wrong Date does not move the API's JWTs", async () => {
    const before = Math.floor(Date.now() / 1000);
    const yearAhead = new Date(Date.now() + 365 * 86_400_000).toUTCString();
    const elsewhere = await server((_req, res) =>
      sendJson(res, 401, { message: "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued" }, { Date: yearAhead }),
    );
    const api = await server((req, res) => {
      if (req.url === "/redirected") return void res.writeHead(302, { Location: `${elsewhere.origin}/app` }).end();
      sendJson(res, 200, {});
    });
    const client = clientOn(api.origin, appAuth({ appId: APP_ID, privateKey: PKCS1_KEY }));
    const { response } = await client.GET("/redirected");
    expect(response.status).toBe(401);
    expect(elsewhere.received).toHaveLength(1); // no retry
    // Signed on this machine's clock (iat 60 s back, as always) during this test, whichever call signed it.
    await client.GET("/app");
    const after = Math.ceil(Date.now() / 1000);
    const iat = iatOf(api.received.at(-1)!.headers.authorization);
    expect(iat).toBeGreaterThanOrEqual(before - 60);
    expect(iat).toBeLessThanOrEqual(after - 60);
  });

  it("two API origins with different clocks each get JWTs on their own clock", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: T0 });
    const behind = await fakeGhes();
    behind.clockOffsetS = -3600;
    const onTime = await fakeGhes();
    const strategy = appAuth({ appId: APP_ID, privateKey: PKCS1_KEY });
    expect((await clientOn(behind.origin, strategy).GET("/app")).response.status).toBe(200);
    expect(behind.received).toHaveLength(2); // skew 401, then the corrected retry
    expect((await clientOn(onTime.origin, strategy).GET("/app")).response.status).toBe(200);
    expect(onTime.received).toHaveLength(1);
    expect(iatOf(behind.received[1]!.headers.authorization)).toBe(T0 / 1000 - 3600 - 60);
    expect(iatOf(onTime.received[0]!.headers.authorization)).toBe(T0 / 1000 - 60);
  });
});

describe("finding 9: redirects, failed mints and revoke() during a mint", () => {
  it("a redirect to an origin answering 401 does not drop the good token or mint another", async () => {
    const ghes = await fakeGhes();
    const elsewhere = await server((_req, res) => sendJson(res, 401, { message: "Bad credentials" }));
    const client = clientOn(ghes.origin, installation(), (request) =>
      request.url.endsWith("/moved") ? fetch(new Request(`${elsewhere.origin}/moved`, request)) : fetch(request),
    );
    // node's fetch follows the redirect itself; here the "redirect" is the custom fetch answering from elsewhere.
    await client.GET("/installation/repositories");
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 60_000 }); // past the replication-lag window
    const { response } = await client.GET("/moved");
    expect(response.status).toBe(401);
    expect(elsewhere.received).toHaveLength(1); // not retried
    expect(elsewhere.received[0]!.headers.authorization).toBe(`token ${ghes.minted[0]!.token}`);
    await client.GET("/installation/repositories");
    expect(ghes.mintRequests).toHaveLength(1);
  });

  it("50 calls against an always-failing mint send one mint and share its failure; after the back-off, one more", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: T0 });
    const ghes = await fakeGhes();
    ghes.mintFailure = { status: 503, body: { message: "Service Unavailable" } };
    const client = clientOn(ghes.origin, installation());
    const concurrent = await Promise.all(Array.from({ length: 25 }, () => client.GET("/installation/repositories").catch((e: unknown) => e)));
    const sequential: unknown[] = [];
    for (let i = 0; i < 25; i += 1) sequential.push(await client.GET("/installation/repositories").catch((e: unknown) => e));
    expect([...concurrent, ...sequential].every((e) => e instanceof GhesRequestError && e.status === 503)).toBe(true);
    expect(ghes.mintRequests).toHaveLength(1);
    vi.setSystemTime(T0 + 1_000);
    await client.GET("/installation/repositories").catch(() => undefined);
    expect(ghes.mintRequests).toHaveLength(2);
    // Two failures in a row: the pause doubles to 2 s.
    vi.setSystemTime(T0 + 2_500);
    await client.GET("/installation/repositories").catch(() => undefined);
    expect(ghes.mintRequests).toHaveLength(2);
    ghes.mintFailure = undefined;
    vi.setSystemTime(T0 + 3_001);
    expect((await client.GET("/installation/repositories")).response.status).toBe(200);
  });

  it("revoke() waits for a mint under way and revokes its token; it is not cached afterwards", async () => {
    const ghes = await fakeGhes();
    const strategy = installation();
    // The mint is held until revoke() has been called: event order, no timing.
    let mintStarted!: () => void;
    const minting = new Promise<void>((resolve) => (mintStarted = resolve));
    let finishMint!: () => void;
    const mintGate = new Promise<void>((resolve) => (finishMint = resolve));
    const client = clientOn(ghes.origin, strategy, async (request) => {
      if (request.url.endsWith("/access_tokens")) {
        mintStarted();
        await mintGate;
      }
      return fetch(request);
    });
    const call = client.GET("/installation/repositories");
    await minting;
    const revoked = strategy.revoke();
    finishMint();
    expect(await revoked).toBe(1);
    await call;
    expect(ghes.minted).toHaveLength(1);
    expect(ghes.minted[0]!.revoked).toBe(true);
    await client.GET("/installation/repositories");
    expect(ghes.minted).toHaveLength(2);
  });

  it("revoke() sends the User-Agent the mint went out with, and the SDK's own on a plain client", async () => {
    const ghes = await fakeGhes();
    const withUa = installation();
    await clientOn(ghes.origin, withUa).GET("/installation/repositories", { headers: { "User-Agent": "my-tool/1.0" } });
    await withUa.revoke();
    expect(ghes.received.at(-1)).toMatchObject({ method: "DELETE", headers: { "user-agent": "my-tool/1.0" } });
    const plain = installation();
    await clientOn(ghes.origin, plain).GET("/installation/repositories");
    await plain.revoke();
    expect(ghes.received.at(-1)).toMatchObject({ method: "DELETE", headers: { "user-agent": SDK_USER_AGENT } });
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { name: string; version: string };
    expect(SDK_USER_AGENT).toBe(`${pkg.name}/${pkg.version}`);
  });
});

describe("finding 10 (bodies) and redirects of auth's own requests", () => {
  it("an endless error body from the mint is read up to 1 MiB, then the error is thrown", { timeout: 30_000 }, async () => {
    let written = 0;
    const api = await server((req, res) => {
      if (!req.url.endsWith("/access_tokens")) return sendJson(res, 200, {});
      res.writeHead(500, { "Content-Type": "text/plain" });
      const chunk = "e".repeat(64 * 1024);
      const pump = () => {
        while (!res.destroyed && written < 64 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      pump();
    });
    const error = await clientOn(api.origin, installation()).GET("/installation/repositories").catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "GhesRequestError", code: "HTTP_ERROR", status: 500 });
    expect((error as Error).message.length).toBeLessThan(1_000);
    // Stopped reading soon after the cap (socket buffers hold a few MiB at most), far from the 64 MiB on offer.
    expect(written).toBeLessThan(16 * 1024 * 1024);
  });

  it("a mint redirected to another origin fails, and the other origin gets no JWT", async () => {
    const elsewhere = await server((_req, res) => sendJson(res, 201, { token: "ghs_TESTONLYfromElsewhere01", expires_at: new Date(Date.now() + 3600_000).toISOString() }));
    const api = await server((req, res) => void res.writeHead(307, { Location: `${elsewhere.origin}${req.url}` }).end());
    const error = await clientOn(api.origin, installation()).GET("/installation/repositories").catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "GhesRequestError", code: "HTTP_ERROR", operationId: "apps/create-installation-access-token" });
    expect((error as Error).message).toContain(`was redirected to another origin (${elsewhere.origin})`);
    expect(elsewhere.received[0]!.headers.authorization).toBeUndefined();
  });
});

describe("finding 10: no credential over plain http:// off loopback without allowInsecureHttp", () => {
  const strategies: Record<string, (allowInsecureHttp?: boolean) => AuthStrategy> = {
    tokenAuth: (allowInsecureHttp) => tokenAuth("ghp_TESTONLY0000000000000000000000000001", { allowInsecureHttp }),
    oauthAppAuth: (allowInsecureHttp) => oauthAppAuth({ clientId: "Iv1.x", clientSecret: "s3cret-TESTONLY", allowInsecureHttp }),
    basicAuth: (allowInsecureHttp) => basicAuth({ username: "u", password: "pw-TESTONLY", allowInsecureHttp }),
    appAuth: (allowInsecureHttp) => appAuth({ appId: APP_ID, privateKey: PKCS1_KEY, allowInsecureHttp }),
    installationAuth: (allowInsecureHttp) =>
      installationAuth({ appId: APP_ID, privateKey: PKCS1_KEY, installationId: INSTALLATION_ID, allowInsecureHttp }),
    appRouteAuth: (allowInsecureHttp) => appRouteAuth({ appId: APP_ID, privateKey: PKCS1_KEY, installationId: INSTALLATION_ID, allowInsecureHttp }),
    appInstallationsAuth: (allowInsecureHttp) =>
      appInstallationsAuth({ appId: APP_ID, privateKey: PKCS1_KEY, installationId: () => INSTALLATION_ID, allowInsecureHttp }),
  };
  // No network here: a fetch passed in records what would have been sent.
  const recorder = () => {
    const sent: Request[] = [];
    const fetch = async (request: Request) => {
      sent.push(request);
      if (request.url.endsWith("/access_tokens")) {
        return new Response(JSON.stringify({ token: "ghs_TESTONLYrecorded01", expires_at: new Date(Date.now() + 3600_000).toISOString() }), { status: 201 });
      }
      return new Response("{}", { status: 200, headers: { "Content-Type": "application/json" } });
    };
    return { sent, fetch };
  };

  it.each(Object.keys(strategies))("%s refuses http://ghes.example.com before sending anything", async (name) => {
    const { sent, fetch } = recorder();
    const error = await clientOn("http://ghes.example.com/api/v3", strategies[name]!(), fetch).GET("/app").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GhesAuthError);
    expect(error).toMatchObject({ code: "INSECURE_TRANSPORT" });
    expect((error as Error).message).toContain("allowInsecureHttp: true");
    expect(sent).toHaveLength(0);
  });

  it.each(["http://ghes.localhost/api/v3", "http://api.ghes.localhost:8080/api/v3", "http://localhost.example.com/api/v3"])(
    "counts only literal loopback addresses and localhost as loopback, not %s",
    async (baseUrl) => {
      const { sent, fetch } = recorder();
      const error = await clientOn(baseUrl, strategies.tokenAuth!(), fetch).GET("/app").catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "INSECURE_TRANSPORT" });
      expect(sent).toHaveLength(0);
    },
  );

  it.each(Object.keys(strategies))("%s on an era client refuses http://ghes.example.com before sending anything", async (name) => {
    const { sent, fetch } = recorder();
    const github = createEraClient({ baseUrl: "http://ghes.example.com/api/v3", auth: strategies[name]!(), fetch });
    const error = await github.GET("/app").catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "INSECURE_TRANSPORT" });
    expect(sent).toHaveLength(0);
  });

  it.each(Object.keys(strategies))("%s sends with allowInsecureHttp: true, and over https:// or to loopback without it", async (name) => {
    for (const [baseUrl, optIn] of [["http://ghes.example.com", true], ["https://ghes.example.com", false], ["http://localhost:8080", false], ["http://[::1]:8080", false]] as const) {
      const { sent, fetch } = recorder();
      const { response } = await clientOn(baseUrl, strategies[name]!(optIn), fetch).GET("/app");
      expect(response.status).toBe(200);
      expect(sent.at(-1)!.headers.get("authorization")).toBeTruthy();
    }
  });

  it("refuses a non-boolean allowInsecureHttp at construction", () => {
    expect(() => tokenAuth("ghp_x1234567", { allowInsecureHttp: "yes" as never })).toThrow(/option `allowInsecureHttp` must be true or false/);
  });
});
