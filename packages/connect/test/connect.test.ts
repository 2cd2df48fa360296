// connect() against real emulated GHES servers on 127.0.0.1, one per version, started and stopped here.
import { appAuth } from "@ghes-sdk/auth";
import { startEmulator, type Emulator } from "@ghes-sdk/emulator";
import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../src/index.js";

// One key for every App: generating one per emulator would only slow the tests down.
const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();

type EraName = Emulator["era"];
type Connected = Awaited<ReturnType<typeof connect>>;

/** Starts an emulated GHES `version` — every era that serves it, as GHES does — with one App; `close` stops it. */
async function server(version: string) {
  const ghes = await startEmulator({ ghesVersion: version });
  const app = ghes.state.createApp({ name: `App on ${version}`, privateKeyPem: privateKey });
  return { ghes, app, origin: new URL(ghes.baseUrl).origin, auth: appAuth({ appId: app.id, privateKey }) };
}

/** `GET /app` through whichever era's client connect answered: each is its own type, so narrow first. */
async function getApp(gh: Connected) {
  switch (gh.era) {
    case "ghes-2.2x":
      return gh.client.GET("/app");
    case "ghes-3.x":
      return gh.client.GET("/app");
    case "ghes-2022-11-28":
      return gh.client.GET("/app");
    case "ghes-2026-03-10":
      return gh.client.GET("/app");
  }
}

// The era each version must get for the API version asked for (none: the server's default), and the REST
// API version its client sends.
const VERSIONS: [version: string, asked: "2022-11-28" | "2026-03-10" | undefined, era: EraName, apiVersion: string | undefined][] = [
  ["2.20", undefined, "ghes-2.2x", undefined],
  ["2.22", undefined, "ghes-2.2x", undefined],
  ["3.0", undefined, "ghes-3.x", undefined],
  ["3.8", undefined, "ghes-3.x", undefined],
  ["3.9", undefined, "ghes-2022-11-28", "2022-11-28"],
  ["3.20", undefined, "ghes-2022-11-28", "2022-11-28"],
  ["3.20", "2022-11-28", "ghes-2022-11-28", "2022-11-28"],
  ["3.21", undefined, "ghes-2022-11-28", "2022-11-28"],
  ["3.21", "2022-11-28", "ghes-2022-11-28", "2022-11-28"],
  ["3.21", "2026-03-10", "ghes-2026-03-10", "2026-03-10"],
  ["3.22", undefined, "ghes-2022-11-28", "2022-11-28"],
  ["3.22", "2022-11-28", "ghes-2022-11-28", "2022-11-28"],
  ["3.22", "2026-03-10", "ghes-2026-03-10", "2026-03-10"],
];

describe.each(VERSIONS)("GHES %s, apiVersion %s", (version, asked, era, apiVersion) => {
  let s: Awaited<ReturnType<typeof server>>;
  beforeAll(async () => {
    s = await server(version);
  });
  afterAll(() => s.ghes.close());

  it(`is ${era}, and its client makes an authenticated call`, async () => {
    // The host's URL without /api/v3: connect finds the API root itself.
    const gh = await connect({ baseUrl: s.origin, auth: s.auth, ...(asked ? { apiVersion: asked } : {}) });
    expect({ era: gh.era, version: gh.version, featureRelease: gh.featureRelease, apiVersion: gh.apiVersion, baseUrl: gh.baseUrl }).toEqual({
      era,
      version,
      featureRelease: version,
      apiVersion,
      baseUrl: s.ghes.baseUrl,
    });
    const start = s.ghes.served.length;
    const { data, response } = await getApp(gh);
    expect(response.status).toBe(200);
    expect(data?.id).toBe(s.app.id);
    // Detection was the one unauthenticated request before; the server answered the call as the era chosen
    // (at 3.21+, by the X-GitHub-Api-Version the client sent).
    expect(s.ghes.served.slice(start).map((r) => [r.operationId, r.status, r.era])).toEqual([["apps/get-authenticated", 200, era]]);
  });
});

describe("the forms of baseUrl", () => {
  let s: Awaited<ReturnType<typeof server>>;
  beforeAll(async () => {
    s = await server("3.4");
  });
  afterAll(() => s.ghes.close());

  it.each(["", "/", "/api/v3", "/api/v3/"])("the host's URL + %j reaches the API root", async (suffix) => {
    const gh = await connect({ baseUrl: s.origin + suffix, auth: s.auth });
    expect(gh.baseUrl).toBe(s.ghes.baseUrl);
    if (gh.era !== "ghes-3.x") throw new Error(`expected ghes-3.x, got ${gh.era}`);
    expect((await gh.client.GET("/app")).response.status).toBe(200);
  });
});
