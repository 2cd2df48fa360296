// GHES behaviour the emulator promises, over real HTTP on 127.0.0.1 with plain fetch (what is on the wire).
import { createHash, sign } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JWT_MESSAGES, seedDemo, startEmulator, type DemoData, type Emulator } from "../src/index.js";
import { compareVersions } from "@ghes-sdk/core";
import { TABLES, type TableRow } from "./support/eras.js";

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

function jwt(demo: DemoData, claims: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const input = `${part({ alg: "RS256", typ: "JWT" })}.${part({ iss: demo.app.id, ...claims })}`;
  return `${input}.${sign("sha256", Buffer.from(input), demo.app.privateKeyPem).toString("base64url")}`;
}

describe("ghes-3.x at 3.3", () => {
  let emulator: Emulator;
  let demo: DemoData;
  const url = (path: string) => `${emulator.baseUrl}${path}`;
  const asClient = () => basic(demo.oauthApp.clientId, demo.oauthApp.clientSecret);
  const checkToken = (token: unknown, headers: Record<string, string> = {}) =>
    fetch(url(`/applications/${demo.oauthApp.clientId}/token`), {
      method: "POST",
      headers: { authorization: asClient(), "content-type": "application/json", ...headers },
      body: JSON.stringify({ access_token: token }),
    });
  beforeAll(async () => {
    emulator = await startEmulator({ era: "ghes-3.x", ghesVersion: "3.3" });
    demo = seedDemo(emulator.state);
  });
  afterAll(() => emulator.close());

  it("sends GHES's headers on every response, errors and unknown routes included", async () => {
    for (const path of ["/app", "/no/such/route"]) {
      const res = await fetch(url(path));
      expect(res.headers.get("x-github-enterprise-version")).toBe("3.3");
      expect(res.headers.get("x-github-request-id")).toMatch(/^[0-9A-F]{4}(:[0-9A-F]{4}){3}$/);
      for (const h of ["limit", "remaining", "reset", "used", "resource"]) expect(res.headers.get(`x-ratelimit-${h}`)).not.toBeNull();
    }
    expect((await fetch(url("/no/such/route"))).status).toBe(404);
  });

  it("checks a token: hashed_token is its SHA-256, token_last_eight its end; Basic failures are 401", async () => {
    const res = await checkToken(demo.oauthToken.token);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body["hashed_token"]).toBe(createHash("sha256").update(demo.oauthToken.token).digest("hex"));
    expect(body["token_last_eight"]).toBe(demo.oauthToken.token.slice(-8));
    expect(demo.oauthToken.token).toMatch(/^gho_[A-Za-z0-9]{36}$/);
    expect((await checkToken("gho_unknown")).status).toBe(404);
    const wrong = await fetch(url(`/applications/${demo.oauthApp.clientId}/token`), {
      method: "POST",
      headers: { authorization: basic(demo.oauthApp.clientId, "wrong"), "content-type": "application/json" },
      body: JSON.stringify({ access_token: demo.oauthToken.token }),
    });
    expect([wrong.status, ((await wrong.json()) as { message: string }).message]).toEqual([401, "Bad credentials"]);
  });

  it("answers an invalid request with GHES's 400/422 body, never a 500", async () => {
    const typed = await checkToken(5);
    expect(typed.status).toBe(422);
    expect(((await typed.json()) as { message: string }).message).toMatch(/^Invalid request\.\n\naccess_token must be string/);
    const bad = await fetch(url(`/applications/${demo.oauthApp.clientId}/token`), {
      method: "POST",
      headers: { authorization: asClient(), "content-type": "application/json" },
      body: "{not json",
    });
    expect([bad.status, ((await bad.json()) as { message: string }).message]).toEqual([400, "Problems parsing JSON"]);
  });

  it("reset: the old token stops working at once", async () => {
    const token = emulator.state.createToken({ kind: "oauth", user: "octocat", clientId: demo.oauthApp.clientId });
    const old = token.token;
    const res = await fetch(url(`/applications/${demo.oauthApp.clientId}/token`), {
      method: "PATCH",
      headers: { authorization: asClient(), "content-type": "application/json" },
      body: JSON.stringify({ access_token: old }),
    });
    const fresh = ((await res.json()) as { token: string }).token;
    expect(fresh).not.toBe(old);
    expect((await checkToken(old)).status).toBe(404);
    expect((await checkToken(fresh)).status).toBe(200);
  });

  it("asks a 2FA user for the one-time password with X-GitHub-OTP: required; app", async () => {
    const first = await fetch(url("/authorizations"), { headers: { authorization: basic("octocat", demo.password) } });
    expect(first.status).toBe(401);
    expect(first.headers.get("x-github-otp")).toBe("required; app");
    const second = await fetch(url("/authorizations"), {
      headers: { authorization: basic("octocat", demo.password), "x-github-otp": emulator.state.otp("octocat") },
    });
    expect(second.status).toBe(200);
    expect((await fetch(url("/authorizations"), { headers: { authorization: basic("octocat", "wrong") } })).status).toBe(401);
  });

  it("verifies App JWTs against the App's public key, with GHES's messages for bad times", async () => {
    const now = Math.floor(Date.now() / 1000);
    const get = async (token: string) => {
      const res = await fetch(url("/app"), { headers: { authorization: `Bearer ${token}` } });
      return [res.status, ((await res.json()) as { message?: string; name?: string }).message ?? "ok"];
    };
    expect(await get(jwt(demo, { iat: now - 60, exp: now + 540 }))).toEqual([200, "ok"]);
    expect(await get(jwt(demo, { iat: now - 700, exp: now - 100 }))).toEqual([401, JWT_MESSAGES.expired]);
    expect(await get(jwt(demo, { iat: now - 60, exp: now + 3600 }))).toEqual([401, JWT_MESSAGES.tooLong]);
    expect(await get(jwt(demo, { iat: now + 300, exp: now + 600 }))).toEqual([401, JWT_MESSAGES.futureIat]);
    const other = { ...demo, app: emulator.state.createApp({ name: "Other" }) };
    const forged = jwt(other, { iat: now - 60, exp: now + 540 }).split(".");
    const withWrongIss = jwt(demo, { iat: now - 60, exp: now + 540 }).split(".");
    expect(await get(`${withWrongIss[0]}.${forged[1]}.${withWrongIss[2]}`)).toEqual([401, JWT_MESSAGES.undecodable]);
  });

  it("installation tokens expire after one hour and stop working when revoked", async () => {
    const now = Math.floor(emulator.state.now() / 1000);
    const mint = await fetch(url(`/app/installations/${demo.installation.id}/access_tokens`), {
      method: "POST",
      headers: { authorization: `Bearer ${jwt(demo, { iat: now - 60, exp: now + 540 })}` },
    });
    const { token, expires_at } = (await mint.json()) as { token: string; expires_at: string };
    expect(token).toMatch(/^ghs_/);
    expect(Date.parse(expires_at) - emulator.state.now()).toBeGreaterThan(3590_000);
    const list = () => fetch(url("/installation/repositories"), { headers: { authorization: `token ${token}` } }).then((r) => r.status);
    expect(await list()).toBe(200);
    emulator.state.advanceTime(3600_000);
    expect(await list()).toBe(401);
    emulator.state.advanceTime(-3600_000);
    expect(await list()).toBe(200);
    expect((await fetch(url("/installation/token"), { method: "DELETE", headers: { authorization: `token ${token}` } })).status).toBe(204);
    expect(await list()).toBe(401);
  });

  it("paginates lists with GitHub's Link header", async () => {
    const token = emulator.state.createToken({ kind: "installation", installationId: demo.installation.id }).token;
    const page = async (n: number) => {
      const res = await fetch(url(`/installation/repositories?per_page=1&page=${n}`), { headers: { authorization: `token ${token}` } });
      const body = (await res.json()) as { total_count: number; repositories: { name: string }[] };
      return { link: res.headers.get("link") ?? "", names: body.repositories.map((r) => r.name), total: body.total_count };
    };
    const first = await page(1);
    expect(first).toMatchObject({ names: ["api"], total: 3 });
    expect(first.link).toContain(`<${emulator.baseUrl}/installation/repositories?per_page=1&page=2>; rel="next"`);
    expect(first.link).toContain('page=3>; rel="last"');
    const last = await page(3);
    expect(last.names).toEqual(["docs"]);
    expect(last.link).toContain('page=1>; rel="first"');
    expect(last.link).toContain('page=2>; rel="prev"');
    expect(last.link).not.toContain('rel="next"');
  });
});

