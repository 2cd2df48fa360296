// installationAuth against a GHES 3.22 whose installation tokens come in the stateless format
// (`ghs_<APPID>_<JWT>`, longer than 40 characters): the emulator (a workspace package; turbo builds it before
// this test) mints them as GHES does once the rollout reached the App, and checks them on every use.
import { startEmulator, STATELESS_TOKEN } from "@ghes-sdk/emulator";
import { createClient } from "@ghes-sdk/ghes-2022-11-28";
import { afterAll, afterEach, expect, it, vi } from "vitest";
import { installationAuth } from "../src/index.js";

const T0 = Date.UTC(2026, 5, 1, 12);
const ghes = await startEmulator({ ghesVersion: "3.22", statelessTokens: true });
afterAll(() => ghes.close());
afterEach(() => vi.useRealTimers());

it("mints, caches, refreshes and revokes stateless installation tokens, and re-mints one revoked elsewhere", async () => {
  vi.useFakeTimers({ toFake: ["Date"], now: T0 });
  const app = ghes.state.createApp({ name: "stateless tokens" });
  const org = ghes.state.createOrganization("stateless-auth");
  ghes.state.createRepository({ owner: org.login, name: "r" });
  const installation = ghes.state.createInstallation({ appId: app.id, account: org.login });
  const auth = installationAuth({ appId: app.id, privateKey: app.privateKeyPem, installationId: installation.id });
  const github = createClient({ baseUrl: ghes.baseUrl, auth });
  const list = async () => {
    const { response, data } = await github.GET("/installation/repositories");
    expect(response.status).toBe(200);
    expect(data?.repositories.map((r) => r.name)).toEqual(["r"]);
  };
  const minted = () => [...ghes.state.tokens.values()].filter((t) => t.kind === "installation" && t.installationId === installation.id);

  // Minted once, in the stateless format, and reused from the cache.
  await list();
  await list();
  expect(minted()).toHaveLength(1);
  const first = minted()[0]!;
  expect(first.token).toMatch(STATELESS_TOKEN);
  expect(first.token.length).toBeGreaterThan(40);

  // Refreshed 5 minutes before it expires (the expiry comes from the mint's expires_at, not the token).
  vi.setSystemTime(T0 + 55 * 60_000);
  await list();
  expect(minted()).toHaveLength(2);
  const second = minted()[1]!;
  expect(second.token).toMatch(STATELESS_TOKEN);
  expect(second.token).not.toBe(first.token);

  // Revoked elsewhere (past the 5 s replication-lag window): the 401 drops it, a new one is minted and the
  // request sent again.
  vi.setSystemTime(T0 + 55 * 60_000 + 6_000);
  ghes.state.revokeToken(second);
  await list();
  expect(minted()).toHaveLength(3);

  // revoke(): DELETE /installation/token with the cached token; the server no longer takes it.
  const third = minted()[2]!;
  expect(await auth.revoke()).toBe(1);
  expect(third.revoked).toBe(true);
  const revoked = await fetch(`${ghes.baseUrl}/installation/repositories`, { headers: { authorization: `token ${third.token}` } });
  expect(revoked.status).toBe(401);
  // Nothing of a token in the strategy's self-description.
  for (const token of minted()) expect(`${String(auth)} ${JSON.stringify(auth)}`).not.toContain(token.token.slice(4, 20));
});
