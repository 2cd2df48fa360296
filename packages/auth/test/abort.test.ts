// Issue 8, auth side: a request's AbortSignal or timeout ends everything auth waits on for it — a shared
// mint (the caller leaves, the mint goes on for the others), the clock-skew retry, the pause before a
// replication-lag retry, an on2fa prompt — within 50 ms, with a GhesRequestError naming the wait.
import { GhesRequestError } from "@ghes-sdk/core";
import createClient from "openapi-fetch";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createClient as createEraClient } from "@ghes-sdk/ghes-2022-11-28";
import { appAuth, appInstallationsAuth, basicAuth, installationAuth } from "../src/index.js";
import { APP_ID, INSTALLATION_ID, PKCS1_KEY, PUBLIC_KEY } from "./helpers/fixtures.js";
import { startFakeGhes, type FakeGhes } from "./helpers/ghes.js";
import type { LoosePaths } from "./helpers/paths.js";
import { sendJson, startServer, type TestServer } from "./helpers/server.js";

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

/** A client whose fetch holds every mint request until `release()`; the server answers it afterwards. */
function heldMintClient(ghes: FakeGhes, strategy: ReturnType<typeof installationAuth>) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const mintSignals: AbortSignal[] = [];
  const client = createClient<LoosePaths>({
    baseUrl: `${ghes.origin}/api/v3`,
    fetch: async (request) => {
      if (request.url.endsWith("/access_tokens")) {
        mintSignals.push(request.signal);
        await gate;
      }
      return fetch(request);
    },
  });
  client.use(strategy);
  return { client, release, mintSignals };
}

/** A fake GHES closed after the test, and a gate (opened after the test too) for a fetch to wait at. */
async function ghesWithGate() {
  const ghes = await startFakeGhes(PUBLIC_KEY, APP_ID);
  closers.push(() => ghes.close());
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  closers.push(async () => release());
  return { ghes, gate, release };
}

const auth = () => installationAuth({ appId: APP_ID, privateKey: PKCS1_KEY, installationId: INSTALLATION_ID });

/**
 * Aborts the call after `ms` and resolves to [error]. The work the call waits on (a held mint, a prompt)
 * never finishes before the test releases it, so a rejection at all shows the caller did not wait for it.
 */
async function abortAfter(ms: number, call: (signal: AbortSignal) => Promise<unknown>, ready: () => boolean = () => true): Promise<[unknown]> {
  const controller = new AbortController();
  const result = call(controller.signal).then(
    () => undefined,
    (error: unknown) => error,
  );
  // First the event the call must have reached (the mint sent, the prompt shown), then `ms` more.
  while (!ready()) await new Promise((resolve) => setTimeout(resolve, 5));
  await new Promise((resolve) => setTimeout(resolve, ms));
  controller.abort();
  return [await result];
}

describe("an aborted caller leaves a shared installation-token mint at once", () => {
  it("the aborted one gets ABORTED while the mint is held; the others still get the one token", async () => {
    const ghes = await startFakeGhes(PUBLIC_KEY, APP_ID);
    closers.push(() => ghes.close());
    const { client, release, mintSignals } = heldMintClient(ghes, auth());
    const others = [client.GET("/installation/repositories"), client.GET("/installation/repositories")];
    const [error] = await abortAfter(50, (signal) => client.GET("/installation/repositories", { signal }), () => mintSignals.length === 1);
    expect(error).toBeInstanceOf(GhesRequestError);
    expect(error).toMatchObject({ code: "ABORTED", status: 0, method: "GET", url: `${ghes.origin}/api/v3/installation/repositories` });
    expect((error as Error).message).toContain("was aborted while waiting for the installation token of installation 77");
    release();
    const results = await Promise.all(others);
    expect(results.map((r) => r.response.status)).toEqual([200, 200]);
    expect(ghes.mintRequests).toHaveLength(1);
  });

  it("a timeout signal gives TIMEOUT while the mint is held", async () => {
    const ghes = await startFakeGhes(PUBLIC_KEY, APP_ID);
    closers.push(() => ghes.close());
    const { client, release } = heldMintClient(ghes, auth());
    closers.push(async () => release());
    const error = await client.GET("/installation/repositories", { signal: AbortSignal.timeout(200) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "GhesRequestError", code: "TIMEOUT" });
    expect((error as Error).message).toMatch(/GET .*\/installation\/repositories timed out while waiting for the installation token/);
  });

  it("when every caller has left, the mint request itself is aborted, and the next call mints afresh", async () => {
    const ghes = await startFakeGhes(PUBLIC_KEY, APP_ID);
    closers.push(() => ghes.close());
    const { client, release, mintSignals } = heldMintClient(ghes, auth());
    const [error] = await abortAfter(0, (signal) => client.GET("/installation/repositories", { signal }), () => mintSignals.length === 1);
    expect(error).toMatchObject({ code: "ABORTED" });
    expect(mintSignals).toHaveLength(1);
    expect(mintSignals[0]!.aborted).toBe(true);
    release();
    const { response } = await client.GET("/installation/repositories");
    expect(response.status).toBe(200);
    expect(mintSignals).toHaveLength(2);
  });
});

