// What a hostile or misconfigured server can still take, and the errors of the most common mistakes:
// every secret the request carried redacted from every error, pagination that cannot loop, and errors
// that name the cause and the fix from what the server said (its version header, its web 404, the
// socket error code). Servers on 127.0.0.1.
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createEraClient, createPaginate, detectGhes, GhesRequestError, GhesSdkError, type EraDefinition } from "../src/index.js";
import { def, json, looseClient, serve, token, type Server } from "./support/server.js";

let server: Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const settle = (p: Promise<unknown>) => p.then((v) => v, (e: unknown) => e);
const PASSWORD = "hunter2-correct-horse";
const CLIENT_SECRET = "s3cret-not-shaped-like-a-token"; // no token shape: only the body rule redacts it
const OTP = "918273";

describe("secrets the request carried never reach an error", () => {
  it("a 2xx that is not JSON (a proxy echoing the request) has the Basic password, its base64 and body credentials redacted", async () => {
    server = await serve((req, res) => {
      let body = "";
      req.removeAllListeners("data");
      req.on("data", (c: Buffer) => (body += c));
      req.on("end", () => {
        res.writeHead(200, { "content-type": "text/plain" });
        res.end(`you sent ${req.headers.authorization} and ${body} and otp ${req.headers["x-github-otp"]}`);
      });
    });
    const basic = `Basic ${btoa(`octocat:${PASSWORD}`)}`;
    const error = await settle(
      looseClient(def, { baseUrl: server.baseUrl }).POST("/app/hook/config", {
        headers: { authorization: basic, "x-github-otp": OTP },
        body: { client_secret: CLIENT_SECRET, access_token: token },
      }),
    );
    expect(error).toBeInstanceOf(GhesRequestError);
    expect(error).toMatchObject({ code: "INVALID_BODY" });
    const message = (error as Error).message;
    expect(message).toContain("you sent");
    for (const secret of [PASSWORD, btoa(`octocat:${PASSWORD}`), CLIENT_SECRET, token, OTP]) expect(message).not.toContain(secret);
  });

  it("an OTP echoed in an error body is redacted", async () => {
    server = await serve((req, res) => json(res, 401, { message: `bad one-time password ${req.headers["x-github-otp"]}` }));
    const { error } = await looseClient(def, { baseUrl: server.baseUrl }).GET("/app", { headers: { "x-github-otp": OTP } });
    expect(error.message).toContain("bad one-time password [REDACTED]");
  });
});

describe("errors of the common mistakes say what to do", () => {
  const era = (name: EraDefinition["name"], ghes: EraDefinition["ghes"], packageName: string): EraDefinition => ({ ...def, name, ghes, packageName });

  it("a client of one era on a server of another is told which package serves it", async () => {
    server = await serve((_req, res) => json(res, 415, { message: "Unsupported 'Accept' header" }, { "x-github-enterprise-version": "2.22.5" }));
    const v3 = era("ghes-3.x", { since: "3.0", until: "3.8" }, "@ghes-sdk/ghes-3.x");
    const { error } = await looseClient(v3, { baseUrl: server.baseUrl }).GET("/app");
    expect(error.message).toBe("Unsupported 'Accept' header (this server is GHES 2.22.5, which @ghes-sdk/ghes-3.x does not serve: use @ghes-sdk/ghes-2.2x)");
    const newest = era("ghes-2022-11-28", { since: "3.9" }, "@ghes-sdk/ghes-2022-11-28");
    server.close();
    server = await serve((_req, res) => json(res, 400, { message: "Invalid API version" }, { "x-github-enterprise-version": "3.6.1" }));
    const thrown = await settle(looseClient(newest, { baseUrl: server.baseUrl }).GET("/app").then(({ error }) => error));
    expect((thrown as { message: string }).message).toContain("use @ghes-sdk/ghes-3.x");
  });

  it("where two eras serve a version (GHES 3.21+), the hint names both with their REST API versions", async () => {
    server = await serve((_req, res) => json(res, 415, { message: "Unsupported 'Accept' header" }, { "x-github-enterprise-version": "3.22.0" }));
    const v3 = era("ghes-3.x", { since: "3.0", until: "3.8" }, "@ghes-sdk/ghes-3.x");
    const { error } = await looseClient(v3, { baseUrl: server.baseUrl }).GET("/app");
    expect(error.message).toBe(
      "Unsupported 'Accept' header (this server is GHES 3.22.0, which @ghes-sdk/ghes-3.x does not serve: use @ghes-sdk/ghes-2022-11-28 (REST API 2022-11-28) or @ghes-sdk/ghes-2026-03-10 (REST API 2026-03-10))",
    );
    // A 2026-03-10 client on a GHES that does not know that version yet: the one era that serves it.
    server.close();
    server = await serve((_req, res) => json(res, 400, { message: "not a supported version" }, { "x-github-enterprise-version": "3.20.2" }));
    const next = era("ghes-2026-03-10", { since: "3.21" }, "@ghes-sdk/ghes-2026-03-10");
    const { error: tooOld } = await looseClient(next, { baseUrl: server.baseUrl }).GET("/app");
    expect(tooOld.message).toBe("not a supported version (this server is GHES 3.20.2, which @ghes-sdk/ghes-2026-03-10 does not serve: use @ghes-sdk/ghes-2022-11-28)");
  });

  it("a baseUrl without /api/v3 gets the web UI's 404 page: the error says to add /api/v3", async () => {
    server = await serve((_req, res) => {
      res.writeHead(404, { "content-type": "text/html; charset=utf-8", "x-github-enterprise-version": "3.9.0" });
      res.end("<!DOCTYPE html><html><title>Page not found · GitHub</title></html>");
    });
    const base = server.baseUrl.replace("/api/v3", "");
    const github = createEraClient<any>(def, { baseUrl: base });
    const { error, response } = await github.GET("/app", {});
    expect(response.status).toBe(404);
    expect(error.message).toMatch(/web page, not the REST API; does baseUrl end with \/api\/v3 \(http:\/\/127\.0\.0\.1:\d+\/api\/v3\)\?/);
  });

  it("a refused connection names ECONNREFUSED and asks whether GHES listens there", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as { port: number };
    await new Promise((resolve) => probe.close(resolve));
    const error = await settle(looseClient(def, { baseUrl: `http://127.0.0.1:${port}/api/v3`, retry: false }).GET("/app"));
    expect(error).toMatchObject({ code: "NETWORK" });
    expect((error as Error).message).toContain("failed (ECONNREFUSED): the connection was refused: is GHES listening at this host and port (baseUrl)?");
  });

  it("an untrusted certificate says how to pass a CA", async () => {
    const cause = Object.assign(new Error("self-signed certificate in certificate chain"), { code: "SELF_SIGNED_CERT_IN_CHAIN" });
    const failing = async () => {
      throw new TypeError("fetch failed", { cause });
    };
    const error = await settle(looseClient(def, { baseUrl: "https://ghes.example.com/api/v3", retry: false, fetch: failing }).GET("/app"));
    expect((error as Error).message).toContain("(SELF_SIGNED_CERT_IN_CHAIN): the server's TLS certificate is not trusted: pass your GHES's CA with requestInitExt");
  });
});

