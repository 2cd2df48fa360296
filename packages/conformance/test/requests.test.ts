// The exact request each era's client puts on the wire, against a real HTTP server on 127.0.0.1.
import * as v2 from "@ghes-sdk/ghes-2.2x";
import * as v3 from "@ghes-sdk/ghes-3.x";
import * as v2022 from "@ghes-sdk/ghes-2022-11-28";
import * as v2026 from "@ghes-sdk/ghes-2026-03-10";
import type { Middleware } from "@ghes-sdk/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chosenHeaders, startServer } from "./support/server.js";
import { ERAS } from "./support/specs.js";

const CLIENT_ID = "Iv1.8a61f9b3a7aba766";
const TOKEN = "e72e16c7e42f292c6912e7710c838347ae178b4a";
const BASIC = `Basic ${Buffer.from(`${CLIENT_ID}:secret`).toString("base64")}`;
/** Until @ghes-sdk/auth is used here: a middleware that sets Authorization, as any caller could write. */
const basicAuth: Middleware = {
  onRequest({ request }) {
    request.headers.set("authorization", BASIC);
    return request;
  },
};

const V3 = "application/vnd.github.v3+json";
const preview = (...names: string[]) => names.map((n) => `application/vnd.github.${n}-preview+json`).join(", ");

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer((req) => (req.method === "DELETE" ? { status: 204 } : { status: 200, body: {} }));
});
afterAll(() => server.close());

