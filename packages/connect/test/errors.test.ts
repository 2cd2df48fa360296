// Bad input and servers connect cannot serve: each error names the problem and the fix, never a secret.
import { appAuth, tokenAuth } from "@ghes-sdk/auth";
import { eraRanges, GhesRequestError } from "@ghes-sdk/core";
import { startEmulator, type Emulator } from "@ghes-sdk/emulator";
import * as ghes2022 from "@ghes-sdk/ghes-2022-11-28";
import * as ghes3x from "@ghes-sdk/ghes-3.x";
import { generateKeyPairSync } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { apiRoot, connect, createConnect, type EraSources } from "../src/index.js";

const TOKEN = "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB";
const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
// Every era core knows, as the messages list them (an era added by `npm run new-era` joins the list); the
// first three are spelt out so the format itself is checked.
const SUPPORTED = eraRanges
  .map((r) => `${r.until ? `${r.since}–${r.until}` : `${r.since} and later`} (${r.packageName}${/^ghes-\d{4}-/.test(r.era) ? `, REST API ${r.era.slice(5)}` : ""})`)
  .join(", ");
const API_VERSIONS = eraRanges.filter((r) => /^ghes-\d{4}-/.test(r.era)).map((r) => JSON.stringify(r.era.slice(5)));
it("lists the eras as GHES ranges with their packages", () => {
  expect(SUPPORTED).toMatch(/^2\.20–2\.22 \(@ghes-sdk\/ghes-2\.2x\), 3\.0–3\.8 \(@ghes-sdk\/ghes-3\.x\), 3\.9 and later \(@ghes-sdk\/ghes-2022-11-28, REST API 2022-11-28\)/);
});

/** What connect threw, as its message (and the error itself for more checks). */
async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

