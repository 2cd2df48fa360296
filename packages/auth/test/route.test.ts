import createClient from "openapi-fetch";
import type { LoosePaths } from "./helpers/paths.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appRouteAuth, credentialForRoute, GhesAuthError, type RouteCredential } from "../src/index.js";
import { APP_ID, INSTALLATION_ID, PKCS8_KEY, PUBLIC_KEY } from "./helpers/fixtures.js";
import { startFakeGhes, type FakeGhes } from "./helpers/ghes.js";
import { bearer, decodeJwt } from "./helpers/jwt.js";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/** Every operation of an era with its security alternatives, from the bundled spec the era package ships. */
function specOperations(era: string): Array<{ method: string; path: string; security: string[][] }> {
  const spec = JSON.parse(readFileSync(createRequire(import.meta.url).resolve(`@ghes-sdk/${era}/openapi.json`), "utf8"));
  return Object.entries(spec.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
    ["get", "put", "post", "delete", "patch"]
      .filter((method) => item[method])
      .map((method) => ({
        method,
        path,
        security: ((item[method].security ?? spec.security ?? []) as object[]).map((requirement) => Object.keys(requirement)),
      })),
  );
}

describe("credentialForRoute", () => {
  const table: Array<[string, RouteCredential]> = [
    ["/app", "app"],
    ["/app/", "app"],
    ["/app/installations", "app"],
    ["/app/installations/{installation_id}", "app"],
    ["/app/installations/{installation_id}/access_tokens", "app"],
    ["/app/installations/{installation_id}/suspended", "app"],
    ["/app/hook/config", "app"],
    ["/orgs/{org}/installation", "app"],
    ["/repos/{owner}/{repo}/installation", "app"],
    ["/users/{username}/installation", "app"],
    ["/applications/{client_id}/token", "client"],
    ["/applications/{client_id}/token/scoped", "client"],
    ["/applications/{client_id}/grant", "client"],
    ["/applications/{client_id}/grants/{access_token}", "client"],
    ["/applications/{client_id}/tokens/{access_token}", "client"],
    ["/applications/Iv1.abc/token", "client"],
    ["/app-manifests/{code}/conversions", "none"],
    ["/authorizations", "user"],
    ["/authorizations/clients/{client_id}/{fingerprint}", "user"],
    ["/applications/grants", "user"],
    ["/applications/grants/{grant_id}", "user"],
    ["/user/installations", "user"],
    ["/user/installations/{installation_id}/repositories/{repository_id}", "user"],
    ["/installation/repositories", "installation"],
    ["/installation/token", "installation"],
    ["/apps/{app_slug}", "installation"],
    ["/applications", "installation"],
    ["/appx", "installation"],
    ["/users/{username}", "installation"],
    ["/orgs/{org}/installations", "user"],
    ["/repos/{owner}/{repo}/content_references/{content_reference_id}/attachments", "installation"],
    ["/content_references/{content_reference_id}/attachments", "installation"],
  ];
  it.each(table)("%s → %s", (path, expected) => {
    expect(credentialForRoute(path)).toBe(expected);
  });
});

describe("credentialForRoute agrees with the security requirement of every operation in the era specs", () => {
  // The spec's security scheme names → the credential appRouteAuth would have to send for them.
  const SCHEME: Record<string, RouteCredential> = {
    app_jwt: "app",
    oauth_app_basic: "client",
    installation_token: "installation",
    user_token: "user",
    user_basic: "user",
  };
  const operations = ["ghes-2.2x", "ghes-3.x", "ghes-2022-11-28"].flatMap(specOperations);
  const rows = [...new Map(operations.map((op) => [`${op.method.toUpperCase()} ${op.path}`, op])).entries()];

  it("covers the operations (derived from the bundled specs, not a copy)", () => {
    expect(rows.length).toBeGreaterThanOrEqual(35);
  });

  it.each(rows)("%s", (_name, op) => {
    // `security: []` (no requirement) and an empty alternative (`{}`) both mean "no credential".
    const alternatives = op.security.length === 0 ? [[]] : op.security;
    const accepted = new Set(alternatives.map((alternative) => (alternative.length === 0 ? "none" : SCHEME[alternative[0]!] ?? alternative[0])));
    expect([...accepted]).toContain(credentialForRoute(op.path));
  });
});

