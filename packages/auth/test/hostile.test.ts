// Issue 9: every strategy against a hostile or broken server. Whatever the server does — redirect to another
// origin, a 401 or 2FA challenge from there, a CRLF token, a huge body, a wrong Date, HTML errors — no
// secret reaches the other origin, and no error auth raises shows one in its message, url, cause or inspect.
import createClient from "openapi-fetch";
import type { ServerResponse } from "node:http";
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { appAuth, appRouteAuth, basicAuth, installationAuth, oauthAppAuth, tokenAuth, type AuthStrategy } from "../src/index.js";
import { APP_ID, PKCS1_KEY, PKCS8_KEY } from "./helpers/fixtures.js";
import type { LoosePaths } from "./helpers/paths.js";
import { startServer, type Received, type TestServer } from "./helpers/server.js";

const TOKEN = "ghp_TESTONLYhostile000000000000000000001";
const CLIENT_SECRET = "clientsecret-TESTONLY-hostile";
const PASSWORD = "pw-TESTONLY-hostile";
const OTP = "918273";
const MINTED = "ghs_TESTONLYmintedByHostile0000000001";
const KEY_LINES = [...PKCS1_KEY.split("\n").slice(1, -2), ...PKCS8_KEY.split("\n").slice(1, -2)].filter((l) => l.length > 20);
const SKEW = "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued";

const on2fa = vi.fn(async () => OTP);
interface Case {
  make: () => AuthStrategy;
  call: (client: ReturnType<typeof createClient<LoosePaths>>) => Promise<unknown>;
  mints: boolean;
  /** The call sends a body (which may hold credentials). */
  body?: boolean;
}
const STRATEGIES: Record<string, Case> = {
  tokenAuth: { make: () => tokenAuth(TOKEN), call: (c) => c.GET("/user"), mints: false },
  oauthAppAuth: {
    make: () => oauthAppAuth({ clientId: "Iv1.hostile", clientSecret: CLIENT_SECRET }),
    call: (c) => c.POST("/applications/{client_id}/token", { params: { path: { client_id: "Iv1.hostile" } }, body: { access_token: TOKEN } }),
    mints: false,
    body: true,
  },
  basicAuth: {
    make: () => basicAuth({ username: "monalisa", password: PASSWORD, otp: OTP, on2fa }),
    call: (c) => c.POST("/authorizations", { body: { note: "hostile" } }),
    mints: false,
    body: true,
  },
  appAuth: { make: () => appAuth({ appId: APP_ID, privateKey: PKCS1_KEY }), call: (c) => c.GET("/app"), mints: false },
  installationAuth: {
    make: () => installationAuth({ appId: APP_ID, privateKey: PKCS8_KEY, installationId: 7 }),
    call: (c) => c.GET("/installation/repositories"),
    mints: true,
  },
  appRouteAuth: {
    make: () => appRouteAuth({ appId: APP_ID, privateKey: PKCS1_KEY, clientId: "Iv1.hostile", clientSecret: CLIENT_SECRET, installationId: 7 }),
    call: (c) => c.GET("/installation/repositories"),
    mints: true,
  },
};

const yearAhead = () => new Date(Date.now() + 365 * 86_400_000).toUTCString();
const echo = (req: Received) => `${req.headers.authorization ?? ""} otp=${req.headers["x-github-otp"] ?? ""}`;
const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(JSON.stringify(body));
};
const mintOk = (res: ServerResponse, token = MINTED) => json(res, 201, { token, expires_at: new Date(Date.now() + 3600_000).toISOString() });
const isMint = (req: Received) => req.url.endsWith("/access_tokens");