describe("era behaviour", () => {
  it.each([
    ["ghes-2.2x", "application/vnd.github.fury-preview+json"],
    ["ghes-3.x", "application/vnd.github.v3+json"],
    ["ghes-2022-11-28", "application/vnd.github+json"],
  ] as const)("%s converts an App manifest with 201, as GitHub documents", async (era, accept) => {
    const emulator = await startEmulator({ era });
    try {
      const code = emulator.state.createManifestCode({ name: "Manifest App" });
      const response = await fetch(`${emulator.baseUrl}/app-manifests/${code}/conversions`, { method: "POST", headers: { accept } });
      expect(response.status).toBe(201);
      expect(((await response.json()) as { name: string }).name).toBe("Manifest App");
    } finally {
      await emulator.close();
    }
  });

  it("2.2x answers 415 when a required preview media type is missing", async () => {
    const emulator = await startEmulator({ era: "ghes-2.2x" });
    try {
      const demo = seedDemo(emulator.state);
      const auth = basic(demo.oauthApp.clientId, demo.oauthApp.clientSecret);
      const send = (accept: string) =>
        fetch(`${emulator.baseUrl}/applications/${demo.oauthApp.clientId}/token`, {
          method: "POST",
          headers: { authorization: auth, accept, "content-type": "application/json" },
          body: JSON.stringify({ access_token: demo.oauthToken.token }),
        });
      const without = await send("application/vnd.github.v3+json");
      expect(without.status).toBe(415);
      expect(((await without.json()) as { message: string }).message).toContain("application/vnd.github.doctor-strange-preview+json");
      expect((await send("application/vnd.github.doctor-strange-preview+json")).status).toBe(200);
    } finally {
      await emulator.close();
    }
  });

  it("2022-11-28 answers 400 for an unsupported X-GitHub-Api-Version", async () => {
    const emulator = await startEmulator({ era: "ghes-2022-11-28" });
    try {
      const get = (version: string) => fetch(`${emulator.baseUrl}/apps/anything`, { headers: { "x-github-api-version": version } });
      const res = await get("2021-01-01");
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toBe('The version you specified in the "X-GitHub-Api-Version" request header, "2021-01-01", is not a supported version. The following versions are currently supported: "2022-11-28" (most recent).');
      expect((await get("2022-11-28")).status).toBe(404);
    } finally {
      await emulator.close();
    }
  });

  it("answers 404 for an operation outside ghesVersion's since/until range, and serves it inside", async () => {
    // From the 3.x operations table: each operation with a range, asked at its edges (no credentials: an
    // operation that is served answers 401 or 415, one that is not answers 404).
    const step = (v: string, d: number) => v.replace(/\.(\d+)$/, (_m, minor: string) => `.${Number(minor) + d}`);
    const inEra = (v: string) => compareVersions(v, "3.0") >= 0 && compareVersions(v, "3.8") <= 0;
    const probes = Object.values(TABLES["ghes-3.x"]).flatMap((op) => [
      ...(op.until ? [[op, op.until, true], [op, step(op.until, 1), false]] : []),
      ...(op.since && compareVersions(op.since, "3.0") > 0 ? [[op, op.since, true], [op, step(op.since, -1), false]] : []),
    ] as [TableRow, string, boolean][]).filter(([, v]) => inEra(v));
    expect(probes.length).toBeGreaterThan(4);
    const emulators = new Map<string, Emulator>();
    try {
      for (const [op, version, served] of probes) {
        if (!emulators.has(version)) emulators.set(version, await startEmulator({ era: "ghes-3.x", ghesVersion: version }));
        const emulator = emulators.get(version)!;
        const res = await fetch(`${emulator.baseUrl}${op.path.replace(/\{[^}]+\}/g, "1")}`, { method: op.method.toUpperCase() });
        expect(res.status === 404, `${op.operationId} at ${version}`).toBe(!served);
      }
    } finally {
      await Promise.all([...emulators.values()].map((e) => e.close()));
    }
  });

  it("treats a patch release as its feature release (3.3.5 still serves what ends at 3.3; 3.8.2 is in 3.x)", async () => {
    const endsAt33 = Object.values(TABLES["ghes-3.x"]).find((op) => op.until === "3.3")!;
    expect(endsAt33).toBeDefined();
    const emulators = [await startEmulator({ era: "ghes-3.x", ghesVersion: "3.3.5" }), await startEmulator({ era: "ghes-3.x", ghesVersion: "3.8.2" })];
    try {
      const [at335] = emulators;
      const res = await fetch(`${at335!.baseUrl}${endsAt33.path.replace(/\{[^}]+\}/g, "1")}`, { method: endsAt33.method.toUpperCase() });
      expect(res.status, `${endsAt33.operationId} at 3.3.5`).not.toBe(404);
    } finally {
      await Promise.all(emulators.map((e) => e.close()));
    }
  });

  it("can serve an era's whole surface at once (allVersions)", async () => {
    const emulator = await startEmulator({ era: "ghes-3.x", ghesVersion: "3.5", allVersions: true });
    try {
      const demo = seedDemo(emulator.state);
      const res = await fetch(`${emulator.baseUrl}/applications/${demo.oauthApp.clientId}/tokens/${demo.oauthToken.token}`, {
        headers: { authorization: basic(demo.oauthApp.clientId, demo.oauthApp.clientSecret) },
      });
      expect(res.status).toBe(200);
    } finally {
      await emulator.close();
    }
  });

  it("refuses bad options, naming them", async () => {
    await expect(startEmulator({ era: "ghes-4" as never })).rejects.toThrow(/options\.era must be/);
    await expect(startEmulator({ era: "ghes-3.x", ghesVersion: "3.9" })).rejects.toThrow(/ghesVersion 3\.9 is not in era ghes-3\.x \(3\.0–3\.8\)/);
  });
});