describe("appRouteAuth on the wire", () => {
  let ghes: FakeGhes;
  beforeEach(async () => {
    ghes = await startFakeGhes(PUBLIC_KEY, APP_ID);
  });
  afterEach(() => ghes.close());

  const full = () =>
    appRouteAuth({ appId: APP_ID, privateKey: PKCS8_KEY, clientId: "Iv1.client", clientSecret: "route-secret", installationId: INSTALLATION_ID });
  const clientFor = (auth: ReturnType<typeof appRouteAuth>) => {
    const client = createClient<LoosePaths>({ baseUrl: `${ghes.origin}/api/v3` });
    client.use(auth);
    return client;
  };
  const last = () => ghes.received.at(-1)!;

  it("uses the JWT for /app, Basic client credentials for /applications/{client_id}/…, the installation token elsewhere", async () => {
    const client = clientFor(full());

    expect((await client.GET("/app")).response.status).toBe(200);
    const jwt = decodeJwt(bearer(last().headers.authorization), PUBLIC_KEY);
    expect(jwt.signatureValid).toBe(true);
    expect(jwt.payload.iss).toBe(APP_ID);

    await client.GET("/repos/{owner}/{repo}/installation", { params: { path: { owner: "o", repo: "r" } } });
    expect(last().headers.authorization).toMatch(/^Bearer /);

    await client.POST("/applications/{client_id}/token", { params: { path: { client_id: "Iv1.client" } }, body: { access_token: "gho_x" } });
    expect(last().headers.authorization).toBe(`Basic ${Buffer.from("Iv1.client:route-secret").toString("base64")}`);

    const { data } = await client.GET("/installation/repositories");
    expect(last().headers.authorization).toBe("token ghs_fake0001");
    expect(data).toMatchObject({ token: "ghs_fake0001" });
    // The mint itself went out with the JWT, not with any of the other credentials.
    expect(ghes.mintRequests).toHaveLength(1);
    expect(ghes.mintRequests[0]!.headers.authorization).toMatch(/^Bearer /);
  });

  it("sends no Authorization to the manifest conversion (the code is the credential)", async () => {
    await clientFor(full()).POST("/app-manifests/{code}/conversions", { params: { path: { code: "abc" } } });
    expect(last().url).toBe("/api/v3/app-manifests/abc/conversions");
    expect(last().headers.authorization).toBeUndefined();
  });

  it.each([
    ["/applications/{client_id}/token", { appId: APP_ID, privateKey: PKCS8_KEY, installationId: 1 }, /needs the app's client credentials: pass clientId and clientSecret/],
    ["/installation/repositories", { appId: APP_ID, privateKey: PKCS8_KEY }, /needs an installation token: pass installationId/],
    ["/authorizations", { appId: APP_ID, privateKey: PKCS8_KEY, installationId: 1 }, /needs a user's credential/],
    ["/user/installations", { appId: APP_ID, privateKey: PKCS8_KEY, installationId: 1 }, /needs a user's credential/],
  ])("refuses %s before sending anything when the credential is missing", async (path, options, message) => {
    const client = clientFor(appRouteAuth(options));
    const error = await client.GET(path, { params: { path: { client_id: "x" } } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GhesAuthError);
    expect(error).toMatchObject({ code: "MISSING_CREDENTIAL" });
    expect((error as Error).message).toMatch(/^@ghes-sdk\/auth: appRouteAuth: GET \//);
    expect((error as Error).message).toMatch(message);
    expect(ghes.received).toHaveLength(0);
  });

  it("shares one JWT and one token cache across routes and forEra middlewares; revoke() revokes", async () => {
    const auth = full();
    const era = { name: "ghes-3.x" as const, headersFor: () => ({ Accept: "application/vnd.github.v3+json" }) };
    const a = clientFor(auth);
    const b = createClient<LoosePaths>({ baseUrl: `${ghes.origin}/api/v3` });
    b.use(auth.forEra(era));
    await a.GET("/app");
    await b.GET("/app");
    expect(ghes.received[1]!.headers.authorization).toBe(ghes.received[0]!.headers.authorization);
    await a.GET("/installation/repositories");
    await b.GET("/installation/repositories");
    expect(ghes.mintRequests).toHaveLength(1);
    expect(await auth.revoke()).toBe(1);
    expect(last().method).toBe("DELETE");
    expect(last().headers.authorization).toBe("token ghs_fake0001");
    // Minted through plain client a, so the revoke carries the default Accept.
    expect(last().headers.accept).toBe("application/vnd.github+json");
  });

  it("revoke() without an installation revokes nothing", async () => {
    expect(await appRouteAuth({ appId: APP_ID, privateKey: PKCS8_KEY }).revoke()).toBe(0);
  });
});
