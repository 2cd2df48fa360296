import { createClient as create22x } from "@ghes-sdk/ghes-2.2x";
import { createClient as create2022 } from "@ghes-sdk/ghes-2022-11-28";
import { createClient as create3x } from "@ghes-sdk/ghes-3.x";
import type { Client } from "openapi-fetch";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appAuth, appRouteAuth, basicAuth, installationAuth, oauthAppAuth, tokenAuth } from "../src/index.js";
import { APP_ID, INSTALLATION_ID, PKCS1_KEY, PUBLIC_KEY } from "./helpers/fixtures.js";
import { startFakeGhes, type FakeGhes } from "./helpers/ghes.js";
import { bearer, decodeJwt } from "./helpers/jwt.js";
import type { LoosePaths } from "./helpers/paths.js";
import type { Received } from "./helpers/server.js";

const V3 = "application/vnd.github.v3+json";
const GITHUB_JSON = "application/vnd.github+json";
const preview = (name: string) => `application/vnd.github.${name}-preview+json`;

/**
 * What each era must put on the wire, written out by hand from the era's pages (not computed from the era
 * packages, so a regression on either side shows). `undefined` = header absent.
 */
const ERAS = [
  {
    name: "ghes-2.2x",
    create: create22x,
    apiVersion: undefined,
    accept: {
      mint: preview("machine-man"),
      revoke: preview("gambit"),
      app: preview("machine-man"),
      installationRepos: preview("machine-man"),
      checkToken: preview("doctor-strange"),
      authorizations: V3,
    },
  },
  {
    name: "ghes-3.x",
    create: create3x,
    apiVersion: undefined,
    accept: { mint: V3, revoke: V3, app: V3, installationRepos: V3, checkToken: V3, authorizations: V3 },
  },
  {
    name: "ghes-2022-11-28",
    create: create2022,
    apiVersion: "2022-11-28",
    accept: { mint: GITHUB_JSON, revoke: GITHUB_JSON, app: GITHUB_JSON, installationRepos: GITHUB_JSON, checkToken: GITHUB_JSON, authorizations: GITHUB_JSON },
  },
] as const;
type EraCase = (typeof ERAS)[number];

const TOKEN = "ghp_TESTONLYeraToken";
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

let ghes: FakeGhes;
beforeEach(async () => {
  ghes = await startFakeGhes(PUBLIC_KEY, APP_ID);
});
afterEach(() => ghes.close());

// The era clients are typed by each era's spec, which (until issue 3 lands everywhere) does not list
// every route used here; the test drives them through the loose type. Headers come from the era client's
// own middleware either way.
const eraClient = (era: EraCase, auth: Parameters<typeof create3x>[0]["auth"]) =>
  era.create({ baseUrl: `${ghes.origin}/api/v3/`, auth, userAgent: "era-test/1.0" }) as unknown as Client<LoosePaths>;

const expectEraHeaders = (req: Received, era: EraCase, accept: string) => {
  expect(req.headers.accept).toBe(accept);
  expect(req.headers["x-github-api-version"]).toBe(era.apiVersion);
  expect(req.headers["user-agent"]).toBe(`era-test/1.0 @ghes-sdk/${era.name}/0.1.0`);
};
const expectValidJwt = (authorization: string | undefined) => {
  const jwt = decodeJwt(bearer(authorization), PUBLIC_KEY);
  expect(jwt.signatureValid).toBe(true);
  expect(jwt.payload.iss).toBe(APP_ID);
};
const only = (method: string, suffix: string) => {
  const matches = ghes.received.filter((r) => r.method === method && r.url.endsWith(suffix));
  expect(matches, `${method} …${suffix}`).toHaveLength(1);
  return matches[0]!;
};