interface Scenario {
  api: (req: Received, res: ServerResponse, elsewhere: string) => void;
  elsewhere?: (req: Received, res: ServerResponse) => void;
  /** How many requests the other origin must see: each call once, never a retry prompted by its answer. */
  elsewhereCalls?: number;
}
const SCENARIOS: Record<string, Scenario> = {
  "redirect to another origin (the mint too)": {
    api: (req, res, elsewhere) => void res.writeHead(307, { Location: `${elsewhere}${req.url}` }).end(),
    elsewhere: (req, res) => json(res, 200, { echoed: echo(req) }),
  },
  "401, 2FA challenge and a wrong Date from another origin": {
    api: (req, res, elsewhere) => (isMint(req) ? mintOk(res) : void res.writeHead(307, { Location: `${elsewhere}${req.url}` }).end()),
    elsewhere: (req, res) => json(res, 401, { message: `${SKEW} ${echo(req)}` }, { "X-GitHub-OTP": "required; sms", Date: yearAhead() }),
    elsewhereCalls: 1,
  },
  "a minted token with CRLF in it": {
    api: (req, res) => (isMint(req) ? mintOk(res, `${MINTED}\r\nX-Injected: yes`) : json(res, 200, { ok: true })),
  },
  "a 5 MB error body echoing the credential": {
    api: (req, res) => {
      res.writeHead(500, { "Content-Type": "text/plain" });
      res.end(`${echo(req)} ${"\u001b[2J\r\n".repeat(10)}${"x".repeat(5 * 1024 * 1024)} ${echo(req)}`);
    },
  },
  "a wrong Date with a clock-skew 401": {
    api: (req, res) => json(res, 401, { message: `${SKEW} (${echo(req)})` }, { Date: yearAhead() }),
  },
  "HTML error pages": {
    api: (req, res) => {
      res.writeHead(502, { "Content-Type": "text/html" });
      res.end(`<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><pre>${echo(req)}</pre></body></html>`);
    },
  },
};

/** Everything a log line or a crash report could show of an error. */
const renderings = (error: unknown): string[] => {
  const e = error as Error & { url?: unknown; cause?: unknown };
  return [
    String(error),
    JSON.stringify(error) ?? "",
    inspect(error),
    inspect(error, { showHidden: true, depth: Infinity, getters: true }),
    `${e.stack}`,
    String(e.url ?? ""),
    inspect(e.cause, { showHidden: true, depth: Infinity }),
  ];
};

let api: TestServer;
let elsewhere: TestServer;
let scenario: Scenario;
beforeEach(async () => {
  on2fa.mockClear();
  elsewhere = await startServer((req, res) => (scenario.elsewhere ?? (() => json(res, 404, {})))(req, res));
  api = await startServer((req, res) => scenario.api(req, res, elsewhere.origin));
});
afterEach(async () => {
  await api.close();
  await elsewhere.close();
});

describe.each(Object.entries(SCENARIOS))("hostile server: %s", (_name, current) => {
  it.each(Object.entries(STRATEGIES))("%s leaks nothing", { timeout: 20_000 }, async (_strategy, { make, call, mints, body }) => {
    scenario = current;
    const client = createClient<LoosePaths>({ baseUrl: `${api.origin}/api/v3` });
    client.use(make());
    const outcome = await call(client).then(
      (result) => ({ result, error: undefined }),
      (error: unknown) => ({ result: undefined, error }),
    );

    // Every secret there is: the static ones, and every credential the API server actually received.
    const sent = api.received.flatMap((r) => [r.headers.authorization?.replace(/^\S+ /, ""), r.headers["x-github-otp"]]);
    const secrets = [TOKEN, CLIENT_SECRET, PASSWORD, OTP, MINTED, ...KEY_LINES, ...sent].filter((s): s is string => typeof s === "string" && s.length >= 6);

    // Nothing secret went to the other origin.
    const delivered = JSON.stringify(elsewhere.received);
    for (const secret of secrets) expect(delivered).not.toContain(secret);
    for (const req of elsewhere.received) {
      expect(req.headers.authorization).toBeUndefined();
      expect(req.headers["x-github-otp"]).toBeUndefined();
    }
    // Another origin's answers never make a strategy retry, prompt or mint again.
    expect(on2fa).not.toHaveBeenCalled();
    // A request with a body (which may hold credentials) is never redirected to another origin at all.
    if (body) expect(elsewhere.received).toHaveLength(0);
    else if (current.elsewhereCalls !== undefined) expect(elsewhere.received).toHaveLength(current.elsewhereCalls);
    expect(api.received.filter(isMint).length).toBeLessThanOrEqual(mints ? 2 : 0);

    if (outcome.error !== undefined) {
      const error = outcome.error as Error;
      expect(error.message.length).toBeLessThan(2_000);
      expect(error.message).not.toMatch(/[\u0000-\u001f\u007f]/);
      for (const text of renderings(error)) {
        for (const secret of secrets) {
          expect(text, `leaked into: ${text.slice(0, 300)}`).not.toContain(secret);
          expect(text).not.toContain(Buffer.from(secret).toString("base64"));
        }
      }
    } else {
      // What came back is the server's own answer; the URL auth reports it under holds no secret.
      const { response } = outcome.result as { response: Response };
      for (const secret of secrets) expect(response.url).not.toContain(secret);
    }
  });
});