interface Case {
  name: string;
  send: (baseUrl: string) => Promise<unknown>;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

const ua = (pkg: string) => ({ "user-agent": `${pkg}/0.1.0` });
const json = { "content-type": "application/json" };

const cases: Record<string, Case[]> = {
  "ghes-2.2x": [
    {
      name: "check-token (doctor-strange)",
      send: (baseUrl) =>
        v2.createClient({ baseUrl, auth: basicAuth }).POST("/applications/{client_id}/token", {
          params: { path: { client_id: CLIENT_ID } },
          body: { access_token: TOKEN },
        }),
      method: "POST",
      url: `/api/v3/applications/${CLIENT_ID}/token`,
      headers: { accept: preview("doctor-strange"), authorization: BASIC, ...json, ...ua("@ghes-sdk/ghes-2.2x") },
      body: { access_token: TOKEN },
    },
    {
      name: "check-authorization, deprecated, token in the path",
      send: (baseUrl) =>
        v2.createClient({ baseUrl, auth: basicAuth }).GET("/applications/{client_id}/tokens/{access_token}", {
          params: { path: { client_id: CLIENT_ID, access_token: TOKEN } },
        }),
      method: "GET",
      url: `/api/v3/applications/${CLIENT_ID}/tokens/${TOKEN}`,
      headers: { accept: V3, authorization: BASIC, ...ua("@ghes-sdk/ghes-2.2x") },
    },
    {
      name: "get-authenticated (machine-man)",
      send: (baseUrl) => v2.createClient({ baseUrl, auth: basicAuth }).GET("/app"),
      method: "GET",
      url: "/api/v3/app",
      headers: { accept: preview("machine-man"), authorization: BASIC, ...ua("@ghes-sdk/ghes-2.2x") },
    },
    {
      name: "delete-installation (gambit + machine-man)",
      send: (baseUrl) =>
        v2.createClient({ baseUrl, auth: basicAuth }).DELETE("/app/installations/{installation_id}", {
          params: { path: { installation_id: 42 } },
        }),
      method: "DELETE",
      url: "/api/v3/app/installations/42",
      headers: { accept: preview("gambit", "machine-man"), authorization: BASIC, ...ua("@ghes-sdk/ghes-2.2x") },
    },
    {
      name: "create-from-manifest (fury)",
      send: (baseUrl) =>
        v2.createClient({ baseUrl }).POST("/app-manifests/{code}/conversions", { params: { path: { code: "abc123" } } }),
      method: "POST",
      url: "/api/v3/app-manifests/abc123/conversions",
      headers: { accept: preview("fury"), ...ua("@ghes-sdk/ghes-2.2x") },
    },
    {
      name: "create-content-attachment (corsair)",
      send: (baseUrl) =>
        v2.createClient({ baseUrl, auth: basicAuth }).POST("/content_references/{content_reference_id}/attachments", {
          params: { path: { content_reference_id: 17 } },
          body: { title: "[A-1234] Error found in core/models.py file", body: "You have used an email that already exists." },
        }),
      method: "POST",
      url: "/api/v3/content_references/17/attachments",
      headers: { accept: preview("corsair"), authorization: BASIC, ...json, ...ua("@ghes-sdk/ghes-2.2x") },
      body: { title: "[A-1234] Error found in core/models.py file", body: "You have used an email that already exists." },
    },
    {
      name: "list-repos-accessible-to-installation (machine-man required; mercy optional and not sent)",
      send: (baseUrl) => v2.createClient({ baseUrl, auth: basicAuth }).GET("/installation/repositories"),
      method: "GET",
      url: "/api/v3/installation/repositories",
      headers: { accept: preview("machine-man"), authorization: BASIC, ...ua("@ghes-sdk/ghes-2.2x") },
    },
    {
      name: "an optional preview (mercy) asked for explicitly: the caller's Accept wins",
      send: (baseUrl) =>
        v2.createClient({ baseUrl, auth: basicAuth }).GET("/installation/repositories", {
          headers: { accept: preview("machine-man", "mercy") },
        }),
      method: "GET",
      url: "/api/v3/installation/repositories",
      headers: { accept: preview("machine-man", "mercy"), authorization: BASIC, ...ua("@ghes-sdk/ghes-2.2x") },
    },
  ],
  "ghes-3.x": [
    {
      name: "check-token",
      send: (baseUrl) =>
        v3.createClient({ baseUrl, auth: basicAuth }).POST("/applications/{client_id}/token", {
          params: { path: { client_id: CLIENT_ID } },
          body: { access_token: TOKEN },
        }),
      method: "POST",
      url: `/api/v3/applications/${CLIENT_ID}/token`,
      headers: { accept: V3, authorization: BASIC, ...json, ...ua("@ghes-sdk/ghes-3.x") },
      body: { access_token: TOKEN },
    },
    {
      name: "check-authorization, deprecated, token in the path",
      send: (baseUrl) =>
        v3.createClient({ baseUrl, auth: basicAuth }).GET("/applications/{client_id}/tokens/{access_token}", {
          params: { path: { client_id: CLIENT_ID, access_token: TOKEN } },
        }),
      method: "GET",
      url: `/api/v3/applications/${CLIENT_ID}/tokens/${TOKEN}`,
      headers: { accept: V3, authorization: BASIC, ...ua("@ghes-sdk/ghes-3.x") },
    },
    {
      name: "create-content-attachment-for-repo still needs the corsair preview on 3.x",
      send: (baseUrl) =>
        v3.createClient({ baseUrl, auth: basicAuth }).POST("/repos/{owner}/{repo}/content_references/{content_reference_id}/attachments", {
          params: { path: { owner: "octo-org", repo: "hello-world", content_reference_id: 17 } },
          body: { title: "[A-1234] Error found", body: "You have used an email that already exists." },
        }),
      method: "POST",
      url: "/api/v3/repos/octo-org/hello-world/content_references/17/attachments",
      headers: { accept: preview("corsair"), authorization: BASIC, ...json, ...ua("@ghes-sdk/ghes-3.x") },
      body: { title: "[A-1234] Error found", body: "You have used an email that already exists." },
    },
    {
      name: "a caller's userAgent and client-level headers",
      send: (baseUrl) =>
        v3
          .createClient({ baseUrl, auth: basicAuth, userAgent: "deploy-bot/2.1", headers: { "x-request-id": "r-1" } })
          .DELETE("/applications/{client_id}/grant", { params: { path: { client_id: CLIENT_ID } }, body: { access_token: TOKEN } }),
      method: "DELETE",
      url: `/api/v3/applications/${CLIENT_ID}/grant`,
      headers: {
        accept: V3,
        authorization: BASIC,
        ...json,
        "user-agent": "deploy-bot/2.1 @ghes-sdk/ghes-3.x/0.1.0",
        "x-request-id": "r-1",
      },
      body: { access_token: TOKEN },
    },
  ],
  "ghes-2022-11-28": [
    {
      name: "check-token",
      send: (baseUrl) =>
        v2022.createClient({ baseUrl: `${baseUrl}/`, auth: basicAuth }).POST("/applications/{client_id}/token", {
          params: { path: { client_id: CLIENT_ID } },
          body: { access_token: TOKEN },
        }),
      method: "POST",
      url: `/api/v3/applications/${CLIENT_ID}/token`,
      headers: {
        accept: "application/vnd.github+json",
        authorization: BASIC,
        ...json,
        ...ua("@ghes-sdk/ghes-2022-11-28"),
        "x-github-api-version": "2022-11-28",
      },
      body: { access_token: TOKEN },
    },
    {
      name: "delete-authorization, deprecated",
      send: (baseUrl) =>
        v2022.createClient({ baseUrl, auth: basicAuth }).DELETE("/authorizations/{authorization_id}", {
          params: { path: { authorization_id: 7 } },
        }),
      method: "DELETE",
      url: "/api/v3/authorizations/7",
      headers: {
        accept: "application/vnd.github+json",
        authorization: BASIC,
        ...ua("@ghes-sdk/ghes-2022-11-28"),
        "x-github-api-version": "2022-11-28",
      },
    },
  ],
  "ghes-2026-03-10": [
    {
      name: "delete-installation, REST API 2026-03-10",
      send: (baseUrl) =>
        v2026.createClient({ baseUrl, auth: basicAuth }).DELETE("/app/installations/{installation_id}", {
          params: { path: { installation_id: 42 } },
        }),
      method: "DELETE",
      url: "/api/v3/app/installations/42",
      headers: {
        accept: "application/vnd.github+json",
        authorization: BASIC,
        "user-agent": `@ghes-sdk/ghes-2026-03-10/${v2026.definition.version}`,
        "x-github-api-version": "2026-03-10",
      },
    },
  ],
};

it("covers every era", () => {
  expect(Object.keys(cases).sort()).toEqual([...ERAS].sort());
});

describe.each(Object.entries(cases))("%s client", (_era, eraCases) => {
  it.each(eraCases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const before = server.requests.length;
    await c.send(server.baseUrl);
    expect(server.requests.length).toBe(before + 1);
    const sent = server.requests.at(-1)!;
    expect(sent.method).toBe(c.method);
    expect(sent.url).toBe(c.url);
    expect(chosenHeaders(sent.headers)).toEqual(Object.fromEntries(Object.entries(c.headers).sort(([a], [b]) => a.localeCompare(b))));
    expect(sent.body).toEqual(c.body);
  });
});

