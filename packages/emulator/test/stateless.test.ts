// Stateless installation tokens (GHES docs from 3.20: `ghs_<APPID>_<JWT>`, longer than 40 characters, and the
// temporary X-GitHub-Stateless-S2S-Token request header): minted in that format when asked or when the
// rollout has reached the App, verified from the token itself on use, expiring and revocable like any other.
import { appAuth } from "@ghes-sdk/auth";
import { createClient } from "@ghes-sdk/ghes-2022-11-28";
import { afterEach, expect, it } from "vitest";
import { hashToken, startEmulator, STATELESS_TOKEN, type Emulator } from "../src/index.js";

const started: Emulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((e) => e.close()));
});

async function setup(options: { ghesVersion: string; statelessTokens?: boolean }) {
  const ghes = await startEmulator(options);
  started.push(ghes);
  const app = ghes.state.createApp({ name: "stateless" });
  const org = ghes.state.createOrganization("stateless-org");
  ghes.state.createRepository({ owner: org.login, name: "r" });
  const installation = ghes.state.createInstallation({ appId: app.id, account: org.login });
  const asApp = createClient({ baseUrl: ghes.baseUrl, auth: appAuth({ appId: app.id, privateKey: app.privateKeyPem }) });
  const mint = async (header?: string) => {
    const { data, response } = await asApp.POST("/app/installations/{installation_id}/access_tokens", {
      params: { path: { installation_id: installation.id } },
      ...(header === undefined ? {} : { headers: { "X-GitHub-Stateless-S2S-Token": header } }),
    });
    expect(response.status).toBe(201);
    return data!.token;
  };
  const use = (token: string) => fetch(`${ghes.baseUrl}/installation/repositories`, { headers: { authorization: `token ${token}` } }).then((r) => r.status);
  return { ghes, app, mint, use };
}

const classic = /^ghs_[A-Za-z0-9]{36}$/;

it("3.22: stateless when the rollout reached the App, classic when a mint says disabled; the token works, tampered, expired or revoked it does not", async () => {
  const { ghes, app, mint, use } = await setup({ ghesVersion: "3.22", statelessTokens: true });
  const token = await mint();
  expect(token).toMatch(STATELESS_TOKEN);
  expect(token.startsWith(`ghs_${app.id}_`)).toBe(true);
  expect(token.length).toBeGreaterThan(40);
  expect(await use(token)).toBe(200);
  // The stored token is the whole value: token_last_eight and hashed_token are read from it.
  const stored = ghes.state.tokens.get(token)!;
  expect(stored.token.slice(-8)).toBe(token.slice(-8));
  expect(hashToken(stored.token)).toMatch(/^[0-9a-f]{64}$/);

  // Verified from the token itself: a value of that shape the server did not sign, or whose prefix names
  // another App, is refused even when it is on record.
  const installationId = stored.installationId!;
  const last = token.at(-1) === "A" ? "B" : "A";
  for (const forged of [token.slice(0, -1) + last, token.replace(`ghs_${app.id}_`, `ghs_${app.id + 1}_`)]) {
    ghes.state.createToken({ kind: "installation", token: forged, installationId });
    expect(await use(forged)).toBe(401);
  }

  expect(await mint("disabled")).toMatch(classic);
  expect(await mint("true")).toMatch(STATELESS_TOKEN); // any other value is ignored: the rollout decides

  const revoked = await mint();
  expect((await fetch(`${ghes.baseUrl}/installation/token`, { method: "DELETE", headers: { authorization: `token ${revoked}` } })).status).toBe(204);
  expect(await use(revoked)).toBe(401);

  ghes.state.advanceTime(60 * 60_000 + 1);
  expect(await use(token)).toBe(401);
});

it("3.22 without the rollout: classic tokens unless a mint sends X-GitHub-Stateless-S2S-Token: enabled", async () => {
  const { mint, use } = await setup({ ghesVersion: "3.22" });
  expect(await mint()).toMatch(classic);
  const token = await mint("enabled");
  expect(token).toMatch(STATELESS_TOKEN);
  expect(await use(token)).toBe(200);
});

it("before 3.20: no stateless tokens, the header is ignored and the option refused", async () => {
  const { mint } = await setup({ ghesVersion: "3.19" });
  expect(await mint("enabled")).toMatch(classic);
  await expect(startEmulator({ ghesVersion: "3.19", statelessTokens: true })).rejects.toThrow("options.statelessTokens needs ghesVersion 3.20 or later");
});