describe("apiRoot: the forms a baseUrl may take", () => {
  it.each([
    ["ghes.example.com", "https://ghes.example.com/api/v3"],
    ["  ghes.example.com/  ", "https://ghes.example.com/api/v3"],
    ["ghes.example.com:8443", "https://ghes.example.com:8443/api/v3"],
    ["ghes.example.com/api/v3", "https://ghes.example.com/api/v3"],
    ["https://ghes.example.com", "https://ghes.example.com/api/v3"],
    ["https://ghes.example.com/", "https://ghes.example.com/api/v3"],
    ["https://ghes.example.com/api/v3", "https://ghes.example.com/api/v3"],
    ["https://ghes.example.com/api/v3/", "https://ghes.example.com/api/v3"],
    ["HTTPS://GHES.example.com", "https://ghes.example.com/api/v3"],
    ["http://127.0.0.1:8080", "http://127.0.0.1:8080/api/v3"],
    ["[::1]:3000", "https://[::1]:3000/api/v3"],
  ])("%j → %s", (input, expected) => {
    expect(apiRoot(input)).toBe(expected);
  });

  it.each([
    [undefined, /^@ghes-sdk\/connect: options\.baseUrl is required: the GHES host \(ghes\.example\.com\) or its REST API root/],
    ["", /options\.baseUrl is required/],
    ["   ", /options\.baseUrl is required/],
    [42, /options\.baseUrl is required/],
    ["ftp://ghes.example.com", /options\.baseUrl uses ftp:, which is not how GHES serves its API: use https:\/\//],
    ["wss://ghes.example.com/api/v3", /uses wss:/],
    ["https://ghes.example.com/enterprise", /has the path "\/enterprise", which is neither the host's root nor \/api\/v3: pass https:\/\/ghes\.example\.com or https:\/\/ghes\.example\.com\/api\/v3$/],
    ["https://ghes.example.com/api/v4", /has the path "\/api\/v4"/],
    ["https://ghes.example.com/api/v3?per_page=1", /must not have a query string or fragment/],
    ["https://ghes.example.com/#top", /must not have a query string or fragment/],
    ["https://octocat:hunter2@ghes.example.com", /must not carry credentials; pass them with options\.auth/],
    ["https://ghes example.com", /is not an absolute URL/],
  ])("refuses %j", (input, message) => {
    expect(() => apiRoot(input)).toThrow(message);
  });

  it("never echoes a password or a token from the URL", () => {
    for (const input of [`https://octocat:${TOKEN}@ghes.example.com/api/v3`, `https://ghes.example.com/api/v3?access_token=${TOKEN}`, `https://${TOKEN}@ghes.example.com/x`]) {
      expect(() => apiRoot(input)).toThrow();
      try {
        apiRoot(input);
      } catch (error) {
        expect(String(error)).not.toContain(TOKEN.slice(4));
      }
    }
  });
});

/** A server on 127.0.0.1 that answers every request with `status`, `headers` and `body`: not GHES, or a GHES no era serves. */
async function fakeServer(status: number, headers: Record<string, string>, body: string) {
  const server: Server = createServer((_req, res) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe("servers outside every era", () => {
  it.each(["2.19", "2.19.3", "1.8", "0.9"])("GHES %s: the error says which versions are supported", async (version) => {
    const server = await fakeServer(200, { "X-GitHub-Enterprise-Version": version }, JSON.stringify({ installed_version: version }));
    try {
      const error = await failure(connect({ baseUrl: server.url, auth: tokenAuth(TOKEN) }));
      expect(error.message).toBe(`@ghes-sdk/connect: GHES ${version} is not served by this SDK: connect serves GHES ${SUPPORTED}`);
    } finally {
      await server.close();
    }
  });

  it("not GHES (github.com's /meta has no version): the error says so and which versions are supported", async () => {
    const server = await fakeServer(200, {}, JSON.stringify({ verifiable_password_authentication: true, hooks: [] }));
    try {
      const error = await failure(connect({ baseUrl: server.url, auth: tokenAuth(TOKEN) }));
      expect(error.message).toBe(
        `@ghes-sdk/connect: ${server.url}/api/v3 answered GET /meta with 200 and no GHES version (no X-GitHub-Enterprise-Version, no installed_version): it is not a GitHub Enterprise Server's REST API. connect serves GHES ${SUPPORTED}`,
      );
      expect(error.cause).toBeInstanceOf(GhesRequestError);
    } finally {
      await server.close();
    }
  });

  it("a version header carrying a token is redacted before it reaches a message", async () => {
    const server = await fakeServer(200, { "X-GitHub-Enterprise-Version": `1.0-${TOKEN}` }, "{}");
    try {
      const error = await failure(connect({ baseUrl: server.url }));
      expect(error.message).toMatch(/^@ghes-sdk\/connect: GHES 1\.0-\[REDACTED\] is not served by this SDK/);
      expect(inspect(error)).not.toContain(TOKEN);
    } finally {
      await server.close();
    }
  });

  it("a server that cannot be reached is a NETWORK GhesRequestError, as detectGhes reports it", async () => {
    const server = await fakeServer(200, {}, "{}");
    await server.close();
    const error = await failure(connect({ baseUrl: server.url }));
    expect(error).toBeInstanceOf(GhesRequestError);
    expect((error as GhesRequestError).code).toBe("NETWORK");
  });

  it("detection is held to the timeout option: a server that never answers is a TIMEOUT", async () => {
    const sockets = new Set<import("node:net").Socket>();
    const silent = createServer(() => undefined); // accepts, reads, never answers
    silent.on("connection", (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const error = await failure(connect({ baseUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, timeout: 200 }));
      expect(error).toBeInstanceOf(GhesRequestError);
      expect((error as GhesRequestError).code).toBe("TIMEOUT");
      expect(error.message).toMatch(/detecting the GHES version timed out after 200 ms/);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it("an aborted signal stops detection", async () => {
    const error = await failure(connect({ baseUrl: "http://127.0.0.1:9", signal: AbortSignal.abort() }));
    expect((error as GhesRequestError).code).toBe("ABORTED");
  });
});

describe("against emulators", () => {
  let ghes3: Emulator;
  let ghes2022server: Emulator;
  let app: { id: number };
  beforeAll(async () => {
    ghes3 = await startEmulator({ era: "ghes-3.x", ghesVersion: "3.4" });
    ghes2022server = await startEmulator({ era: "ghes-2022-11-28", ghesVersion: "3.12" });
    app = ghes3.state.createApp({ name: "Secret keeper", privateKeyPem: privateKey });
  });
  afterAll(async () => {
    await ghes3.close();
    await ghes2022server.close();
  });

  it("apiVersion a server does not serve: names the versions that do", async () => {
    const error = await failure(connect({ baseUrl: ghes3.baseUrl, apiVersion: "2022-11-28" }));
    expect(error.message).toBe(
      "@ghes-sdk/connect: GHES 3.4 does not serve REST API version 2022-11-28 (it predates REST API versions); 2022-11-28 is served by GHES 3.9 and later (@ghes-sdk/ghes-2022-11-28, REST API 2022-11-28). Leave options.apiVersion out to use the server's default",
    );
  });

  it("apiVersion 2022-11-28 on a 3.9+ server is the 2022-11-28 era", async () => {
    const gh = await connect({ baseUrl: ghes2022server.baseUrl, apiVersion: "2022-11-28" });
    expect([gh.era, gh.apiVersion]).toEqual(["ghes-2022-11-28", "2022-11-28"]);
  });

  it("an apiVersion no era is named by: lists those that are", async () => {
    const error = await failure(connect({ baseUrl: ghes3.baseUrl, apiVersion: "2021-01-01" as "2022-11-28" }));
    expect(error.message).toBe(`@ghes-sdk/connect: options.apiVersion must be one of ${API_VERSIONS.join(", ")}, or left out for the server's default`);
    expect(API_VERSIONS[0]).toBe('"2022-11-28"');
  });

  it("createConnect with eras that do not serve the server: names the package to add", async () => {
    const only = createConnect({ "ghes-2022-11-28": ghes2022 });
    const error = await failure(only({ baseUrl: ghes3.baseUrl }));
    expect(error.message).toBe(
      '@ghes-sdk/connect: GHES 3.4 is served by @ghes-sdk/ghes-3.x, which this connect was not given (it has ghes-2022-11-28): add "ghes-3.x" to createConnect\'s eras, or use connect, which has every era',
    );
    const both = createConnect({ "ghes-2022-11-28": ghes2022, "ghes-3.x": () => import("@ghes-sdk/ghes-3.x") });
    expect((await both({ baseUrl: ghes3.baseUrl })).era).toBe("ghes-3.x");
  });

  it.each<[string, unknown, RegExp]>([
    ["an array", [ghes3x], /createConnect needs an object of eras by name, e\.g\. \{ "ghes-3\.x": ghes3x \}/],
    ["no eras", {}, /createConnect needs at least one era; the eras are ghes-2\.2x, ghes-3\.x, ghes-2022-11-28/],
    ["an unknown era", { "ghes-4.x": ghes3x }, /createConnect: "ghes-4\.x" is not an era of this SDK; the eras are/],
    ["another era's package", { "ghes-2022-11-28": ghes3x }, /createConnect: eras\["ghes-2022-11-28"\] is @ghes-sdk\/ghes-3\.x, not @ghes-sdk\/ghes-2022-11-28/],
    ["not a package", { "ghes-3.x": {} }, /eras\["ghes-3\.x"\] must be the era package \(import \* as era from "@ghes-sdk\/ghes-3\.x"\) or a function that imports it/],
  ])("createConnect refuses %s", (_, eras, message) => {
    expect(() => createConnect(eras as EraSources)).toThrow(message);
  });

  it("imports only the era of the server it meets", async () => {
    const loaded: string[] = [];
    const lazy = createConnect({
      "ghes-2.2x": () => (loaded.push("ghes-2.2x"), import("@ghes-sdk/ghes-2.2x")),
      "ghes-3.x": () => (loaded.push("ghes-3.x"), import("@ghes-sdk/ghes-3.x")),
      "ghes-2022-11-28": () => (loaded.push("ghes-2022-11-28"), import("@ghes-sdk/ghes-2022-11-28")),
    });
    expect((await lazy({ baseUrl: ghes3.baseUrl })).era).toBe("ghes-3.x");
    expect((await lazy({ baseUrl: ghes2022server.baseUrl })).era).toBe("ghes-2022-11-28");
    expect(loaded).toEqual(["ghes-3.x", "ghes-2022-11-28"]);
  });

  it("a loader that imports the wrong package is refused once loaded", async () => {
    const wrong = createConnect({ "ghes-3.x": () => import("@ghes-sdk/ghes-2022-11-28") } as unknown as EraSources);
    await expect(wrong({ baseUrl: ghes3.baseUrl })).rejects.toThrow(/eras\["ghes-3\.x"\] is @ghes-sdk\/ghes-2022-11-28, not @ghes-sdk\/ghes-3\.x/);
  });

  it("options connect sets itself are refused, naming what to do", async () => {
    await expect(connect({ baseUrl: ghes3.baseUrl, ghesVersion: "3.4" } as never)).rejects.toThrow(
      "@ghes-sdk/connect: options.ghesVersion is not an option of connect: it detects the server's version and creates the client with it",
    );
    await expect(connect({ baseUrl: ghes3.baseUrl, eras: {} } as never)).rejects.toThrow(/options\.eras is not an option of connect: pass the eras to createConnect/);
    await expect(connect(undefined as never)).rejects.toThrow(/connect needs an options object with a baseUrl/);
    // createClient's own checks apply to the rest, with their messages.
    await expect(connect({ baseUrl: ghes3.baseUrl, timout: 5 } as never)).rejects.toThrow(/options\.timout is not an option of createClient: did you mean timeout\?/);
  });

  it("the caller's fetch and requestInitExt carry detection and the client's calls", async () => {
    const seen: [string, unknown][] = [];
    const authorization: (string | null)[] = [];
    const marker = { keepalive: true };
    const gh = await connect({
      baseUrl: new URL(ghes3.baseUrl).origin,
      auth: appAuth({ appId: app.id, privateKey }),
      requestInitExt: marker,
      fetch: (request, init) => {
        seen.push([new URL(request.url).pathname, init]);
        authorization.push(request.headers.get("authorization"));
        return globalThis.fetch(request, init);
      },
    });
    if (gh.era !== "ghes-3.x") throw new Error(gh.era);
    await gh.client.GET("/app");
    expect(seen).toEqual([
      ["/api/v3/meta", marker],
      ["/api/v3/app", marker],
    ]);
    // Detection is unauthenticated: credentials go only with the era client's calls.
    expect(authorization.map((a) => a?.split(" ")[0] ?? null)).toEqual([null, "Bearer"]);
  });

  it("creates the client with the detected version: a call that version does not serve warns first", async () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    try {
      // deprecationWarnings: false goes on to createClient: the version warning is the only one.
      const gh = await connect({ baseUrl: ghes3.baseUrl, deprecationWarnings: false });
      if (gh.era !== "ghes-3.x") throw new Error(gh.era);
      // Served until GHES 3.3: the 3.4 server answers 404, and the client said why before sending.
      const { response } = await gh.client.GET("/applications/{client_id}/tokens/{access_token}", { params: { path: { client_id: "Iv1.0", access_token: "x" } } });
      expect(response.status).toBe(404);
      expect(warn.mock.calls.map(([message]) => String(message))).toEqual([
        "@ghes-sdk/ghes-3.x: GHES 3.4 does not serve apps/check-authorization: it is served by GHES 2.20 to 3.3; the request is sent anyway",
      ]);
    } finally {
      warn.mockRestore();
    }
  });

  it("plain http to a host that is not loopback: detection runs, auth refuses to send the credentials", async () => {
    // A fetch that carries http://ghes.internal to the emulator, as a resolver would.
    const target = new URL(ghes3.baseUrl);
    const fetch = (request: Request, init?: Record<string, unknown>) => {
      const url = new URL(request.url);
      url.host = target.host;
      return globalThis.fetch(new Request(url, request), init);
    };
    const gh = await connect({ baseUrl: "http://ghes.internal", auth: appAuth({ appId: app.id, privateKey }), fetch });
    expect([gh.era, gh.baseUrl]).toEqual(["ghes-3.x", "http://ghes.internal/api/v3"]);
    if (gh.era !== "ghes-3.x") throw new Error(gh.era);
    await expect(gh.client.GET("/app")).rejects.toThrow(/refusing to send credentials over plain http:\/\/ to http:\/\/ghes\.internal; use https:\/\/, or pass allowInsecureHttp: true/);
  });

  it("a private-mode GHES (401 to anyone without credentials, with its version) is detected", async () => {
    const server = await fakeServer(401, { "X-GitHub-Enterprise-Version": "3.4.2" }, JSON.stringify({ message: "Must authenticate to access this API." }));
    try {
      const gh = await connect({ baseUrl: server.url });
      expect([gh.era, gh.version, gh.featureRelease]).toEqual(["ghes-3.x", "3.4.2", "3.4"]);
    } finally {
      await server.close();
    }
  });

  it("secrets stay out of what connect answers and of its errors", async () => {
    const gh = await connect({ baseUrl: ghes3.baseUrl, auth: appAuth({ appId: app.id, privateKey }), headers: { "x-custom": TOKEN } });
    const pem = privateKey.split("\n")[1]!;
    expect(inspect(gh, { depth: 10 })).not.toContain(pem);
    const unsupported = await fakeServer(200, { "X-GitHub-Enterprise-Version": "2.19" }, "{}");
    try {
      for (const auth of [tokenAuth(TOKEN), appAuth({ appId: 1, privateKey })]) {
        const error = await failure(connect({ baseUrl: unsupported.url, auth, headers: { authorization: `token ${TOKEN}` } }));
        expect(inspect(error, { depth: 10 })).not.toContain(TOKEN);
        expect(inspect(error, { depth: 10 })).not.toContain(pem);
      }
    } finally {
      await unsupported.close();
    }
  });
});