describe("paginate cannot loop", () => {
  const paginate = createPaginate(def.packageName, { "/app/installations": null });
  const operations = { ...def.operations, "apps/list-installations": { method: "get" as const, path: "/app/installations" } };
  const listEra: EraDefinition = { ...def, operations };

  it.each([
    ["the same URL", (url: string) => `<${url}>; rel="next"`],
    ["an empty URL", () => `<>; rel="next"`],
  ])("stops with an error when the next link is %s", async (_name, link) => {
    server = await serve((req, res) => json(res, 200, [{ id: 1 }], { link: link(`http://127.0.0.1${req.url}`.replace("127.0.0.1", req.headers.host!)) }));
    const github = createEraClient<any>(listEra, { baseUrl: server.baseUrl });
    const error = await settle((async () => {
      for await (const _ of paginate(github as never, "/app/installations" as never, {} as never)) void _;
    })());
    expect(error).toBeInstanceOf(GhesSdkError);
    expect((error as Error).message).toContain("is one already read");
    expect(server.requests).toHaveLength(1);
  });

  it("stops after maxPages with an error saying how to read more", async () => {
    server = await serve((req, res) => {
      const page = Number(new URL(req.url!, "http://x").searchParams.get("page") ?? "1");
      json(res, 200, [{ id: page }], { link: `<http://${req.headers.host}/api/v3/app/installations?page=${page + 1}>; rel="next"` });
    });
    const github = createEraClient<any>(listEra, { baseUrl: server.baseUrl });
    const seen: unknown[] = [];
    const error = await settle((async () => {
      for await (const item of paginate(github as never, "/app/installations" as never, { maxPages: 3 } as never)) seen.push(item);
    })());
    expect(seen).toHaveLength(3);
    expect((error as Error).message).toContain("stopped after 3 pages of /app/installations; pass { maxPages } to read more");
  });
});

describe("an App JWT the server cannot decode", () => {
  it("says the key does not belong to the App", async () => {
    server = await serve((_req, res) => json(res, 401, { message: "A JSON web token could not be decoded", documentation_url: "https://docs.github.com/enterprise-server@3.9/rest" }));
    const { error } = await looseClient(def, { baseUrl: server.baseUrl }).GET("/app", { headers: { authorization: "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln" } });
    expect(error.message).toBe(
      "A JSON web token could not be decoded (the App JWT was not signed by this App's key: check appId and that privateKey is the key downloaded from that App's settings page)",
    );
  });
});

describe("retry.limit is a hard cap", () => {
  it("onRateLimit answering true retries within the limit only: a 429 storm ends", async () => {
    server = await serve((_req, res) => json(res, 429, { message: "API rate limit exceeded" }, { "retry-after": "0" }));
    const heard: boolean[] = [];
    const github = looseClient(def, {
      baseUrl: server.baseUrl,
      timeout: Number.POSITIVE_INFINITY,
      retry: { limit: 2 },
      onRateLimit: (info) => (heard.push(info.willRetry), true),
    });
    const { response } = await github.GET("/app");
    expect(response.status).toBe(429);
    expect(server.requests).toHaveLength(3);
    expect(heard).toEqual([true, true, false]);
  });
});

describe("detectGhes on a URL without /api/v3", () => {
  it("says it is the web UI and which URL to use", async () => {
    server = await serve((_req, res) => {
      res.writeHead(404, { "content-type": "text/html", "x-github-enterprise-version": "3.9.2" });
      res.end("<html>Page not found</html>");
    });
    const base = server.baseUrl.replace("/api/v3", "");
    const error = await settle(detectGhes({ baseUrl: base }));
    expect(error).toBeInstanceOf(GhesSdkError);
    expect((error as Error).message).toMatch(/is GHES 3\.9\.2's web UI, not its REST API: use http:\/\/127\.0\.0\.1:\d+\/api\/v3/);
  });
});
