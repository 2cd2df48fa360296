// The README's quick starts, run as written against a local server that answers with the specs' examples.
// Only the base URL is swapped for the server's; secrets come from the environment as the README says.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { chosenHeaders } from "./support/server.js";
import { startSpecServer } from "./support/spec-server.js";
import { bundled, ERAS, REPO_ROOT } from "./support/specs.js";

const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const outDir = join(import.meta.dirname, ".readme");

// Keyed by era; a second example of an era is `<era>#2`.
const expected: Record<string, { request: string | string[]; authorization: RegExp; accept: string; printed: RegExp }> = {
  "ghes-2.2x": {
    request: "GET /api/v3/app",
    authorization: /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/,
    accept: "application/vnd.github.machine-man-preview+json",
    printed: /^Octocat App is installed 3 times$/,
  },
  "ghes-3.x": {
    request: "POST /api/v3/applications/Iv1.8a61f9b3a7aba766/token",
    authorization: new RegExp(`^Basic ${Buffer.from("Iv1.8a61f9b3a7aba766:readme-client-secret").toString("base64")}$`),
    accept: "application/vnd.github.v3+json",
    printed: /^valid for octocat with scopes /,
  },
  "ghes-2022-11-28": {
    request: "GET /api/v3/applications/grants?per_page=100",
    authorization: new RegExp(`^Basic ${Buffer.from("octocat:readme-password").toString("base64")}$`),
    accept: "application/vnd.github+json",
    printed: /\S/,
  },
  "ghes-2022-11-28#2": {
    request: [
      "GET /api/v3/app/installations?per_page=100",
      "POST /api/v3/app/installations/1/access_tokens",
      "GET /api/v3/installation/repositories?per_page=100",
    ],
    authorization: /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/,
    accept: "application/vnd.github+json",
    printed: /^installation 1: octocat\/Hello-World$/,
  },
};
const labels = examples.map((code, i) => code.match(/from "@ghes-sdk\/(ghes-[^"]+)"/)?.[1] ?? `#${i}`);
const keys = labels.map((era, i) => (labels.indexOf(era) === i ? era : `${era}#${labels.slice(0, i + 1).filter((e) => e === era).length}`));

beforeAll(() => {
  mkdirSync(outDir, { recursive: true });
  process.env.GHES_APP_PRIVATE_KEY = readFileSync(join(REPO_ROOT, "packages/auth/test/fixtures/app-key.pkcs1.pem"), "utf8");
  process.env.GHES_CLIENT_SECRET = "readme-client-secret";
  process.env.USER_TOKEN = "gho_16C7e42F292c6912E7710c838347Ae178B4a";
  process.env.GHES_PASSWORD = "readme-password";
});
afterEach(() => vi.restoreAllMocks());

it("has a quick start for every era", () => {
  expect([...keys].sort()).toEqual(Object.keys(expected).sort());
  expect(new Set(labels)).toEqual(new Set(ERAS));
});

describe.each(examples.map((code, i) => [keys[i]!, code, i] as const))(
  "the %s quick start",
  (era, code, i) => {
    it("runs and sends what the README says", async () => {
      const server = await startSpecServer(bundled(era.replace(/#\d+$/, "")));
      try {
        const file = join(outDir, `example-${i}.ts`);
        expect(code).toMatch(/baseUrl(: |\s*=\s*)"https:\/\/ghes\.example\.com\/api\/v3"/);
        writeFileSync(file, code.replaceAll("https://ghes.example.com/api/v3", server.baseUrl));
        const printed: string[] = [];
        vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void printed.push(args.join(" ")));
        await import(`${file}?run=${Date.now()}`);

        const want = expected[era]!;
        expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([want.request].flat());
        const headers = chosenHeaders(server.requests[0]!.headers);
        expect(headers.authorization).toMatch(want.authorization);
        expect(headers.accept).toBe(want.accept);
        expect(printed.length).toBeGreaterThan(0);
        expect(printed[0]).toMatch(want.printed);
      } finally {
        await server.close();
      }
    });
  },
);

it("compiles every quick start under tsc --strict", () => {
  const files = examples.map((code, i) => {
    const file = join(outDir, `strict-${i}.ts`);
    writeFileSync(file, code);
    return file;
  });
  const tsc = join(REPO_ROOT, "node_modules/typescript/bin/tsc");
  const flags = ["--noEmit", "--strict", "--target", "ES2022", "--module", "NodeNext", "--moduleResolution", "NodeNext"];
  const result = spawnSync(process.execPath, [tsc, ...flags, "--types", "node", "--skipLibCheck", ...files], { encoding: "utf8" });
  expect(result.stdout + result.stderr).toBe("");
  expect(result.status).toBe(0);
}, 180_000);
