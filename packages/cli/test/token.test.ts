// `ghes-sdk token` and `ghes-sdk detect` against the emulator of each era, run from the installed tarball.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERAS, ghesSdk, startGhes, type Ghes } from "./support/cli.js";

describe.each(ERAS)("$era", ({ era, ghesVersion }) => {
  let ghes: Ghes;
  beforeAll(async () => {
    ghes = await startGhes(era, ghesVersion);
  });
  afterAll(() => ghes.close());

  const app = () => ["--url", ghes.url, "--app-id", String(ghes.appId), "--private-key-file", ghes.keyFile];
  const minted = (token: string) => ghes.emulator.state.tokens.get(token);

  it("detect prints the version, the era and the API URL", async () => {
    const run = await ghesSdk(["detect", ghes.url]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toBe(`GHES ${ghesVersion} (feature release ${ghesVersion})\nera: ${era} (npm install @ghes-sdk/${era})\nAPI URL: ${ghes.emulator.baseUrl}\n`);
    const json = await ghesSdk(["detect", "--json", `${ghes.url}/api/v3/`]);
    expect(JSON.parse(json.stdout)).toEqual({ version: ghesVersion, featureRelease: ghesVersion, era, packageName: `@ghes-sdk/${era}`, apiUrl: ghes.emulator.baseUrl });
  });

  it("token --installation-id prints the token alone, minted with the era's headers", async () => {
    const before = ghes.emulator.served.length;
    const run = await ghesSdk(["token", ...app(), "--installation-id", String(ghes.installations.org)], { allow: [] });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ghs_\w+\n$/);
    const token = minted(run.stdout.trim())!;
    expect(token).toMatchObject({ kind: "installation", installationId: ghes.installations.org, repositoryIds: undefined });
    const mint = ghes.emulator.served.slice(before).find((s) => s.operationId === "apps/create-installation-access-token")!;
    expect(mint.status).toBe(201);
    if (era === "ghes-2.2x") expect(mint.accept).toContain("machine-man-preview");
  });

  it("token --owner finds an organization's and a user's installation; --json has the fields", async () => {
    for (const [owner, id] of [["octo-org", ghes.installations.org], ["mona", ghes.installations.user]] as const) {
      const run = await ghesSdk(["token", ...app(), "--owner", owner, "--json"]);
      expect(run).toMatchObject({ code: 0, stderr: "" });
      const out = JSON.parse(run.stdout);
      expect(Object.keys(out)).toEqual(["token", "installation_id", "app_slug", "expires_at"]);
      expect(out).toMatchObject({ installation_id: id, app_slug: "deploy-bot" });
      expect(minted(out.token)).toMatchObject({ installationId: id });
      expect(out.expires_at).toBe(new Date(minted(out.token)!.expiresAt!).toISOString().replace(/\.\d+Z$/, "Z"));
    }
  });

  it("token --repository finds the repository's installation", async () => {
    const run = await ghesSdk(["token", ...app(), "--repository", "octo-org/web", "--json"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).installation_id).toBe(ghes.installations.org);
  });

  it("--repositories and --permission narrow the token: the emulator records what was asked", async () => {
    const run = await ghesSdk([
      "token", ...app(), "--owner", "octo-org", "--repositories", "api, web", "--permission", "contents=read", "--permission", "issues=write",
    ]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    const token = minted(run.stdout.trim())!;
    expect(token.repositoryIds).toEqual([ghes.repos.api, ghes.repos.web]);
    expect(token.permissions).toEqual({ contents: "read", issues: "write" });
  });

  it("takes the key from GHES_APP_PRIVATE_KEY", async () => {
    const run = await ghesSdk(["token", "--url", ghes.url, "--app-id", String(ghes.appId), "--installation-id", String(ghes.installations.user)], {
      env: { GHES_APP_PRIVATE_KEY: ghes.privateKey },
    });
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(minted(run.stdout.trim())?.installationId).toBe(ghes.installations.user);
  });

  it("--era skips detection", async () => {
    const before = ghes.emulator.served.length;
    const run = await ghesSdk(["token", ...app(), "--era", era, "--installation-id", String(ghes.installations.org)]);
    expect(run.code).toBe(0);
    expect(ghes.emulator.served.slice(before).map((s) => s.path.replace(/\/\d+/g, "/N"))).toEqual([
      "/api/v3/app/installations/N",
      "/api/v3/app/installations/N/access_tokens",
    ]);
  });

  it("an account without the App: exit 1, naming it and the fix", async () => {
    const run = await ghesSdk(["token", ...app(), "--owner", "nobody"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^ghes-sdk: the App is not installed on the account nobody: install it there, or check --owner \(GHES answered 404, request id [\w:]+\)\n$/);
  });

  it("permissions the installation lacks: exit 1 with GHES's message and the request id", async () => {
    const run = await ghesSdk(["token", ...app(), "--owner", "octo-org", "--permission", "administration=write"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/not granted to this installation/);
    expect(run.stderr).toMatch(/request id|[0-9A-F]{4}:[0-9A-F]{4}/);
  });

  it("--client-id is refused below GHES 3.18, saying so", async () => {
    const run = await ghesSdk(["token", "--url", ghes.url, "--client-id", ghes.clientId, "--private-key-file", ghes.keyFile, "--owner", "octo-org"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`ghes-sdk: --client-id needs GHES 3.18 or later (the first to accept a client ID as the JWT issuer); this server runs GHES ${ghesVersion}: use --app-id with the App's numeric id\n`);
  });
});

describe("GHES 3.18", () => {
  let ghes: Ghes;
  beforeAll(async () => {
    ghes = await startGhes("ghes-2022-11-28", "3.18");
  });
  afterAll(() => ghes.close());

  it("token --client-id signs the JWT with the client ID as issuer", async () => {
    const run = await ghesSdk(["token", "--url", ghes.url, "--client-id", ghes.clientId, "--private-key-file", ghes.keyFile, "--owner", "octo-org", "--json"]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(JSON.parse(run.stdout).installation_id).toBe(ghes.installations.org);
  });
});

describe("usage errors: exit 2, naming the problem and the fix, before any request", () => {
  const cases: [string[], RegExp][] = [
    [["token", "--app-id", "1", "--owner", "o"], /--url is required, e.g. --url https:\/\/ghes\.example\.com/],
    [["token", "--url", "https://ghes.example.com", "--owner", "o", "--private-key-file", "/nonexistent.pem", "--app-id", "1"], /cannot read --private-key-file \/nonexistent\.pem \(ENOENT\)/],
    [["token", "--url", "https://ghes.example.com", "--owner", "o"], /private key is missing: pass --private-key-file <pem>, or put the PEM in GHES_APP_PRIVATE_KEY/],
    [["token", "--url", "https://ghes.example.com", "--app-id", "x1", "--owner", "o"], /--app-id must be the App's numeric id/],
    [["token", "--url", "https://ghes.example.com", "--app-id", "1", "--client-id", "Iv1.a", "--owner", "o"], /--app-id <id> or --client-id <id> \(one of them\)/],
    [["token", "--url", "https://ghes.example.com", "--app-id", "1"], /one of --installation-id <id>, --owner <org\|user> or --repository <owner\/repo>/],
    [["token", "--url", "https://ghes.example.com", "--app-id", "1", "--owner", "o", "--permission", "contents=admin"], /--permission takes <name>=read or <name>=write/],
    [["token", "--url", "https://user:pw@ghes.example.com", "--app-id", "1", "--owner", "o"], /--url must not carry a user name or password/],
    [["token", "--url", "https://ghes.example.com", "--app-id", "1", "--owner", "o", "--era", "4.x"], /--era must be one of ghes-2\.2x, ghes-3\.x, ghes-2022-11-28/],
    [["token", "--url", "https://ghes.example.com", "--app-id", "1", "--owner", "o"], /the private key is not an RSA private key PEM .*: give the \.pem file GHES generated for the App/],
    [["token", "--url", "https://ghes.example.com", "--client-id", "Iv1.abc", "--owner", "o"], /the private key is not an RSA private key PEM/],
    [["token", "--nope"], /Unknown option '--nope'\. See ghes-sdk token --help/],
    [["frobnicate"], /unknown command "frobnicate": the commands are token, revoke, check-token, detect, manifest \(ghes-sdk --help\)/],
    [["detect"], /detect needs the URL of your GHES/],
  ];
  it.each(cases)("%j", async (args, message) => {
    // A key is there (not a valid one: nothing gets that far), except in the case about the missing key.
    const keyless = message.source.includes("private key is missing");
    const run = await ghesSdk(args, { env: keyless ? {} : { GHES_APP_PRIVATE_KEY: "not a key" } });
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(message);
    // A missing file is a failure of the command (1); everything else is usage (2).
    expect(run.code).toBe(/cannot read/.test(run.stderr) ? 1 : 2);
  });

  it("--help on every command, exit 0", async () => {
    for (const command of ["token", "revoke", "check-token", "detect", "manifest"]) {
      const run = await ghesSdk([command, "--help"]);
      expect(run).toMatchObject({ code: 0, stderr: "" });
      expect(run.stdout).toMatch(new RegExp(`^Usage: ghes-sdk ${command} `));
    }
    expect((await ghesSdk(["--help"])).stdout).toMatch(/^Usage: ghes-sdk <command>/);
  });
});
