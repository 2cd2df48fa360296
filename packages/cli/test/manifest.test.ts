// `ghes-sdk manifest` end to end against the emulator of each era: the test is the browser — it opens the
// local page, posts its form to the GHES registration page the form names, follows GHES's redirect back to
// the local callback — and the bin converts the code and writes the credentials.
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERAS, expectNoSecrets, forbid, ghesSdk, PROJECT, registerWithBrowser, startGhes, type Ghes } from "./support/cli.js";

describe.each(ERAS)("$era", ({ era, ghesVersion }) => {
  let ghes: Ghes;
  let dir: string;
  beforeAll(async () => {
    ghes = await startGhes(era, ghesVersion);
    dir = mkdtempSync(join(tmpdir(), "ghes-sdk-manifest-"));
    writeFileSync(
      join(dir, "app.json"),
      JSON.stringify({ name: `Release Bot ${era}`, url: "https://example.com/release-bot", hook_attributes: { url: "https://example.com/hooks" }, default_permissions: { contents: "write" }, default_events: ["push"] }),
    );
  });
  afterAll(() => ghes.close());

  it("registers an organization's App, converts the code with the era's headers and writes the credentials 0600", async () => {
    const out = join(dir, "org-app");
    const flow = await registerWithBrowser(["--url", ghes.url, "--org", "octo-org", "--manifest", join(dir, "app.json"), "--out", out]);
    expect(flow.stderr).toMatch(/^Open http:\/\/127\.0\.0\.1:\d+\/ in a browser signed in to GHES to register the App \(Ctrl-C to stop\)\.\n$/);
    expect(flow.code).toBe(0);
    // The organization's registration page, with the manifest as written plus the local callback.
    expect(flow.form.action).toMatch(new RegExp(`^${ghes.url}/organizations/octo-org/settings/apps/new\\?state=[0-9a-f]{32}$`));
    expect(flow.form.manifest).toMatchObject({ name: `Release Bot ${era}`, url: "https://example.com/release-bot", redirect_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/callback$/) });

    const app = [...ghes.emulator.state.apps.values()].find((a) => a.name === `Release Bot ${era}`)!;
    forbid(app.privateKeyPem, app.clientSecret, app.webhookSecret!);
    expectNoSecrets(flow.stdout + flow.stderr, "ghes-sdk manifest");
    expect(app.ownerLogin).toBe("octo-org");
    expect(app.permissions).toEqual({ contents: "write" });
    expect(flow.stdout).toBe(`registered Release Bot ${era} (id ${app.id}, slug ${app.slug}, owner octo-org); credentials in ${out}\n`);
    const conversion = ghes.emulator.served.find((s) => s.operationId === "apps/create-from-manifest")!;
    expect(conversion.status).toBe(201); // every era, as GitHub documents (the emulator answered 2.2x with 200 before)
    if (era === "ghes-2.2x") expect(conversion.accept).toContain("fury-preview");
    expect(ghes.emulator.violations).toEqual([]);

    expect(statSync(out).mode & 0o777).toBe(0o700);
    expect(readdirSync(out).sort()).toEqual([".env", "app-id", "client-id", "client-secret", "private-key.pem", "webhook-secret"]);
    for (const file of readdirSync(out)) expect(statSync(join(out, file)).mode & 0o777, file).toBe(0o600);
    const read = (file: string) => readFileSync(join(out, file), "utf8");
    expect(read("app-id")).toBe(`${app.id}\n`);
    expect(read("client-id")).toBe(`${app.clientId}\n`);
    expect(read("client-secret")).toBe(`${app.clientSecret}\n`);
    expect(read("webhook-secret")).toBe(`${app.webhookSecret}\n`);
    expect(read("private-key.pem").trim()).toBe(app.privateKeyPem.trim());
    expect(read(".env")).toContain(`GHES_APP_PRIVATE_KEY_PATH=${join(out, "private-key.pem")}\n`);

    // The files are what `token` reads: the new App (installed now) mints with them.
    ghes.emulator.state.createInstallation({ appId: app.id, account: "octo-org" });
    const token = await ghesSdk(["token", "--url", ghes.url, "--app-id", read("app-id").trim(), "--private-key-file", join(out, "private-key.pem"), "--owner", "octo-org", "--json"]);
    expect(token.code).toBe(0);
    expect(JSON.parse(token.stdout).app_slug).toBe(app.slug);
  });

  it("registers a user's App on the user page", async () => {
    const out = join(dir, "user-app");
    writeFileSync(join(dir, "user.json"), JSON.stringify({ name: `Personal Bot ${era}`, url: "https://example.com/personal" }));
    const flow = await registerWithBrowser(["--url", ghes.url, "--manifest", join(dir, "user.json"), "--out", out]);
    expect(flow.code).toBe(0);
    expect(flow.form.action).toMatch(new RegExp(`^${ghes.url}/settings/apps/new\\?state=`));
    const app = [...ghes.emulator.state.apps.values()].find((a) => a.name === `Personal Bot ${era}`)!;
    forbid(app.privateKeyPem, app.clientSecret);
    expectNoSecrets(flow.stdout + flow.stderr, "ghes-sdk manifest");
    expect(app.ownerLogin).toBe("octocat");
  });
});

