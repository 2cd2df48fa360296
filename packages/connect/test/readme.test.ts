// The README's examples are the files in examples/ (compiled with --strict by `npm test`'s tsc), run here as
// written against emulators on 127.0.0.1; only the environment they read is set.
import { startEmulator } from "@ghes-sdk/emulator";
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";

const root = new URL("../", import.meta.url);
const readme = readFileSync(new URL("README.md", root), "utf8");
const blocks = [...readme.matchAll(/<!-- example: (examples\/[\w.-]+) -->\n```ts\n([\s\S]*?)```/g)].map((m) => [m[1]!, m[2]!] as const);
const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();

// Literal imports: vite resolves those (a fresh module graph per run: vi.resetModules).
const EXAMPLES = {
  "every-era": () => import("../examples/every-era.js"),
  "api-version": () => import("../examples/api-version.js"),
  "one-era": () => import("../examples/one-era.js"),
};

/** Runs an example against an emulator of `era` at `version` with an App on `accounts`; what it printed. */
async function run(example: keyof typeof EXAMPLES, version: string, accounts: string[]): Promise<unknown[][]> {
  const ghes = await startEmulator({ ghesVersion: version });
  const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
  try {
    const app = ghes.state.createApp({ name: "Readme App", privateKeyPem: privateKey });
    for (const account of accounts) ghes.state.createInstallation({ appId: app.id, account });
    vi.stubEnv("GHES_HOST", new URL(ghes.baseUrl).origin);
    vi.stubEnv("GHES_APP_ID", String(app.id));
    vi.stubEnv("GHES_APP_PRIVATE_KEY", privateKey);
    vi.resetModules();
    await EXAMPLES[example]();
    return log.mock.calls;
  } finally {
    log.mockRestore();
    vi.unstubAllEnvs();
    await ghes.close();
  }
}

describe("README", () => {
  it("shows the files in examples/ verbatim", () => {
    expect(blocks.map(([file]) => file)).toEqual(["examples/every-era.ts", "examples/api-version.ts", "examples/one-era.ts"]);
    for (const [file, code] of blocks) expect(code).toBe(readFileSync(new URL(file, root), "utf8"));
  });

  it.each([
    ["2.22", "GHES 2.22 (ghes-2.2x): 2 installations"],
    ["3.4", "GHES 3.4 (ghes-3.x): 2 installations"],
    ["3.12", "GHES 3.12 (ghes-2022-11-28, REST API 2022-11-28): 2 installations, 0 pending requests"],
    ["3.22", "GHES 3.22 (ghes-2022-11-28, REST API 2022-11-28): 2 installations, 0 pending requests"],
  ])("every-era.ts against GHES %s", async (version, printed) => {
    expect(await run("every-era", version, ["octo-org", "octocat"])).toEqual([[printed]]);
  });

  it("api-version.ts against GHES 3.22, and the error the README quotes against 3.20", async () => {
    expect(await run("api-version", "3.22", [])).toEqual([["GHES 3.22 (ghes-2026-03-10): Readme App, REST API 2026-03-10"]]);
    const quoted = /Against GHES 3\.20 that fails with `([^`]+)`/.exec(readme.replace(/\n/g, " "))![1]!;
    await expect(run("api-version", "3.20", [])).rejects.toThrow(`@ghes-sdk/connect: ${quoted}`);
  });

  it("one-era.ts against GHES 3.12", async () => {
    const printed = await run("one-era", "3.12", ["octo-org", "octocat"]);
    expect(printed).toEqual([[expect.stringMatching(/^GHES 3\.12: installation \d+$/)], [expect.stringMatching(/^GHES 3\.12: installation \d+$/)]]);
  });
});
