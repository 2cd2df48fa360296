import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_ID, INSTALLATION_ID, PUBLIC_KEY } from "./helpers/fixtures.js";
import { bearer, decodeJwt } from "./helpers/jwt.js";
import { sendJson, startServer, type Received, type TestServer } from "./helpers/server.js";

const root = new URL("../", import.meta.url);
const readme = readFileSync(new URL("README.md", root), "utf8");
const exampleFiles = readdirSync(new URL("examples/", root)).filter((f) => f.endsWith(".ts")).sort();

describe("README examples are the files in examples/", () => {
  const blocks = [...readme.matchAll(/<!-- example: (examples\/[\w.-]+) -->\n```ts\n([\s\S]*?)```/g)].map((m) => [m[1]!, m[2]!] as const);

  it("every example file is shown exactly once, every strategy has one", () => {
    expect(blocks.map(([file]) => file).sort()).toEqual(exampleFiles.map((f) => `examples/${f}`));
    const shown = blocks.map(([, code]) => code).join("\n");
    for (const strategy of ["tokenAuth", "oauthAppAuth", "basicAuth", "appAuth", "installationAuth", "appRouteAuth", "appInstallationsAuth"]) {
      expect(shown).toMatch(new RegExp(`import \\{ ${strategy} \\} from "@ghes-sdk/auth"`));
    }
  });

  it.each(blocks)("%s is shown verbatim", (file, code) => {
    expect(code).toBe(readFileSync(new URL(file, root), "utf8"));
  });
});

// A GHES that answers exactly the calls the examples make, checking each credential strictly.
const CLIENT_ID = "Iv1.readme";
const CLIENT_SECRET = "readme-client-secret";
const TOKEN = "ghu_readmeUserToken";
const ACCESS_TOKEN = "gho_readmeTokenToCheck";
const USERNAME = "monalisa";
const PASSWORD = "readme-password";
const OTP = "424242";
const INSTALLATION_TOKEN = "ghs_readmeInstallation";
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

let server: TestServer;
beforeAll(async () => {
  server = await startServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname.replace(/^\/api\/v3/, "");
    const auth = req.headers.authorization;
    const jwtOk = () => {
      try {
        const jwt = decodeJwt(bearer(auth), PUBLIC_KEY);
        return jwt.signatureValid && jwt.payload.iss === APP_ID;
      } catch {
        return false;
      }
    };
    const route = `${req.method} ${path}`;
    if (route === `POST /app/installations/${INSTALLATION_ID}/access_tokens` && jwtOk()) {
      return sendJson(res, 201, { token: INSTALLATION_TOKEN, expires_at: new Date(Date.now() + 3600_000).toISOString() });
    }
    const repoInstallation = /^\/repos\/octo-org\/(api|web)\/installation$/.exec(path);
    if (req.method === "GET" && repoInstallation) {
      // The example's default chooser looks each repository up with the JWT, then asks again with the token.
      if (jwtOk()) return sendJson(res, 200, { id: INSTALLATION_ID });
      if (auth === `token ${INSTALLATION_TOKEN}`) return sendJson(res, 200, { id: INSTALLATION_ID, via: "token" });
    }
    if (route === "GET /app" && jwtOk()) return sendJson(res, 200, { id: APP_ID, slug: "readme-app", name: "Readme App" });
    if (route === "GET /app/installations" && jwtOk()) return sendJson(res, 200, [{ id: INSTALLATION_ID }, { id: 78 }]);
    if (route === "GET /installation/repositories" && auth === `token ${INSTALLATION_TOKEN}`) {
      return sendJson(res, 200, { total_count: 2, repositories: [{ full_name: "octo-org/api" }, { full_name: "octo-org/web" }] });
    }
    if (route === "DELETE /installation/token" && auth === `token ${INSTALLATION_TOKEN}`) {
      res.writeHead(204).end();
      return;
    }
    if (route === "GET /user/installations" && auth === `token ${TOKEN}`) {
      return sendJson(res, 200, { total_count: 1, installations: [{ id: INSTALLATION_ID, account: { login: "octo-org" } }] });
    }
    if (route === `POST /applications/${CLIENT_ID}/token` && auth === basic(CLIENT_ID, CLIENT_SECRET)) {
      if (JSON.parse(req.body).access_token !== ACCESS_TOKEN) return sendJson(res, 404, { message: "Not Found" });
      return sendJson(res, 200, { id: 1, token: ACCESS_TOKEN, scopes: ["repo", "user"], user: { login: "monalisa" } });
    }
    if (route === "POST /authorizations" && auth === basic(USERNAME, PASSWORD)) {
      if (req.headers["x-github-otp"] !== OTP) {
        return sendJson(res, 401, { message: "Must specify two-factor authentication OTP code." }, { "X-GitHub-OTP": "required; sms" });
      }
      return sendJson(res, 201, { id: 9, scopes: JSON.parse(req.body).scopes, note: JSON.parse(req.body).note });
    }
    sendJson(res, 401, { message: "Bad credentials" });
  });
});
afterAll(() => server.close());