describe("fault injection", () => {
  let emulator: Emulator;
  let demo: DemoData;
  const get = (slug = demo.app.slug) => fetch(`${emulator.baseUrl}/apps/${slug}`);
  beforeAll(async () => {
    emulator = await startEmulator({ era: "ghes-2022-11-28", faults: [{ kind: "status", status: 503, retryAfter: 2, operationId: "apps/get-by-slug", times: 2 }] });
    demo = seedDemo(emulator.state);
  });
  afterAll(() => emulator.close());

  it("answers the configured status N times for that operation only, then normally", async () => {
    expect((await fetch(`${emulator.baseUrl}/app`)).status).toBe(401); // another operation: untouched
    const a = await get();
    expect([a.status, a.headers.get("retry-after")]).toEqual([503, "2"]);
    expect((await get()).status).toBe(503);
    expect((await get()).status).toBe(200);
  });

  it("secondary rate limit, primary rate limit, 429", async () => {
    emulator.faults.add({ kind: "secondary-rate-limit", retryAfter: 30 });
    const secondary = await get();
    expect([secondary.status, secondary.headers.get("retry-after")]).toEqual([403, "30"]);
    expect(((await secondary.json()) as { message: string }).message).toContain("secondary rate limit");
    emulator.faults.add({ kind: "rate-limit" });
    const primary = await get();
    expect([primary.status, primary.headers.get("x-ratelimit-remaining")]).toEqual([403, "0"]);
    emulator.faults.add({ kind: "status", status: 429, retryAfter: 1 });
    expect((await get()).status).toBe(429);
    expect((await get()).status).toBe(200);
  });

  it("latency", async () => {
    emulator.faults.add({ kind: "latency", ms: 300 });
    const start = performance.now();
    expect((await get()).status).toBe(200);
    expect(performance.now() - start).toBeGreaterThanOrEqual(290);
  });

  it("dropped connection, malformed and truncated bodies", async () => {
    emulator.faults.add({ kind: "drop" });
    await expect(get()).rejects.toThrow();
    emulator.faults.add({ kind: "malformed" });
    await expect((await get()).json()).rejects.toThrow(SyntaxError);
    emulator.faults.add({ kind: "truncated" });
    await expect(get().then((r) => r.text())).rejects.toThrow();
    expect((await get()).status).toBe(200);
  });
});