describe.each(ERAS)("$name client", (era) => {
  it("tokenAuth: token and Bearer schemes", async () => {
    await eraClient(era, tokenAuth(TOKEN)).GET("/installation/repositories");
    await eraClient(era, tokenAuth(TOKEN, { scheme: "bearer" })).GET("/installation/repositories");
    expect(ghes.received.map((r) => r.headers.authorization)).toEqual([`token ${TOKEN}`, `Bearer ${TOKEN}`]);
    for (const req of ghes.received) expectEraHeaders(req, era, era.accept.installationRepos);
  });

  it("oauthAppAuth: Basic client credentials on check-token", async () => {
    await eraClient(era, oauthAppAuth({ clientId: "Iv1.era", clientSecret: "era-secret" })).POST("/applications/{client_id}/token", {
      params: { path: { client_id: "Iv1.era" } },
      body: { access_token: "gho_TESTONLY" },
    });
    const req = only("POST", "/applications/Iv1.era/token");
    expect(req.headers.authorization).toBe(basic("Iv1.era", "era-secret"));
    expectEraHeaders(req, era, era.accept.checkToken);
  });

  it("basicAuth: Basic user:password and X-GitHub-OTP", async () => {
    await eraClient(era, basicAuth({ username: "monalisa", password: "pw", otp: "123456" })).POST("/authorizations", {
      body: { scopes: ["repo"], note: "era" },
    });
    const req = only("POST", "/authorizations");
    expect(req.headers.authorization).toBe(basic("monalisa", "pw"));
    expect(req.headers["x-github-otp"]).toBe("123456");
    expectEraHeaders(req, era, era.accept.authorizations);
  });

  it("appAuth: Bearer JWT on GET /app", async () => {
    const { response } = await eraClient(era, appAuth({ appId: APP_ID, privateKey: PKCS1_KEY })).GET("/app");
    expect(response.status).toBe(200);
    const req = only("GET", "/api/v3/app");
    expectValidJwt(req.headers.authorization);
    expectEraHeaders(req, era, era.accept.app);
  });

  it("installationAuth: mints with the era's headers, then sends the installation token; revoke uses the era's headers", async () => {
    const auth = installationAuth({ appId: APP_ID, privateKey: PKCS1_KEY, installationId: INSTALLATION_ID });
    const { response } = await eraClient(era, auth).GET("/installation/repositories");
    expect(response.status).toBe(200);

    const mint = only("POST", `/api/v3/app/installations/${INSTALLATION_ID}/access_tokens`);
    expectValidJwt(mint.headers.authorization);
    expectEraHeaders(mint, era, era.accept.mint);

    const api = only("GET", "/installation/repositories");
    expect(api.headers.authorization).toBe("token ghs_fake0001");
    expectEraHeaders(api, era, era.accept.installationRepos);

    expect(await auth.revoke()).toBe(1);
    const revoke = only("DELETE", "/api/v3/installation/token");
    expect(revoke.headers.authorization).toBe("token ghs_fake0001");
    expect(revoke.headers.accept).toBe(era.accept.revoke);
    expect(revoke.headers["x-github-api-version"]).toBe(era.apiVersion);
  });

  it("appRouteAuth: JWT, client credentials and installation token per route", async () => {
    const auth = appRouteAuth({ appId: APP_ID, privateKey: PKCS1_KEY, clientId: "Iv1.route", clientSecret: "route-secret", installationId: INSTALLATION_ID });
    const client = eraClient(era, auth);
    await client.GET("/app");
    await client.POST("/applications/{client_id}/token", { params: { path: { client_id: "Iv1.route" } }, body: { access_token: "gho_TESTONLY" } });
    await client.GET("/installation/repositories");

    const app = only("GET", "/api/v3/app");
    expectValidJwt(app.headers.authorization);
    expectEraHeaders(app, era, era.accept.app);
    const check = only("POST", "/applications/Iv1.route/token");
    expect(check.headers.authorization).toBe(basic("Iv1.route", "route-secret"));
    expectEraHeaders(check, era, era.accept.checkToken);
    const mint = only("POST", "/access_tokens");
    expectValidJwt(mint.headers.authorization);
    expectEraHeaders(mint, era, era.accept.mint);
    const api = only("GET", "/installation/repositories");
    expect(api.headers.authorization).toBe("token ghs_fake0001");
    expectEraHeaders(api, era, era.accept.installationRepos);
  });
});

it("one installationAuth serves clients of different eras with one shared cache (one mint per base URL)", async () => {
  const auth = installationAuth({ appId: APP_ID, privateKey: PKCS1_KEY, installationId: INSTALLATION_ID });
  const [old, , current] = ERAS;
  await eraClient(old, auth).GET("/installation/repositories");
  await eraClient(current, auth).GET("/installation/repositories");
  expect(ghes.mintRequests).toHaveLength(1);
  expect(ghes.mintRequests[0]!.headers.accept).toBe(preview("machine-man"));
  expect(ghes.received.filter((r) => r.url.endsWith("/installation/repositories")).map((r) => r.headers.authorization)).toEqual([
    "token ghs_fake0001",
    "token ghs_fake0001",
  ]);
});
