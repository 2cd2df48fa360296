import createClient from "openapi-fetch";
import { describe, expect, it } from "vitest";
import { createClient as create3x } from "@ghes-sdk/ghes-3.x";
import { GhesRequestError } from "@ghes-sdk/core";
import { appInstallationsAuth, type AppInstallationsAuthOptions } from "../src/index.js";
import { pathParamsOf } from "../src/app-installations.js";
import { APP_ID, PKCS1_KEY, PUBLIC_KEY } from "./helpers/fixtures.js";
import { useFakeGhes } from "./helpers/ghes.js";
import { bearer, decodeJwt } from "./helpers/jwt.js";
import type { LoosePaths } from "./helpers/paths.js";

const ghes = useFakeGhes();

const auth = (extra: Partial<AppInstallationsAuthOptions> = {}) =>
  appInstallationsAuth({ appId: APP_ID, privateKey: PKCS1_KEY, ...extra });
const clientFor = (strategy: ReturnType<typeof appInstallationsAuth>) => {
  const client = createClient<LoosePaths>({ baseUrl: `${ghes().origin}/api/v3` });
  client.use(strategy);
  return client;
};
/** Which installation the token a request carried belongs to. */
const installationOf = (data: unknown) => ghes().minted.find((t) => t.token === (data as { token?: string }).token)?.installationId;
const lookups = () => ghes().received.filter((r) => r.url.endsWith("/installation") && r.method === "GET");

describe("appInstallationsAuth: one App, many installations", () => {
  it("picks the installation per request, mints once per installation, shares one JWT", async () => {
    const client = clientFor(auth({ installationId: ({ pathParams }) => Number(pathParams["org"]!.slice(3)) }));
    // 30 concurrent requests over 3 installations, then 30 more once the tokens are cached.
    for (let wave = 0; wave < 2; wave++) {
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) => client.GET("/orgs/{org}/installation", { params: { path: { org: `org${(i % 3) + 1}` } } })),
      );
      results.forEach(({ data }, i) => expect(installationOf(data)).toBe((i % 3) + 1));
    }
    expect(ghes().mintRequests.map((r) => r.url).sort()).toEqual([1, 2, 3].map((id) => `/api/v3/app/installations/${id}/access_tokens`));
    const jwts = new Set(ghes().mintRequests.map((r) => bearer(r.headers.authorization)));
    expect(jwts.size).toBe(1);
    expect(decodeJwt([...jwts][0]!, PUBLIC_KEY).signatureValid).toBe(true);
  });

  it("by default looks up a repository's installation once, and uses the App JWT where no repository is named", async () => {
    ghes().repositoryInstallations = { "octo/one": 11, "octo/two": 22 };
    const client = clientFor(auth());
    const [a, b, c] = await Promise.all([
      client.GET("/repos/{owner}/{repo}/hooks", { params: { path: { owner: "octo", repo: "one" } } }),
      client.GET("/repos/{owner}/{repo}/hooks", { params: { path: { owner: "octo", repo: "two" } } }),
      client.GET("/repos/{owner}/{repo}/issues", { params: { path: { owner: "OCTO", repo: "one" } } }),
    ]);
    expect([installationOf(a.data), installationOf(b.data), installationOf(c.data)]).toEqual([11, 22, 11]);
    expect(lookups().map((r) => r.url).sort()).toEqual(["/api/v3/repos/octo/one/installation", "/api/v3/repos/octo/two/installation"]);
    await client.GET("/repos/{owner}/{repo}/hooks", { params: { path: { owner: "octo", repo: "one" } } });
    expect(lookups()).toHaveLength(2);

    const app = await client.GET("/app");
    expect(app.response.status).toBe(200);
    const sent = ghes().received.at(-1)!;
    expect(decodeJwt(bearer(sent.headers.authorization), PUBLIC_KEY).payload.iss).toBe(APP_ID);
  });

  it("fails a request for a repository the App is not installed on, naming it, without sending it", async () => {
    const client = clientFor(auth());
    const error = await client.GET("/repos/{owner}/{repo}/hooks", { params: { path: { owner: "octo", repo: "nope" } } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GhesRequestError);
    expect(error).toMatchObject({ code: "HTTP_ERROR", status: 404 });
    expect((error as Error).message).toContain("octo/nope");
    expect(ghes().received.filter((r) => r.url.includes("/hooks"))).toHaveLength(0);
  });

  it("rejects a chooser that gives something that is not an installation", async () => {
    const client = clientFor(auth({ installationId: () => "abc" }));
    await expect(client.GET("/installation/repositories")).rejects.toMatchObject({ code: "NO_INSTALLATION" });
    expect(() => auth({ installationId: 7 as never })).toThrow(/installationId/);
  });

  it("keeps the token cache bounded: with cacheSize 2, a third installation evicts the oldest", async () => {
    const client = clientFor(auth({ cacheSize: 2, installationId: ({ pathParams }) => Number(pathParams["org"]) }));
    for (const org of ["1", "2", "3", "1"]) await client.GET("/orgs/{org}/installation", { params: { path: { org } } });
    expect(ghes().mintRequests.map((r) => r.url.split("/")[5])).toEqual(["1", "2", "3", "1"]);
  });

  it("works as an era client's auth with the era's headers on the mint, and revokes every token", async () => {
    const strategy = auth({ installationId: ({ pathParams }) => (pathParams["owner"] === "a" ? 1 : 2) });
    const github = create3x({ baseUrl: `${ghes().origin}/api/v3`, auth: strategy });
    await github.GET("/repos/{owner}/{repo}/installation", { params: { path: { owner: "a", repo: "x" } } });
    await github.GET("/repos/{owner}/{repo}/installation", { params: { path: { owner: "b", repo: "x" } } });
    expect(ghes().mintRequests.map((r) => r.headers.accept)).toEqual(["application/vnd.github.v3+json", "application/vnd.github.v3+json"]);
    expect(await strategy.revoke()).toBe(2);
    expect(ghes().minted.every((t) => t.revoked)).toBe(true);
    expect(String(strategy)).not.toContain("PRIVATE KEY");
  });
});

describe("appInstallationsAuth on an era client, many calls queued behind the mints", () => {
  it("asks installationId once per call, mints once per installation, and each call goes out as its own installation", async () => {
    const asked: string[] = [];
    const strategy = auth({
      installationId: ({ pathParams }) => {
        asked.push(pathParams["org"]!);
        return Number(pathParams["org"]!.slice(3));
      },
    });
    const github = create3x({ baseUrl: `${ghes().origin}/api/v3`, auth: strategy });
    const orgs = Array.from({ length: 60 }, (_, i) => `org${(i % 3) + 1}`);
    const results = await Promise.all(orgs.map((org) => github.GET("/orgs/{org}/installation", { params: { path: { org } } })));
    results.forEach(({ data }, i) => expect(installationOf(data)).toBe((i % 3) + 1));
    expect(asked.sort()).toEqual([...orgs].sort());
    expect(ghes().mintRequests).toHaveLength(3);
  });
});

describe("pathParamsOf", () => {
  it("reads decoded values back from the URL by the template", () => {
    expect(pathParamsOf("/repos/{owner}/{repo}/hooks", "https://h/api/v3/repos/o%2Fx/r/hooks?page=2")).toEqual({ owner: "o/x", repo: "r" });
    expect(pathParamsOf("/app", "https://h/api/v3/app")).toEqual({});
  });
});