describe("path parameters are percent-encoded and never change the path", () => {
  const hostile = ["a/b", "a?b=c", "a#b", "../../app", "a b", "%2F"];
  it.each(hostile)("client_id %j stays in its segment", async (clientId) => {
    await v3.createClient({ baseUrl: server.baseUrl }).GET("/applications/{client_id}/tokens/{access_token}", {
      params: { path: { client_id: clientId, access_token: TOKEN } },
    });
    const sent = server.requests.at(-1)!;
    expect(sent.url).toBe(`/api/v3/applications/${encodeURIComponent(clientId)}/tokens/${TOKEN}`);
    const segments = new URL(sent.url, "http://x").pathname.split("/");
    expect(segments).toHaveLength(7);
    expect(decodeURIComponent(segments[4]!)).toBe(clientId);
  });

  it.each([".", ".."])("refuses %j, which a URL parser would resolve", async (clientId) => {
    const before = server.requests.length;
    await expect(
      v3.createClient({ baseUrl: server.baseUrl }).POST("/applications/{client_id}/token", {
        params: { path: { client_id: clientId } },
        body: { access_token: TOKEN },
      }),
    ).rejects.toThrow(/@ghes-sdk\/ghes-3\.x: path parameter "client_id" .* cannot be "\." or "\.\."/);
    expect(server.requests.length).toBe(before);
  });

  it("refuses a missing path parameter instead of sending {client_id} literally, without echoing the token", async () => {
    const before = server.requests.length;
    const attempt = v2022.createClient({ baseUrl: server.baseUrl }).POST("/applications/{client_id}/token", {
      params: { path: {} as { client_id: string } },
      body: { access_token: TOKEN },
    });
    await expect(attempt).rejects.toThrow('@ghes-sdk/ghes-2022-11-28: path parameter "client_id" of /applications/{client_id}/token is missing');
    await attempt.catch((e: Error) => expect(String(e) + e.stack).not.toContain(TOKEN));
    expect(server.requests.length).toBe(before);
  });
});
