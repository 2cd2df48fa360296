import createClient from "openapi-fetch";
import type { LoosePaths } from "./helpers/paths.js";
import { describe, expect, it, vi } from "vitest";
import { appAuth } from "../src/index.js";
import { APP_ID, OTHER_KEY, PKCS1_KEY, PKCS8_KEY, PUBLIC_KEY } from "./helpers/fixtures.js";
import { T0, useFakeGhes } from "./helpers/ghes.js";
import { bearer, decodeJwt } from "./helpers/jwt.js";

const ghes = useFakeGhes();

const clientFor = (auth: ReturnType<typeof appAuth>) => {
  const client = createClient<LoosePaths>({ baseUrl: `${ghes().origin}/api/v3` });
  client.use(auth);
  return client;
};
const sentJwt = (i: number) => bearer(ghes().received[i]!.headers.authorization);

describe("appAuth JWT", () => {
  it.each([
    ["PKCS#1", PKCS1_KEY],
    ["PKCS#8", PKCS8_KEY],
  ])("signs RS256 with a %s key: iat 60 s back, exp 10 min after iat, iss = app id", async (_label, key) => {
    const client = clientFor(appAuth({ appId: APP_ID, privateKey: key }));
    const { response } = await client.GET("/app");
    expect(response.status).toBe(200);
    const jwt = decodeJwt(sentJwt(0), PUBLIC_KEY);
    expect(jwt.signatureValid).toBe(true);
    expect(jwt.header).toEqual({ alg: "RS256", typ: "JWT" });
    const now = T0 / 1000;
    expect(jwt.payload).toEqual({ iat: now - 60, exp: now - 60 + 600, iss: APP_ID });
  });

  it("accepts the app id as a string of digits and still sends a numeric iss", async () => {
    const client = clientFor(appAuth({ appId: String(APP_ID), privateKey: PKCS1_KEY }));
    await client.GET("/app");
    expect(decodeJwt(sentJwt(0), PUBLIC_KEY).payload.iss).toBe(APP_ID);
  });

  it("accepts a PEM whose newlines arrived as literal \\n (as from an env var)", async () => {
    const client = clientFor(appAuth({ appId: APP_ID, privateKey: PKCS1_KEY.trim().replaceAll("\n", "\\n") }));
    const { response } = await client.GET("/app");
    expect(response.status).toBe(200);
  });

  it("is rejected by the server when signed with another key", async () => {
    const client = clientFor(appAuth({ appId: APP_ID, privateKey: OTHER_KEY }));
    const { response, error } = await client.GET("/app");
    expect(response.status).toBe(401);
    expect(error).toMatchObject({ message: "A JSON web token could not be decoded" });
    expect(decodeJwt(sentJwt(0), PUBLIC_KEY).signatureValid).toBe(false);
  });

  it("reuses the JWT until a minute before it expires, then signs a new one", async () => {
    const client = clientFor(appAuth({ appId: APP_ID, privateKey: PKCS1_KEY }));
    await client.GET("/app");
    // exp = T0 - 60 + 600 = T0 + 540 s; reuse ends at exp - 60 = T0 + 480 s.
    vi.setSystemTime(T0 + 479_000);
    await client.GET("/app");
    vi.setSystemTime(T0 + 480_000);
    await client.GET("/app");
    expect(sentJwt(1)).toBe(sentJwt(0));
    expect(sentJwt(2)).not.toBe(sentJwt(0));
    expect(decodeJwt(sentJwt(2), PUBLIC_KEY).payload.iat).toBe(T0 / 1000 + 480 - 60);
  });

  it("shares one JWT between the strategy and its forEra middlewares", async () => {
    const auth = appAuth({ appId: APP_ID, privateKey: PKCS1_KEY });
    const era = { name: "ghes-3.x" as const, headersFor: () => ({ Accept: "application/vnd.github.v3+json" }) };
    const a = createClient<LoosePaths>({ baseUrl: `${ghes().origin}/api/v3` });
    a.use(auth);
    const b = createClient<LoosePaths>({ baseUrl: `${ghes().origin}/api/v3` });
    b.use(auth.forEra(era));
    await a.GET("/app");
    await b.GET("/app");
    expect(sentJwt(1)).toBe(sentJwt(0));
    expect(auth.forEra(era)).toBe(auth.forEra(era));
  });
});

describe("appAuth clock skew", () => {
  it.each([
    ["ahead of", 3600],
    ["behind", -3600],
  ])("when the server's clock is an hour %s ours, learns it from Date and retries once", async (_label, offset) => {
    ghes().clockOffsetS = offset;
    const client = clientFor(appAuth({ appId: APP_ID, privateKey: PKCS1_KEY }));
    const { response, data } = await client.GET("/app");
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ id: APP_ID });
    expect(ghes().received).toHaveLength(2);
    const retried = decodeJwt(sentJwt(1), PUBLIC_KEY).payload;
    expect(retried.iat).toBe(T0 / 1000 + offset - 60);
    // The correction sticks: the next request is right the first time.
    await client.GET("/app");
    expect(ghes().received).toHaveLength(3);
    expect(ghes().received[2]!.headers.authorization).toBe(ghes().received[1]!.headers.authorization);
  });

  it("retries every request of a concurrent burst, not only the one that corrected the clock", async () => {
    ghes().clockOffsetS = 3600;
    const client = clientFor(appAuth({ appId: APP_ID, privateKey: PKCS1_KEY }));
    const results = await Promise.all(Array.from({ length: 10 }, () => client.GET("/app")));
    expect(results.map((r) => r.response.status)).toEqual(Array(10).fill(200));
    expect(ghes().received).toHaveLength(20);
  });

  it("keeps the request body for the retry", async () => {
    ghes().clockOffsetS = 3600;
    const client = clientFor(appAuth({ appId: APP_ID, privateKey: PKCS1_KEY }));
    const { response } = await client.POST("/app/installations/{installation_id}", {
      params: { path: { installation_id: 1 } },
      body: { hello: "world" },
    });
    expect(response.status).toBe(200);
    expect(ghes().received.map((r) => r.body)).toEqual(['{"hello":"world"}', '{"hello":"world"}']);
  });

  // A server that always rejects the JWT's times, with a Date header `dateOffsetMs` from our clock. It
  // forwards each request to the real server first so the wire shows how many were sent.
  const alwaysSkewed = (dateOffsetMs: number) => {
    const client = createClient<LoosePaths>({
      baseUrl: `${ghes().origin}/api/v3`,
      fetch: async (request) => {
        await (await fetch(request)).arrayBuffer();
        return new Response(JSON.stringify({ message: "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued" }), {
          status: 401,
          headers: { "content-type": "application/json", date: new Date(Date.now() + dateOffsetMs).toUTCString() },
        });
      },
    });
    client.use(appAuth({ appId: APP_ID, privateKey: PKCS1_KEY }));
    return client;
  };

  it("retries only once when the retry is rejected too", async () => {
    const { response } = await alwaysSkewed(7200_000).GET("/app");
    expect(response.status).toBe(401);
    expect(ghes().received).toHaveLength(2);
  });

  it("does not retry when the Date header agrees with our clock (a retry would fail the same way)", async () => {
    const { response } = await alwaysSkewed(0).GET("/app");
    expect(response.status).toBe(401);
    expect(ghes().received).toHaveLength(1);
  });

  it("does not retry a 401 that is not about iat/exp", async () => {
    const client = clientFor(appAuth({ appId: APP_ID, privateKey: OTHER_KEY }));
    const { response } = await client.GET("/app");
    expect(response.status).toBe(401);
    expect(ghes().received).toHaveLength(1);
  });
});
