import createClient from "openapi-fetch";
import type { LoosePaths } from "./helpers/paths.js";
import { inspect } from "node:util";
import { GhesRequestError } from "@ghes-sdk/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  appAuth,
  appRouteAuth,
  basicAuth,
  GhesAuthError,
  installationAuth,
  oauthAppAuth,
  tokenAuth,
  type AuthMiddleware,
} from "../src/index.js";
import { APP_ID, PKCS1_KEY, PKCS8_KEY, PUBLIC_KEY } from "./helpers/fixtures.js";
import { startFakeGhes, type FakeGhes } from "./helpers/ghes.js";
import { sendJson, startServer, type TestServer } from "./helpers/server.js";

const TOKEN = "ghp_TESTONLYsecretTokenValue0000000001";
const CLIENT_SECRET = "clientsecret-TESTONLY-4f1e2d";
const PASSWORD = "pw-TESTONLY-hunter2";
const OTP = "918273";
/** Distinctive lines from inside both PEMs (the header line is not secret, the body is). */
const KEY_LINES = [...PKCS1_KEY.split("\n").slice(1, -2), ...PKCS8_KEY.split("\n").slice(1, -2)].filter((l) => l.length > 20);
const STATIC_SECRETS = [TOKEN, CLIENT_SECRET, PASSWORD, OTP, ...KEY_LINES];

/** Everything a log line or a crash report could show of a value. */
const renderings = (value: unknown): string[] => [
  String(value),
  `${value as string}`,
  JSON.stringify(value) ?? "",
  inspect(value),
  inspect(value, { showHidden: true, depth: Infinity, getters: true }),
  value instanceof Error ? `${value.stack}` : "",
];

const expectNoSecrets = (value: unknown, secrets: readonly string[]) => {
  for (const text of renderings(value)) {
    for (const secret of secrets) {
      expect(text, `leaked into: ${text.slice(0, 200)}`).not.toContain(secret);
      expect(text).not.toContain(Buffer.from(secret).toString("base64"));
    }
  }
};
const era = { name: "ghes-2022-11-28" as const, headersFor: () => ({ Accept: "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28" }) };

describe("strategies describe themselves without secrets", () => {
  const strategies = {
    tokenAuth: () => tokenAuth(TOKEN),
    oauthAppAuth: () => oauthAppAuth({ clientId: "Iv1.public", clientSecret: CLIENT_SECRET }),
    basicAuth: () => basicAuth({ username: "monalisa", password: PASSWORD, otp: OTP, on2fa: () => OTP }),
    appAuth: () => appAuth({ appId: APP_ID, privateKey: PKCS1_KEY }),
    installationAuth: () => installationAuth({ appId: APP_ID, privateKey: PKCS8_KEY, installationId: 5, permissions: { issues: "read" } }),
    appRouteAuth: () => appRouteAuth({ appId: APP_ID, privateKey: PKCS1_KEY, clientId: "Iv1.public", clientSecret: CLIENT_SECRET, installationId: 5 }),
  };

  it.each(Object.entries(strategies))("%s and its forEra middleware", (name, make) => {
    const strategy = make();
    for (const value of [strategy, strategy.forEra(era)]) {
      expectNoSecrets(value, STATIC_SECRETS);
      // The description is there and useful, so the absence of secrets is not an absence of output.
      expect(inspect(value)).toContain(name);
      expect(inspect(value)).toContain("[REDACTED]");
      expect(JSON.stringify(value)).toContain(`"strategy":"${name}`);
      expect(String(value)).toContain("[REDACTED]");
    }
  });

  it("shows the non-secret identifiers that help debugging", () => {
    expect(inspect(strategies.installationAuth(), { breakLength: Infinity })).toBe(
      "installationAuth { appId: 4242, installationId: 5, privateKey: '[REDACTED]', scope: { permissions: { issues: 'read' } } }",
    );
    expect(JSON.parse(JSON.stringify(strategies.oauthAppAuth()))).toEqual({ strategy: "oauthAppAuth", clientId: "Iv1.public", clientSecret: "[REDACTED]" });
  });
});

describe("after use, the JWT and installation token are not reachable either", () => {
  let ghes: FakeGhes;
  beforeEach(async () => {
    ghes = await startFakeGhes(PUBLIC_KEY, APP_ID);
  });
  afterEach(() => ghes.close());

  it("inspect/JSON/String of a used appRouteAuth show neither", async () => {
    const auth = appRouteAuth({ appId: APP_ID, privateKey: PKCS1_KEY, installationId: 9 });
    const client = createClient<LoosePaths>({ baseUrl: ghes.origin });
    client.use(auth);
    await client.GET("/app");
    await client.GET("/installation/repositories");
    const jwt = ghes.received[0]!.headers.authorization!.slice("Bearer ".length);
    const token = ghes.minted[0]!.token;
    expect(jwt.length).toBeGreaterThan(100);
    expectNoSecrets(auth, [...STATIC_SECRETS, jwt, token]);
    expectNoSecrets(client, [...STATIC_SECRETS, jwt, token]);
  });
});