describe("refusals", () => {
  let ghes: Ghes;
  let dir: string;
  beforeAll(async () => {
    ghes = await startGhes("ghes-3.x", "3.5");
    dir = mkdtempSync(join(tmpdir(), "ghes-sdk-manifest-"));
    writeFileSync(join(dir, "app.json"), JSON.stringify({ name: "Tampered", url: "https://example.com" }));
  });
  afterAll(() => ghes.close());

  it("a callback with another state is refused and converts nothing; the right one then works", async () => {
    const out = join(dir, "tampered");
    // The test's browser first visits the callback with a forged state, then the real one.
    const flow = await registerWithBrowser(["--url", ghes.url, "--manifest", join(dir, "app.json"), "--out", out], async (location) => {
      const forged = new URL(location);
      forged.searchParams.set("state", "0".repeat(32));
      const refused = await fetch(forged);
      expect([refused.status, await refused.text()]).toEqual([400, expect.stringContaining("does not belong to the registration")]);
    });
    expect(flow.code).toBe(0);
    expect(ghes.emulator.served.filter((s) => s.operationId === "apps/create-from-manifest")).toHaveLength(1);
  });

  it.each([
    [["--url", "https://ghes.example.com"], /--manifest is required, e.g. --manifest app.json/, 2],
    [["--url", "https://ghes.example.com", "--manifest", "/nonexistent.json"], /cannot read --manifest \/nonexistent\.json \(ENOENT\)/, 1],
    [["--url", "https://ghes.example.com", "--manifest", "PKG"], /--manifest PKG needs "url" \(the App's homepage\), which GHES requires/, 2],
    [["--url", "https://ghes.example.com", "--manifest", "APP", "--out", "NONEMPTY"], /--out NONEMPTY is not empty: choose a new directory, so no credentials are overwritten/, 2],
  ] as [string[], RegExp, number][])("%j", async (args, message, code) => {
    const files: Record<string, string> = { PKG: join(PROJECT, "package.json"), APP: join(dir, "app.json"), NONEMPTY: dir };
    // A new --out unless the case is about --out: test files share the project directory, and its ghes-app.
    const out = args.includes("--out") ? [] : ["--out", join(dir, `unused-${Math.random().toString(36).slice(2)}`)];
    const run = await ghesSdk(["manifest", ...args.map((a) => files[a] ?? a), ...out]);
    expect(run.stderr).toMatch(new RegExp(message.source.replace("PKG", ".*package\\.json").replace("NONEMPTY", ".*")));
    expect(run.code).toBe(code);
  });
});
