import createClient from "openapi-fetch";
import type { LoosePaths } from "./helpers/paths.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { oauthAppAuth, tokenAuth } from "../src/index.js";
import { sendJson, startServer, type TestServer } from "./helpers/server.js";

let server: TestServer;
beforeEach(async () => {
  server = await startServer((req, res) => sendJson(res, 200, { authorization: req.headers.authorization ?? null }));
});
afterEach(() => server.close());

const send = async (auth: Parameters<ReturnType<typeof createClient>["use"]>[0]) => {
  const client = createClient<LoosePaths>({ baseUrl: `${server.origin}/api/v3` });
  client.use(auth);
  await client.GET("/user");
  return server.received.at(-1)!.headers.authorization;
};

describe("tokenAuth", () => {
  it.each([
    ["a PAT", "ghp_TESTONLY0000000000000000000000000001"],
    ["an OAuth token", "gho_TESTONLY000000000000000000000000001"],
    ["a user-to-server token", "ghu_TESTONLY000000000000000000000000001"],
    ["an installation token", "ghs_TESTONLY000000000000000000000000001"],
    ["a pre-2021 40-hex token", "0123456789abcdef0123456789abcdef01234567"],
  ])("sends %s as `Authorization: token …` by default", async (_label, token) => {
    expect(await send(tokenAuth(token))).toBe(`token ${token}`);
  });

  it.each(["bearer", "Bearer"] as const)("sends `Authorization: Bearer …` with scheme %s", async (scheme) => {
    expect(await send(tokenAuth("ghu_TESTONLY", { scheme }))).toBe("Bearer ghu_TESTONLY");
  });

  it("replaces an Authorization header set on the client, so the strategy is the single source of auth", async () => {
    const client = createClient<LoosePaths>({ baseUrl: server.origin, headers: { Authorization: "token stale" } });
    client.use(tokenAuth("ghp_TESTONLY"));
    await client.GET("/user");
    expect(server.received[0]!.headers.authorization).toBe("token ghp_TESTONLY");
  });

  it("forEra middlewares send the same header", async () => {
    const strategy = tokenAuth("ghp_TESTONLY");
    const era = { name: "ghes-2022-11-28" as const, headersFor: () => ({}) };
    expect(await send(strategy.forEra(era))).toBe("token ghp_TESTONLY");
  });
});

describe("oauthAppAuth", () => {
  it("sends Basic base64(client_id:client_secret)", async () => {
    const header = await send(oauthAppAuth({ clientId: "Iv1.8a61f9b3a7aba766", clientSecret: "1f2e3d4c5b6a" }));
    expect(header).toBe(`Basic ${Buffer.from("Iv1.8a61f9b3a7aba766:1f2e3d4c5b6a").toString("base64")}`);
  });

  it("checks a token with POST /applications/{client_id}/token, sending the token only in the body", async () => {
    const client = createClient<LoosePaths>({ baseUrl: server.origin });
    client.use(oauthAppAuth({ clientId: "abc123", clientSecret: "s3cr3t" }));
    const { response } = await client.POST("/applications/{client_id}/token", {
      params: { path: { client_id: "abc123" } },
      body: { access_token: "gho_TESTONLY" },
    });
    expect(response.status).toBe(200);
    const [req] = server.received;
    expect(req!.url).toBe("/applications/abc123/token");
    expect(req!.headers.authorization).toBe(`Basic ${Buffer.from("abc123:s3cr3t").toString("base64")}`);
    expect(JSON.parse(req!.body)).toEqual({ access_token: "gho_TESTONLY" });
  });
});