describe("errors carry no secrets", () => {
  let server: TestServer;
  beforeEach(async () => {
    // A misbehaving server that echoes the credential it received back in its error message.
    server = await startServer((req, res) =>
      sendJson(res, 500, { message: `cannot accept ${req.headers.authorization} (otp ${req.headers["x-github-otp"]})` }),
    );
  });
  afterEach(() => server.close());

  const failing = async (auth: AuthMiddleware, path = "/installation/repositories"): Promise<unknown> => {
    const client = createClient<LoosePaths>({ baseUrl: `${server.origin}/api/v3` });
    client.use(auth);
    return client.GET(path).then(
      () => undefined,
      (error: unknown) => error,
    );
  };

  it("MINT_FAILED with the JWT echoed back by the server", async () => {
    const error = await failing(installationAuth({ appId: APP_ID, privateKey: PKCS1_KEY, installationId: 3 }));
    expect(error).toBeInstanceOf(GhesRequestError);
    expect((error as Error).message).toContain("cannot accept Bearer [REDACTED]");
    const jwt = server.received[0]!.headers.authorization!.slice("Bearer ".length);
    expectNoSecrets(error, [...STATIC_SECRETS, jwt]);
  });

  it("REVOKE_FAILED with the token echoed back by the server", async () => {
    const ghes = await startFakeGhes(PUBLIC_KEY, APP_ID);
    try {
      const auth = installationAuth({ appId: APP_ID, privateKey: PKCS1_KEY, installationId: 3 });
      const client = createClient<LoosePaths>({ baseUrl: `${ghes.origin}/api/v3`, fetch: (request) => {
        // Send mint and API calls to the real GHES fake, and the revoke to the echoing server.
        if (request.method !== "DELETE") return fetch(request);
        // Re-wrapped so the answer does not say it came from elsewhere (auth ignores other origins' answers).
        return fetch(new Request(request.url.replace(ghes.origin, server.origin), request)).then((r) => new Response(r.body, r));
      } });
      client.use(auth);
      await client.GET("/installation/repositories");
      const error = await auth.revoke().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "REVOKE_FAILED", errors: [{ code: "HTTP_ERROR", status: 500 }] });
      expect((error as Error).message).toContain("cannot accept token [REDACTED]");
      expectNoSecrets(error, [...STATIC_SECRETS, ghes.minted[0]!.token]);
    } finally {
      await ghes.close();
    }
  });

  it("MINT_FAILED from an unreachable host, including its cause chain", async () => {
    const auth = installationAuth({ appId: APP_ID, privateKey: PKCS1_KEY, installationId: 3 });
    const client = createClient<LoosePaths>({ baseUrl: "http://127.0.0.1:1" });
    client.use(auth);
    const error = await client.GET("/installation/repositories").catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "NETWORK" });
    expect((error as Error).cause).toBeDefined();
    expectNoSecrets(error, STATIC_SECRETS);
  });

  it("MISSING_CREDENTIAL and INVALID_OTP", async () => {
    const missing = await failing(appRouteAuth({ appId: APP_ID, privateKey: PKCS1_KEY, clientId: "Iv1.x", clientSecret: CLIENT_SECRET }));
    expect(missing).toMatchObject({ code: "MISSING_CREDENTIAL" });
    expectNoSecrets(missing, STATIC_SECRETS);

    const otpServer = await startServer((_req, res) => sendJson(res, 401, { message: "OTP" }, { "X-GitHub-OTP": "required; sms" }));
    try {
      const client = createClient<LoosePaths>({ baseUrl: otpServer.origin });
      client.use(basicAuth({ username: "u", password: PASSWORD, on2fa: () => `${OTP} ${OTP}` }));
      const invalid = await client.GET("/authorizations").catch((e: unknown) => e);
      expect(invalid).toMatchObject({ code: "INVALID_OTP" });
      expectNoSecrets(invalid, STATIC_SECRETS);
    } finally {
      await otpServer.close();
    }
  });

  it("INVALID_OPTION when a secret is passed in the wrong place", () => {
    const attempts = [
      () => installationAuth({ appId: APP_ID, privateKey: PKCS1_KEY, installationId: TOKEN }),
      () => appAuth({ appId: PKCS1_KEY, privateKey: PKCS1_KEY }),
      () => appAuth({ appId: APP_ID, privateKey: TOKEN }),
      () => tokenAuth(`${TOKEN}\n`),
      () => basicAuth({ username: `${PASSWORD}:`, password: PASSWORD }),
      () => basicAuth({ username: "u", password: PASSWORD, otp: `${OTP} ` }),
      () => tokenAuth(TOKEN, { scheme: CLIENT_SECRET as never }),
      () => oauthAppAuth({ clientId: "x", clientSecret: CLIENT_SECRET, extra: CLIENT_SECRET } as never),
    ];
    for (const attempt of attempts) {
      const error = (() => {
        try {
          attempt();
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toMatchObject({ code: "INVALID_OPTION" });
      expectNoSecrets(error, STATIC_SECRETS);
    }
  });
});