describe("an era client's calls waiting behind a mint", () => {
  it("share one mint, leave at their timeout with TIMEOUT, and the last one to leave stops the mint", async () => {
    const { ghes, gate, release } = await ghesWithGate();
    const mintSignals: AbortSignal[] = [];
    const github = createEraClient({
      baseUrl: `${ghes.origin}/api/v3`,
      auth: auth(),
      timeout: 400,
      fetch: async (request) => {
        if (request.url.endsWith("/access_tokens")) {
          mintSignals.push(request.signal);
          await gate;
        }
        return fetch(request);
      },
    });
    const calls = Array.from({ length: 50 }, () => github.GET("/installation/repositories").catch((e: unknown) => e));
    const errors = await Promise.all(calls);
    // One mint for the 50 calls; each left at its own timeout (the mint never ends here).
    expect(mintSignals).toHaveLength(1);
    for (const error of errors) {
      expect(error).toMatchObject({ name: "GhesRequestError", code: "TIMEOUT", method: "GET" });
      expect((error as Error).message).toContain("timed out");
    }
    expect(mintSignals[0]!.aborted).toBe(true);
    release();
  });
});

describe("an era client's concurrency limit", () => {
  it("a request holding the only slot does not hold up another request's token mint", async () => {
    const { ghes, gate, release } = await ghesWithGate();
    const github = createEraClient({
      baseUrl: `${ghes.origin}/api/v3`,
      maxConcurrency: 1,
      // per_page picks the installation: 1 and 2 each need a mint of their own.
      auth: appInstallationsAuth({ appId: APP_ID, privateKey: PKCS1_KEY, installationId: ({ url }) => Number(new URL(url).searchParams.get("per_page")) }),
      fetch: async (request) => {
        if (request.url.endsWith("per_page=1")) await gate;
        return fetch(request);
      },
    });
    const holder = github.GET("/installation/repositories", { params: { query: { per_page: 1 } } });
    await vi.waitFor(() => expect(ghes.mintRequests).toHaveLength(1));
    const other = github.GET("/installation/repositories", { params: { query: { per_page: 2 } } });
    // Installation 2's mint is auth's own request: it goes out while the only slot is held...
    await vi.waitFor(() => expect(ghes.mintRequests).toHaveLength(2));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // ...and the request it was for waits for the slot.
    expect(ghes.received.filter((r) => r.url.includes("per_page=2"))).toHaveLength(0);
    release();
    const [a, b] = await Promise.all([holder, other]);
    expect([a.response.status, b.response.status]).toEqual([200, 200]);
    expect(ghes.minted.map((t) => t.installationId)).toEqual([1, 2]);
  });
});

