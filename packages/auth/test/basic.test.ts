import createClient from "openapi-fetch";
import type { LoosePaths } from "./helpers/paths.js";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { basicAuth, GhesAuthError, type BasicAuthOptions } from "../src/index.js";
import { sendJson, startServer, type TestServer } from "./helpers/server.js";

const USER = "monalisa";
const PASSWORD = "correct horse:battery staple";
const BASIC = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}`;

/**
 * The Authorizations API with two-factor auth on: a right password without a valid OTP gets 401 and
 * `X-GitHub-OTP: required; <kind>`; the codes in `validCodes` are accepted.
 */
let server: TestServer;
let validCodes: Set<string>;
let kind: string;
beforeEach(async () => {
  validCodes = new Set(["123456"]);
  kind = "app";
  server = await startServer((req, res) => {
    if (req.headers.authorization !== BASIC) return sendJson(res, 401, { message: "Bad credentials" });
    const otp = req.headers["x-github-otp"];
    if (typeof otp !== "string" || !validCodes.has(otp)) {
      return sendJson(res, 401, { message: "Must specify two-factor authentication OTP code." }, { "X-GitHub-OTP": `required; ${kind}` });
    }
    sendJson(res, 201, { id: 1, token: "gho_created", note: JSON.parse(req.body || "{}").note ?? null });
  });
});
afterEach(() => server.close());

const clientFor = (options: Partial<BasicAuthOptions>) => {
  const client = createClient<LoosePaths>({ baseUrl: `${server.origin}/api/v3` });
  client.use(basicAuth({ username: USER, password: PASSWORD, ...options }));
  return client;
};
const createAuthorization = (client: ReturnType<typeof clientFor>) =>
  client.POST("/authorizations", { body: { scopes: ["repo"], note: "ci" } });

describe("basicAuth", () => {
  it("sends Basic user:password (UTF-8, colon allowed in the password) and no OTP header by default", async () => {
    const { response } = await clientFor({}).GET("/user");
    expect(response.status).toBe(401);
    expect(server.received[0]!.headers.authorization).toBe(BASIC);
    expect(server.received[0]!.headers["x-github-otp"]).toBeUndefined();
  });

  it("encodes non-ASCII credentials as UTF-8", async () => {
    const client = createClient<LoosePaths>({ baseUrl: server.origin });
    client.use(basicAuth({ username: "zoë", password: "pässwörd" }));
    await client.GET("/user");
    expect(Buffer.from(server.received[0]!.headers.authorization!.slice(6), "base64").toString("utf8")).toBe("zoë:pässwörd");
  });

  it("sends X-GitHub-OTP when otp is given", async () => {
    const { response, data } = await createAuthorization(clientFor({ otp: "123456" }));
    expect(response.status).toBe(201);
    expect(data).toMatchObject({ token: "gho_created" });
    expect(server.received).toHaveLength(1);
    expect(server.received[0]!.headers["x-github-otp"]).toBe("123456");
  });
});

describe("basicAuth two-factor flow", () => {
  it.each(["app", "sms"])("on 401 'required; %s' asks on2fa for a code and retries once with it and the same body", async (k) => {
    kind = k;
    const on2fa = vi.fn(async () => "123456");
    const { response, data } = await createAuthorization(clientFor({ on2fa }));
    expect(response.status).toBe(201);
    expect(data).toMatchObject({ note: "ci" });
    expect(on2fa).toHaveBeenCalledTimes(1);
    expect(on2fa).toHaveBeenCalledWith(k, { signal: expect.any(AbortSignal) });
    expect(server.received.map((r) => [r.method, r.url, r.headers["x-github-otp"], r.body])).toEqual([
      ["POST", "/api/v3/authorizations", undefined, '{"scopes":["repo"],"note":"ci"}'],
      ["POST", "/api/v3/authorizations", "123456", '{"scopes":["repo"],"note":"ci"}'],
    ]);
    expect(server.received[1]!.headers.authorization).toBe(BASIC);
  });

  it("keeps the code for later requests until GitHub asks again", async () => {
    const codes = ["123456", "654321"];
    const on2fa = vi.fn(async () => codes.shift()!);
    const client = clientFor({ on2fa });
    await createAuthorization(client);
    await createAuthorization(client);
    expect(on2fa).toHaveBeenCalledTimes(1);
    expect(server.received.map((r) => r.headers["x-github-otp"])).toEqual([undefined, "123456", "123456"]);
    // The code expires on the server: the next request is asked for a new one.
    validCodes = new Set(["654321"]);
    const { response } = await createAuthorization(client);
    expect(response.status).toBe(201);
    expect(on2fa).toHaveBeenCalledTimes(2);
    expect(server.received.slice(3).map((r) => r.headers["x-github-otp"])).toEqual(["123456", "654321"]);
  });

  it("asks once for concurrent requests that all hit the 401", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const on2fa = vi.fn(async () => {
      await gate;
      return "123456";
    });
    const client = clientFor({ on2fa });
    const pending = Promise.all(Array.from({ length: 5 }, () => createAuthorization(client)));
    await vi.waitFor(() => expect(server.received).toHaveLength(5));
    release();
    const results = await pending;
    expect(results.map((r) => r.response.status)).toEqual([201, 201, 201, 201, 201]);
    expect(on2fa).toHaveBeenCalledTimes(1);
  });

  it("retries only once: a wrong code returns the 401 to the caller", async () => {
    const on2fa = vi.fn(async () => "000000");
    const { response, error } = await createAuthorization(clientFor({ on2fa }));
    expect(response.status).toBe(401);
    expect(response.headers.get("x-github-otp")).toBe("required; app");
    expect(error).toMatchObject({ message: "Must specify two-factor authentication OTP code." });
    expect(on2fa).toHaveBeenCalledTimes(1);
    expect(server.received).toHaveLength(2);
  });

  it("without on2fa, returns the 401 untouched", async () => {
    const { response } = await createAuthorization(clientFor({}));
    expect(response.status).toBe(401);
    expect(server.received).toHaveLength(1);
  });

  it("does not ask for a code on a 401 without X-GitHub-OTP (wrong password)", async () => {
    const on2fa = vi.fn(async () => "123456");
    const client = createClient<LoosePaths>({ baseUrl: server.origin });
    client.use(basicAuth({ username: USER, password: "wrong", on2fa }));
    const { response } = await client.GET("/user");
    expect(response.status).toBe(401);
    expect(on2fa).not.toHaveBeenCalled();
    expect(server.received).toHaveLength(1);
  });

  it("trims the code on2fa returns (a typed newline) and rejects an unusable one without echoing it", async () => {
    const { response } = await createAuthorization(clientFor({ on2fa: async () => " 123456\n" }));
    expect(response.status).toBe(201);
    const error = await createAuthorization(clientFor({ on2fa: async () => "12 34 56" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GhesAuthError);
    expect(error).toMatchObject({ code: "INVALID_OTP" });
    expect((error as Error).message).toMatch(/^@ghes-sdk\/auth: basicAuth: on2fa must resolve/);
    expect((error as Error).message).not.toContain("12 34 56");
  });
});
