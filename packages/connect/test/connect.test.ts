// connect() against real emulated GHES servers on 127.0.0.1, one per version, started and stopped here.
import { appAuth } from "@ghes-sdk/auth";
import { startEmulator, type Emulator } from "@ghes-sdk/emulator";
import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../src/index.js";

// One key for every App: generating one per emulator would only slow the tests down.
const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();

type EraName = Emulator["era"];

/** Starts an emulator of `era` at `version` with one App; `close` stops it. */
async function server(era: EraName, version: string) {
  const ghes = await startEmulator({ era, ghesVersion: version });
  const app = ghes.state.createApp({ name: `App on ${version}`, privateKeyPem: privateKey });
  return { ghes, app, origin: new URL(ghes.baseUrl).origin, auth: appAuth({ appId: app.id, privateKey }) };
}

// The era each version must get, and the REST API version its client sends (3.9+ only).
const VERSIONS: [version: string, era: EraName, apiVersion: string | undefined][] = [
  ["2.20", "ghes-2.2x", undefined],
  ["2.22", "ghes-2.2x", undefined],
  ["3.0", "ghes-3.x", undefined],
  ["3.8", "ghes-3.x", undefined],
  ["3.9", "ghes-2022-11-28", "2022-11-28"],
  ["3.20", "ghes-2022-11-28", "2022-11-28"],
  ["3.21", "ghes-2022-11-28", "2022-11-28"],
  ["3.22", "ghes-2022-11-28", "2022-11-28"],
];

describe.each(VERSIONS)("GHES %s", (version, era, apiVersion) => {
  let s: Awaited<ReturnType<typeof server>>;
  beforeAll(async () => {
    s = await server(era, version);
  });
  afterAll(() => s.ghes.close());

  it(`is ${era}, and its client makes an authenticated call`, async () => {
    // The host's URL without /api/v3: connect finds the API root itself.
    const gh = await connect({ baseUrl: s.origin, auth: s.auth });
    expect({ era: gh.era, version: gh.version, featureRelease: gh.featureRelease, apiVersion: gh.apiVersion, baseUrl: gh.baseUrl }).toEqual({
      era,
      version,
      featureRelease: version,
      apiVersion,
      baseUrl: s.ghes.baseUrl,
    });
    const start = s.ghes.served.length;
    // Each era's client is its own type: narrow first (the type test shows why).
    const { data, response } =
      gh.era === "ghes-2.2x" ? await gh.client.GET("/app") : gh.era === "ghes-3.x" ? await gh.client.GET("/app") : await gh.client.GET("/app");
    expect(response.status).toBe(200);
    expect(data?.id).toBe(s.app.id);
    // Detection was the one unauthenticated request before; the call is the era's (2.2x: its preview).
    expect(s.ghes.served.slice(start).map((r) => [r.operationId, r.status])).toEqual([["apps/get-authenticated", 200]]);
  });
});

describe("the forms of baseUrl", () => {
  let s: Awaited<ReturnType<typeof server>>;
  beforeAll(async () => {
    s = await server("ghes-3.x", "3.4");
  });
  afterAll(() => s.ghes.close());

  it.each(["", "/", "/api/v3", "/api/v3/"])("the host's URL + %j reaches the API root", async (suffix) => {
    const gh = await connect({ baseUrl: s.origin + suffix, auth: s.auth });
    expect(gh.baseUrl).toBe(s.ghes.baseUrl);
    if (gh.era !== "ghes-3.x") throw new Error(`expected ghes-3.x, got ${gh.era}`);
    expect((await gh.client.GET("/app")).response.status).toBe(200);
  });
});
