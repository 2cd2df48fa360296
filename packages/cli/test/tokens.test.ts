// `ghes-sdk revoke` and `ghes-sdk check-token` against the emulator of each era, run from the installed tarball.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERAS, forbid, ghesSdk, startGhes, type Ghes } from "./support/cli.js";

describe.each(ERAS)("$era", ({ era, ghesVersion }) => {
  let ghes: Ghes;
  let oauth: { clientId: string; clientSecret: string };
  beforeAll(async () => {
    ghes = await startGhes(era, ghesVersion);
    const client = ghes.emulator.state.createOAuthApp({ name: "CI Checker" });
    oauth = { clientId: client.clientId, clientSecret: client.clientSecret };
    forbid(client.clientSecret);
  });
  afterAll(() => ghes.close());

  const mint = async () => {
    const run = await ghesSdk(["token", "--url", ghes.url, "--app-id", String(ghes.appId), "--private-key-file", ghes.keyFile, "--owner", "octo-org"]);
    expect(run.code).toBe(0);
    return run.stdout.trim();
  };

  it("revoke takes the token from stdin and GHES revokes it; a second revoke is refused (exit 1)", async () => {
    const token = await mint();
    forbid(token);
    const run = await ghesSdk(["revoke", "--url", ghes.url], { stdin: `${token}\n` });
    expect(run).toEqual({ code: 0, stdout: "revoked\n", stderr: "" });
    expect(ghes.emulator.state.tokens.get(token)!.revoked).toBe(true);
    const again = await ghesSdk(["revoke", "--url", ghes.url, "--era", era], { stdin: token });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^ghes-sdk: GHES does not accept this token \(401: already revoked, expired, or not an installation token\) \(request id [\w:]+\)\n$/);
  });

  it("revoke takes the token from GHES_TOKEN", async () => {
    const token = await mint();
    forbid(token);
    const run = await ghesSdk(["revoke", "--url", ghes.url], { env: { GHES_TOKEN: token } });
    expect(run.code).toBe(0);
    expect(ghes.emulator.state.tokens.get(token)!.revoked).toBe(true);
  });

  it("check-token: a valid token (exit 0, whose, scopes, expiry), then the same token revoked (exit 1)", async () => {
    const user = ghes.emulator.state.createToken({ kind: "oauth", user: "mona", clientId: oauth.clientId, scopes: ["repo", "read:org"] });
    forbid(user.token);
    const env = { GHES_CLIENT_ID: oauth.clientId, GHES_CLIENT_SECRET: oauth.clientSecret };
    const valid = await ghesSdk(["check-token", "--url", ghes.url], { env, stdin: user.token });
    expect(valid).toEqual({ code: 0, stdout: "valid: token of mona for CI Checker; scopes: repo, read:org; expires: never\n", stderr: "" });
    const json = await ghesSdk(["check-token", "--url", ghes.url, "--json"], { env, stdin: user.token });
    expect(JSON.parse(json.stdout)).toEqual({ valid: true, login: "mona", app: "CI Checker", scopes: ["repo", "read:org"], expires_at: null });

    ghes.emulator.state.revokeToken(user);
    const revoked = await ghesSdk(["check-token", "--url", ghes.url], { env, stdin: user.token });
    expect(revoked).toEqual({ code: 1, stdout: "not valid: GHES does not know this token for this app (revoked, expired, or another app's)\n", stderr: "" });
    const revokedJson = await ghesSdk(["check-token", "--url", ghes.url, "--json"], { env, stdin: user.token });
    expect(JSON.parse(revokedJson.stdout)).toMatchObject({ valid: false });
  });

  it("check-token with a wrong client secret: exit 1 with GHES's 401, the secret not shown", async () => {
    const user = ghes.emulator.state.createToken({ kind: "oauth", user: "mona", clientId: oauth.clientId });
    forbid(user.token, "wrong-secret-1234567890");
    const run = await ghesSdk(["check-token", "--url", ghes.url], { env: { GHES_CLIENT_ID: oauth.clientId, GHES_CLIENT_SECRET: "wrong-secret-1234567890" }, stdin: user.token });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/401.*Bad credentials/);
  });
});

describe("usage errors", () => {
  it.each([
    [["revoke", "--url", "https://ghes.example.com"], {}, /revoke needs the token on stdin \(e\.g\. echo "\$TOKEN" \| ghes-sdk revoke …\) or in GHES_TOKEN/],
    [["revoke"], { GHES_TOKEN: "ghs_x" }, /--url is required/],
    [["check-token", "--url", "https://ghes.example.com"], {}, /check-token needs the app's credentials in GHES_CLIENT_ID and GHES_CLIENT_SECRET/],
    [["check-token", "--url", "https://ghes.example.com"], { GHES_CLIENT_ID: "Iv1.a", GHES_CLIENT_SECRET: "s3cr3t-s3cr3t" }, /check-token needs the token on stdin/],
  ] as [string[], Record<string, string>, RegExp][])("%j", async (args, env, message) => {
    const run = await ghesSdk(args, { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it("--help for revoke and check-token, and help <command>", async () => {
    for (const command of ["revoke", "check-token"]) {
      expect((await ghesSdk([command, "--help"])).stdout).toMatch(new RegExp(`^Usage: ghes-sdk ${command} `));
      expect((await ghesSdk(["help", command])).stdout).toMatch(new RegExp(`^Usage: ghes-sdk ${command} `));
    }
  });
});