const ENV = () => ({
  PATH: process.env["PATH"] ?? "",
  GHES_API_URL: `${server.origin}/api/v3`,
  GHES_TOKEN: TOKEN,
  GHES_CLIENT_ID: CLIENT_ID,
  GHES_CLIENT_SECRET: CLIENT_SECRET,
  GHES_ACCESS_TOKEN: ACCESS_TOKEN,
  GHES_USERNAME: USERNAME,
  GHES_PASSWORD: PASSWORD,
  GHES_APP_ID: String(APP_ID),
  GHES_APP_PRIVATE_KEY_PATH: fileURLToPath(new URL("test/fixtures/app-key.pkcs1.pem", root)),
  GHES_INSTALLATION_ID: String(INSTALLATION_ID),
});

/** Runs an example as its own node process, as a user would (TypeScript via test/helpers/ts-hooks.mjs). */
function run(file: string, stdin = ""): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", fileURLToPath(new URL("test/helpers/ts-register.mjs", root)), `examples/${file}`], {
      cwd: fileURLToPath(root),
      env: ENV(),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const since = (start: number): Received[] => server.received.slice(start);

// Each example is a node process that loads TypeScript and the era package: a few seconds of CPU, which
// on a loaded 2-core machine has taken over 30 s of wall time — hence the generous per-test budget.
describe("README examples run", () => {
  it("token.ts", async () => {
    const start = server.received.length;
    const result = await run("token.ts");
    expect(result).toMatchObject({ code: 0, stdout: "installation 77: octo-org\n" });
    expect(since(start)[0]!.headers.accept).toBe("application/vnd.github.machine-man-preview+json");
  });

  it("oauth-app.ts", async () => {
    expect(await run("oauth-app.ts")).toMatchObject({ code: 0, stdout: "token belongs to monalisa, scopes: repo, user\n" });
  });

  it("basic-2fa.ts answers the SMS prompt from stdin", async () => {
    const start = server.received.length;
    const result = await run("basic-2fa.ts", `${OTP}\n`);
    expect(result).toMatchObject({ code: 0, stdout: "created authorization 9 with scopes repo\n" });
    expect(result.stderr).toContain("Code sent by SMS: ");
    expect(since(start).map((r) => r.headers["x-github-otp"])).toEqual([undefined, OTP]);
  });

  it("app.ts", async () => {
    expect(await run("app.ts")).toMatchObject({ code: 0, stdout: "authenticated as Readme App (readme-app)\n" });
  });

  it("installation.ts mints, lists and revokes", async () => {
    const start = server.received.length;
    const result = await run("installation.ts");
    expect(result).toMatchObject({ code: 0, stdout: "2 repositories: octo-org/api, octo-org/web\nrevoked 1 token(s)\n" });
    const [mint, list, revoke] = since(start);
    expect(mint!.headers.accept).toBe("application/vnd.github.machine-man-preview+json");
    expect(JSON.parse(mint!.body)).toEqual({ permissions: { metadata: "read" } });
    expect(list!.headers.authorization).toBe(`token ${INSTALLATION_TOKEN}`);
    expect([revoke!.method, revoke!.headers.accept]).toEqual(["DELETE", "application/vnd.github.gambit-preview+json"]);
  });

  it("app-installations.ts looks each repository up once, mints once, sends /app with the JWT", async () => {
    const start = server.received.length;
    const result = await run("app-installations.ts");
    expect(result).toMatchObject({
      code: 0,
      stdout: `octo-org/api is served by installation ${INSTALLATION_ID} of Readme App\nocto-org/web is served by installation ${INSTALLATION_ID} of Readme App\n`,
    });
    const sent = since(start).map((r) => `${r.method} ${r.url.replace(/^\/api\/v3/, "")} ${r.headers.authorization?.split(" ")[0]}`);
    expect(sent).toEqual([
      "GET /app Bearer",
      "GET /repos/octo-org/api/installation Bearer",
      `POST /app/installations/${INSTALLATION_ID}/access_tokens Bearer`,
      "GET /repos/octo-org/api/installation token",
      "GET /repos/octo-org/web/installation Bearer",
      "GET /repos/octo-org/web/installation token",
    ]);
  });

  it("app-routes.ts", async () => {
    expect(await run("app-routes.ts")).toMatchObject({ code: 0, stdout: "installations: 77, 78\nrepositories: 2\ntoken check: 200\n" });
  });

  it("plain-client.ts", async () => {
    const start = server.received.length;
    expect(await run("plain-client.ts")).toMatchObject({ code: 0, stdout: "2 repositories\n" });
    expect(since(start)[0]!.headers.accept).toBe("application/vnd.github.machine-man-preview+json");
  });
}, 120_000);