describe("every other wait ends with the caller's signal", () => {
  it("the pause before retrying a 401 right after minting", async () => {
    const ghes = await startFakeGhes(PUBLIC_KEY, APP_ID);
    closers.push(() => ghes.close());
    ghes.lagFreshTokens = 1;
    const client = createClient<LoosePaths>({ baseUrl: ghes.origin });
    client.use(auth());
    // Aborted once the server has answered the first attempt (401): the retry would follow 500 ms later.
    const controller = new AbortController();
    const pending = client.GET("/installation/repositories", { signal: controller.signal }).catch((e: unknown) => e);
    while (ghes.received.filter((r) => !r.url.endsWith("/access_tokens")).length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();
    const error = await pending;
    expect(error).toMatchObject({ code: "ABORTED" });
    expect((error as Error).message).toContain("pausing before retrying a 401 right after minting");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(ghes.received.filter((r) => !r.url.endsWith("/access_tokens"))).toHaveLength(1);
  });

  it("the clock-skew retry (a server that never answers it)", async () => {
    let calls = 0;
    const server: TestServer = await startServer((_req, res) => {
      calls += 1;
      if (calls === 1) {
        return sendJson(res, 401, { message: "'Expiration time' claim ('exp') is too far in the future" }, {
          Date: new Date(Date.now() - 3600_000).toUTCString(),
        });
      }
      // The retry hangs.
    });
    closers.push(() => server.close());
    const client = createClient<LoosePaths>({ baseUrl: server.origin });
    client.use(appAuth({ appId: APP_ID, privateKey: PKCS1_KEY }));
    const [error] = await abortAfter(0, (signal) => client.GET("/app", { signal }), () => calls === 2);
    expect(calls).toBe(2);
    expect(error).toMatchObject({ name: "GhesRequestError", code: "ABORTED" });
  });

  it("an on2fa prompt that never resolves; on2fa's own signal fires", async () => {
    const server = await startServer((_req, res) =>
      sendJson(res, 401, { message: "Must specify two-factor authentication OTP code." }, { "X-GitHub-OTP": "required; app" }),
    );
    closers.push(() => server.close());
    let promptSignal: AbortSignal | undefined;
    const on2fa = vi.fn((_kind: string, { signal }: { signal: AbortSignal }) => {
      promptSignal = signal;
      return new Promise<string>(() => undefined);
    });
    const client = createClient<LoosePaths>({ baseUrl: server.origin });
    client.use(basicAuth({ username: "monalisa", password: "pw-1234", on2fa }));
    const [error] = await abortAfter(0, (signal) => client.POST("/authorizations", { body: {}, signal }), () => on2fa.mock.calls.length === 1);
    expect(on2fa).toHaveBeenCalledTimes(1);
    expect(error).toMatchObject({ name: "GhesRequestError", code: "ABORTED", method: "POST" });
    expect((error as Error).message).toContain("waiting for on2fa (the two-factor code)");
    expect(promptSignal?.aborted).toBe(true);
    // The abandoned prompt is not joined by the next request: it gets a prompt of its own.
    const [again] = await abortAfter(0, (signal) => client.POST("/authorizations", { body: {}, signal }), () => on2fa.mock.calls.length === 2);
    expect(again).toMatchObject({ code: "ABORTED" });
    expect(on2fa).toHaveBeenCalledTimes(2);
  });

  it("an already-aborted signal is refused before anything is sent", async () => {
    const server = await startServer((_req, res) => sendJson(res, 200, {}));
    closers.push(() => server.close());
    const client = createClient<LoosePaths>({ baseUrl: server.origin });
    client.use(auth());
    const error = await client.GET("/installation/repositories", { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "ABORTED" });
    expect(server.received).toHaveLength(0);
  });

  it("revoke({ signal }) stops waiting for a mint under way", async () => {
    const ghes = await startFakeGhes(PUBLIC_KEY, APP_ID);
    closers.push(() => ghes.close());
    const strategy = auth();
    const { client, release, mintSignals } = heldMintClient(ghes, strategy);
    const call = client.GET("/installation/repositories");
    await vi.waitFor(() => expect(mintSignals).toHaveLength(1));
    const [error] = await abortAfter(100, (signal) => strategy.revoke({ signal }));
    expect(error).toMatchObject({ code: "ABORTED", method: "DELETE" });
    release();
    expect((await call).response.status).toBe(200);
  });

  it("an era client's per-request timeout ends the on2fa wait and fires on2fa's signal", async () => {
    const server = await startServer((_req, res) =>
      sendJson(res, 401, { message: "Must specify two-factor authentication OTP code." }, { "X-GitHub-OTP": "required; sms" }),
    );
    closers.push(() => server.close());
    let promptSignal: AbortSignal | undefined;
    const github = createEraClient({
      baseUrl: server.origin,
      auth: basicAuth({
        username: "monalisa",
        password: "pw-1234",
        on2fa: (_kind, { signal }) => {
          promptSignal = signal;
          return new Promise<string>(() => undefined);
        },
      }),
    });
    const error = await github.POST("/authorizations", { body: { note: "x" }, timeout: 300 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "GhesRequestError", code: "TIMEOUT", method: "POST" });
    expect(promptSignal?.aborted).toBe(true);
  });
});
