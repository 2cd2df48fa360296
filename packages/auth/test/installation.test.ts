import createClient from "openapi-fetch";
import type { LoosePaths } from "./helpers/paths.js";
import { describe, expect, it, vi } from "vitest";
import { GhesRequestError } from "@ghes-sdk/core";
import { installationAuth, type InstallationAuthOptions } from "../src/index.js";
import { APP_ID, INSTALLATION_ID, PKCS1_KEY, PUBLIC_KEY } from "./helpers/fixtures.js";
import { T0, useFakeGhes } from "./helpers/ghes.js";
import { bearer, decodeJwt } from "./helpers/jwt.js";

const ghes = useFakeGhes();

const auth = (extra: Partial<InstallationAuthOptions> = {}) =>
  installationAuth({ appId: APP_ID, privateKey: PKCS1_KEY, installationId: INSTALLATION_ID, ...extra });
const clientFor = (strategy: ReturnType<typeof installationAuth>, root = "/api/v3") => {
  const client = createClient<LoosePaths>({ baseUrl: `${ghes().origin}${root}` });
  client.use(strategy);
  return client;
};
const apiRequests = () => ghes().received.filter((r) => !r.url.endsWith("/access_tokens"));

describe("installationAuth minting", () => {
  it("mints with POST {baseUrl}/app/installations/{id}/access_tokens, the App JWT and the default Accept", async () => {
    const client = clientFor(auth(), "/api/v3");
    const { data, response } = await client.GET("/installation/repositories", { headers: { "User-Agent": "my-tool/1.0" } });
    expect(response.status).toBe(200);
    expect(ghes().mintRequests).toHaveLength(1);
    const mint = ghes().mintRequests[0]!;
    expect(mint.method).toBe("POST");
    expect(mint.url).toBe(`/api/v3/app/installations/${INSTALLATION_ID}/access_tokens`);
    expect(mint.headers.accept).toBe("application/vnd.github+json");
    expect(mint.headers["user-agent"]).toBe("my-tool/1.0");
    expect(mint.body).toBe("");
    const jwt = decodeJwt(bearer(mint.headers.authorization), PUBLIC_KEY);
    expect(jwt.signatureValid).toBe(true);
    expect(jwt.payload.iss).toBe(APP_ID);
    expect(apiRequests()[0]!.headers.authorization).toBe("token ghs_fake0001");
    expect(data).toMatchObject({ token: "ghs_fake0001", path: "/api/v3/installation/repositories" });
  });

  it("sends the requested scope as the mint body, normalised", async () => {
    const client = clientFor(auth({ repositories: ["b", "a", "b"], repositoryIds: [3, 1], permissions: { issues: "write", contents: "read" } }));
    await client.GET("/installation/repositories");
    const mint = ghes().mintRequests[0]!;
    expect(mint.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(mint.body)).toEqual({ repositories: ["a", "b"], repository_ids: [1, 3], permissions: { contents: "read", issues: "write" } });
  });

  it("uses the explicit era option's headers on a plain client", async () => {
    const era = {
      name: "ghes-2.2x" as const,
      headersFor: (method: string, path: string) =>
        method === "POST" && path === "/app/installations/{installation_id}/access_tokens"
          ? { Accept: "application/vnd.github.machine-man-preview+json" }
          : { Accept: "application/vnd.github.v3+json" },
    };
    await clientFor(auth({ era })).GET("/installation/repositories");
    expect(ghes().mintRequests[0]!.headers.accept).toBe("application/vnd.github.machine-man-preview+json");
  });

  it("derives the mint URL from each client's baseUrl and caches per base URL", async () => {
    const strategy = auth();
    await clientFor(strategy, "/api/v3").GET("/installation/repositories");
    await clientFor(strategy, "/other/api/v3/").GET("/installation/repositories");
    await clientFor(strategy, "/api/v3").GET("/installation/repositories");
    expect(ghes().mintRequests.map((r) => r.url)).toEqual([
      `/api/v3/app/installations/${INSTALLATION_ID}/access_tokens`,
      `/other/api/v3/app/installations/${INSTALLATION_ID}/access_tokens`,
    ]);
    expect(apiRequests().map((r) => r.headers.authorization)).toEqual(["token ghs_fake0001", "token ghs_fake0002", "token ghs_fake0001"]);
  });

  it("200 concurrent requests share exactly one mint", async () => {
    const client = clientFor(auth());
    const results = await Promise.all(Array.from({ length: 200 }, () => client.GET("/installation/repositories")));
    expect(results.every((r) => r.response.status === 200)).toBe(true);
    expect(ghes().mintRequests).toHaveLength(1);
    expect(new Set(apiRequests().map((r) => r.headers.authorization))).toEqual(new Set(["token ghs_fake0001"]));
  });

  it("reuses the token until 5 minutes before expires_at, then mints a new one", async () => {
    const client = clientFor(auth());
    await client.GET("/installation/repositories");
    vi.setSystemTime(T0 + (3600 - 300) * 1000 - 1);
    await client.GET("/installation/repositories");
    expect(ghes().mintRequests).toHaveLength(1);
    vi.setSystemTime(T0 + (3600 - 300) * 1000);
    await client.GET("/installation/repositories");
    expect(ghes().mintRequests).toHaveLength(2);
    expect(apiRequests().map((r) => r.headers.authorization)).toEqual(["token ghs_fake0001", "token ghs_fake0001", "token ghs_fake0002"]);
  });

  it("does not cache a token that arrives already inside the refresh margin", async () => {
    ghes().tokenLifetimeS = 200;
    const client = clientFor(auth());
    await client.GET("/installation/repositories");
    await client.GET("/installation/repositories");
    expect(ghes().mintRequests).toHaveLength(2);
  });

  it("keeps at most cacheSize tokens, evicting the least recently used", async () => {
    const strategy = auth({ cacheSize: 2 });
    const get = (root: string) => clientFor(strategy, root).GET("/installation/repositories");
    await get("/a");
    await get("/b");
    await get("/a"); // a is now the most recent; b the least
    await get("/c"); // evicts b
    expect(ghes().mintRequests).toHaveLength(3);
    await get("/a");
    await get("/c");
    expect(ghes().mintRequests).toHaveLength(3);
    await get("/b");
    expect(ghes().mintRequests).toHaveLength(4);
    expect(ghes().minted.map((t) => t.root)).toEqual(["/a", "/b", "/c", "/b"]);
  });

  it("fails with a GhesRequestError naming the mint, status and GitHub's message, and retries the mint next time", async () => {
    ghes().mintFailure = { status: 404, body: { message: "Not Found", documentation_url: "https://docs.github.com/rest" } };
    const client = clientFor(auth());
    const error = await client.GET("/installation/repositories").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GhesRequestError);
    const url = `${ghes().origin}/api/v3/app/installations/77/access_tokens`;
    expect(error).toMatchObject({
      code: "HTTP_ERROR",
      status: 404,
      method: "POST",
      url,
      operationId: "apps/create-installation-access-token",
      documentationUrl: "https://docs.github.com/rest",
    });
    expect((error as Error).message).toBe(
      `@ghes-sdk/auth: POST ${url} (apps/create-installation-access-token) failed with 404 while minting an installation token for installation 77: Not Found`,
    );
    expect(apiRequests()).toHaveLength(0);
    ghes().mintFailure = undefined;
    vi.setSystemTime(T0 + 1_000); // past the back-off after a failed mint (see "mint back-off")
    const { response } = await client.GET("/installation/repositories");
    expect(response.status).toBe(200);
    expect(ghes().mintRequests).toHaveLength(2);
  });

  it("fails with a NETWORK GhesRequestError when the server cannot be reached", async () => {
    const strategy = auth();
    const client = createClient<LoosePaths>({ baseUrl: "http://127.0.0.1:1/api/v3" });
    client.use(strategy);
    await expect(client.GET("/installation/repositories")).rejects.toMatchObject({
      name: "GhesRequestError",
      code: "NETWORK",
      status: 0,
      method: "POST",
      operationId: "apps/create-installation-access-token",
    });
  });

  it("fails with NO_BASE_URL when the client has none", async () => {
    const client = createClient<LoosePaths>({ fetch: async () => new Response("{}") });
    client.use(auth());
    await expect(client.GET(`${ghes().origin}/installation/repositories`)).rejects.toMatchObject({ code: "NO_BASE_URL" });
  });

  it("corrects the JWT clock from a skew 401 on the mint itself", async () => {
    ghes().clockOffsetS = -3600;
    const { response } = await clientFor(auth()).GET("/installation/repositories");
    expect(response.status).toBe(200);
    expect(ghes().mintRequests).toHaveLength(2);
    expect(ghes().minted).toHaveLength(1);
  });
});

