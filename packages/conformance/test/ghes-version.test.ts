// GHES-version awareness: a `ghesVersion` client compiles only what that version serves, warns before a
// call it does not serve, and an error from a server whose reported version does not serve the operation
// says so.
import * as v2022 from "@ghes-sdk/ghes-2022-11-28";
import * as v3 from "@ghes-sdk/ghes-3.x";
import { checkAuthorization } from "@ghes-sdk/ghes-3.x/operations";
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from "vitest";
import { startServer } from "./support/server.js";

let server: Awaited<ReturnType<typeof startServer>> | undefined;
const warnings: Error[] = [];
const onWarning = (w: Error) => void warnings.push(w);
beforeEach(() => void process.on("warning", onWarning));
afterEach(async () => {
  process.off("warning", onWarning);
  warnings.length = 0;
  await server?.close();
  server = undefined;
});
const tick = () => new Promise((r) => setImmediate(r));
const TOKEN = "gho_16C7e42F292c6912E7710c838347Ae178B4a";

describe("at compile time", () => {
  it("narrows a ghesVersion client's paths to what that version serves", () => {
    const baseUrl = "http://127.0.0.1:9/api/v3";
    const on30 = v3.createClient({ baseUrl, ghesVersion: "3.0" });
    const on34 = v3.createClient({ baseUrl, ghesVersion: "3.4" });
    const any3x = v3.createClient({ baseUrl });
    const params = { params: { path: { client_id: "Iv1.1", access_token: TOKEN } } };
    const check = () => {
      void on30.GET("/applications/{client_id}/tokens/{access_token}", params);
      // @ts-expect-error -- GHES 3.4 no longer serves the token-in-path endpoints (until 3.3)
      void on34.GET("/applications/{client_id}/tokens/{access_token}", params);
      void on34.GET("/app/hook/deliveries");
      // @ts-expect-error -- GET /app/hook/deliveries is served since a later 3.x (see the matrix), not by 3.0
      void on30.GET("/app/hook/deliveries");
      // @ts-expect-error -- DELETE of a token-in-path endpoint is gone on 3.4 as well; POST /token is not
      void on34.DELETE("/applications/{client_id}/tokens/{access_token}", params);
      void on34.POST("/applications/{client_id}/token", { params: { path: { client_id: "Iv1.1" } }, body: { access_token: TOKEN } });
      void any3x.GET("/applications/{client_id}/tokens/{access_token}", params);
      void any3x.GET("/app/hook/deliveries");
    };
    expect(typeof check).toBe("function");
    // Versions of another era do not type-check; 2022-11-28 takes any later 3.x release.
    // @ts-expect-error -- 3.9 is not a GHES 3.0–3.8 version
    expect(() => v3.createClient({ baseUrl, ghesVersion: "3.9" })).toThrow(/options.ghesVersion 3.9 is outside this package's range \(GHES 3.0 to 3.8\)/);
    expectTypeOf(v2022.createClient({ baseUrl, ghesVersion: "3.14" }).GET).toBeFunction();
    expect(() => v2022.createClient({ baseUrl, ghesVersion: "latest" as "3.9" })).toThrow(/options.ghesVersion must be a GHES version such as "3.4"/);
  });
});

describe("at run time", () => {
  it("warns before a call the configured version does not serve, once", async () => {
    server = await startServer(() => ({ status: 404, body: { message: "Not Found" } }));
    const github = v3.createClient({ baseUrl: server.baseUrl, ghesVersion: "3.4", deprecationWarnings: false });
    await checkAuthorization(github, { client_id: "Iv1.1", access_token: TOKEN });
    await checkAuthorization(github, { client_id: "Iv1.1", access_token: TOKEN });
    await tick();
    expect(warnings.map((w) => [w.name, (w as { code?: string }).code])).toEqual([["GhesVersionWarning", "GHESSDK_VERSION_3.4_apps/check-authorization"]]);
    expect(warnings[0]!.message).toBe("@ghes-sdk/ghes-3.x: GHES 3.4 does not serve apps/check-authorization: it is served by GHES 2.20 to 3.3; the request is sent anyway");
    expect(warnings[0]!.message).not.toContain(TOKEN);
  });

  it("states the mismatch in the error of a server whose reported version does not serve the operation", async () => {
    server = await startServer(() => ({
      status: 404,
      headers: { "x-github-enterprise-version": "3.4.0" },
      body: { message: "Not Found", documentation_url: "https://docs.github.com/enterprise-server@3.4/rest" },
    }));
    const github = v3.createClient({ baseUrl: server.baseUrl, deprecationWarnings: false });
    const { error, response } = await checkAuthorization(github, { client_id: "Iv1.1", access_token: TOKEN });
    expect(response.status).toBe(404);
    expect(error?.message).toBe("Not Found (GHES 3.4.0 does not serve apps/check-authorization: it is served by GHES 2.20 to 3.3)");
    // The version the server reported is then known: the next call of an unserved operation warns first.
    await github.GET("/applications/{client_id}/tokens/{access_token}", { params: { path: { client_id: "Iv1.1", access_token: TOKEN } } });
    await tick();
    expect(warnings.map((w) => (w as { code?: string }).code)).toEqual(["GHESSDK_VERSION_3.4.0_apps/check-authorization"]);
  });

  it("leaves errors alone when the version serves the operation", async () => {
    server = await startServer(() => ({ status: 404, headers: { "x-github-enterprise-version": "3.3.1" }, body: { message: "Not Found" } }));
    const github = v3.createClient({ baseUrl: server.baseUrl, deprecationWarnings: false });
    const { error } = await checkAuthorization(github, { client_id: "Iv1.1", access_token: TOKEN });
    expect(error?.message).toBe("Not Found");
  });

  it("puts the mismatch in paginate's GhesRequestError", async () => {
    server = await startServer(() => ({ status: 404, headers: { "x-github-enterprise-version": "3.0.5" }, body: { message: "Not Found" } }));
    const github = v3.createClient({ baseUrl: server.baseUrl });
    const run = async () => {
      for await (const _ of v3.paginate(github, "/app/hook/deliveries"));
    };
    const since = v3.operationTable["apps/list-webhook-deliveries"].since;
    expect(since).not.toBe("3.0");
    await expect(run()).rejects.toThrow(`GHES 3.0.5 does not serve apps/list-webhook-deliveries: it is served by GHES ${since} and later`);
  });
});