describe("installationAuth 401 handling", () => {
  it("retries a 401 right after minting (replication lag) with the same token, once", async () => {
    ghes().lagFreshTokens = 1;
    const client = clientFor(auth());
    const { response } = await client.POST("/repos/{owner}/{repo}/issues", {
      params: { path: { owner: "o", repo: "r" } },
      body: { title: "hi" },
    });
    expect(response.status).toBe(200);
    expect(ghes().mintRequests).toHaveLength(1);
    expect(apiRequests().map((r) => [r.headers.authorization, r.body])).toEqual([
      ["token ghs_fake0001", '{"title":"hi"}'],
      ["token ghs_fake0001", '{"title":"hi"}'],
    ]);
  });

  it("gives up after one retry when the fresh token keeps failing", async () => {
    ghes().lagFreshTokens = 5;
    const { response } = await clientFor(auth()).GET("/installation/repositories");
    expect(response.status).toBe(401);
    expect(apiRequests()).toHaveLength(2);
  });

  it("on a 401 long after minting (token revoked elsewhere), mints a new token and retries once", async () => {
    const client = clientFor(auth());
    await client.GET("/installation/repositories");
    ghes().minted[0]!.revoked = true;
    vi.setSystemTime(T0 + 60_000);
    const { response, data } = await client.GET("/installation/repositories");
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ token: "ghs_fake0002" });
    expect(ghes().mintRequests).toHaveLength(2);
    // The new token is cached: no third mint.
    await client.GET("/installation/repositories");
    expect(ghes().mintRequests).toHaveLength(2);
  });
});

describe("installationAuth revoke", () => {
  it("DELETEs /installation/token with the cached token and the era headers, then mints anew on next use", async () => {
    const strategy = auth();
    const client = clientFor(strategy);
    await client.GET("/installation/repositories");
    expect(await strategy.revoke()).toBe(1);
    const del = ghes().received.at(-1)!;
    expect(del.method).toBe("DELETE");
    expect(del.url).toBe("/api/v3/installation/token");
    expect(del.headers.authorization).toBe("token ghs_fake0001");
    expect(del.headers.accept).toBe("application/vnd.github+json");
    expect(ghes().minted[0]!.revoked).toBe(true);
    await client.GET("/installation/repositories");
    expect(ghes().mintRequests).toHaveLength(2);
    expect(await strategy.revoke()).toBe(1);
    expect(await strategy.revoke()).toBe(0);
  });

  it("revokes only the tokens of the given baseUrl", async () => {
    const strategy = auth();
    await clientFor(strategy, "/a").GET("/installation/repositories");
    await clientFor(strategy, "/b").GET("/installation/repositories");
    expect(await strategy.revoke({ baseUrl: `${ghes().origin}/b/` })).toBe(1);
    expect(ghes().minted.map((t) => [t.root, t.revoked])).toEqual([["/a", false], ["/b", true]]);
  });

  it("forgets the token when the caller revokes it through the client", async () => {
    const strategy = auth();
    const client = clientFor(strategy);
    await client.GET("/installation/repositories");
    const { response } = await client.DELETE("/installation/token");
    expect(response.status).toBe(204);
    await client.GET("/installation/repositories");
    expect(ghes().mintRequests).toHaveLength(2);
    expect(await strategy.revoke()).toBe(1);
  });
});
