// The README's quick starts, run as written against @ghes-sdk/emulator: a stateful GHES of each era on
// 127.0.0.1 that checks the credentials (App JWT against the App's key, Basic client and user secrets) and
// the era's media types. Only the base URL is swapped; secrets come from the environment as the README says.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { EraName } from "@ghes-sdk/core";
import { startEmulator, type EmulatorState } from "@ghes-sdk/emulator";
import { Agent, getGlobalDispatcher } from "undici";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ERAS, REPO_ROOT } from "./support/specs.js";

const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const outDir = join(import.meta.dirname, ".readme");
const PRIVATE_KEY = readFileSync(join(REPO_ROOT, "packages/auth/test/fixtures/app-key.pkcs1.pem"), "utf8");
const CLIENT_ID = "Iv1.8a61f9b3a7aba766";

/** What the emulator holds for each quick start, and what the quick start must send and print. */
// Keyed by era; a second example of an era is `<era>#2`.
const expected: Record<
  string,
  { seed: (state: EmulatorState) => void; request: string | string[]; accept: string; printed: RegExp; check?: () => void }
> = {
  "ghes-2.2x": {
    seed: (state) => {
      state.createApp({ id: 1, name: "Octocat App", privateKeyPem: PRIVATE_KEY });
      for (const account of ["octo-org", "octo-labs", "octocat"]) state.createInstallation({ appId: 1, account });
    },
    request: "GET /api/v3/app 200",
    accept: "application/vnd.github.machine-man-preview+json",
    printed: /^Octocat App is installed 3 times$/,
  },
  "ghes-3.x": {
    seed: (state) => {
      state.createOAuthApp({ name: "Readme OAuth App", clientId: CLIENT_ID, clientSecret: "readme-client-secret" });
      state.createUser({ login: "octocat" });
      state.createToken({ kind: "oauth", token: process.env.USER_TOKEN!, user: "octocat", clientId: CLIENT_ID, scopes: ["repo", "user"] });
    },
    request: `POST /api/v3/applications/${CLIENT_ID}/token 200`,
    accept: "application/vnd.github.v3+json",
    printed: /^valid for octocat with scopes repo, user$/,
  },
  "ghes-3.x#2": {
    seed: (state) => void state.createApp({ id: 7, name: "Octocat App", privateKeyPem: PRIVATE_KEY }),
    request: "GET /api/v3/apps/octocat-app 200",
    accept: "application/vnd.github.v3+json",
    printed: /^Octocat App is app 7$/,
    // The request went through the README's undici Agent, not the global one.
    check: () => expect(dispatchedBy.filter((agent) => agent !== getGlobalDispatcher())).not.toEqual([]),
  },
  "ghes-2022-11-28": {
    seed: (state) => {
      state.createUser({ login: "octocat", password: "readme-password" });
      const notes = state.createOAuthApp({ name: "Octo Notes" });
      state.createToken({ kind: "oauth", user: "octocat", clientId: notes.clientId, scopes: ["repo", "gist"] });
    },
    request: "GET /api/v3/applications/grants?per_page=100 200",
    accept: "application/vnd.github+json",
    printed: /^Octo Notes gist repo$/,
  },
  "ghes-2022-11-28#2": {
    seed: (state) => {
      state.createApp({ id: 1, name: "Octocat App", privateKeyPem: PRIVATE_KEY });
      state.createUser({ login: "octocat" });
      state.createRepository({ owner: "octocat", name: "Hello-World" });
      state.createInstallation({ id: 1, appId: 1, account: "octocat" });
    },
    request: [
      "GET /api/v3/app/installations?per_page=100 200",
      "POST /api/v3/app/installations/1/access_tokens 201",
      "GET /api/v3/installation/repositories?per_page=100 200",
    ],
    accept: "application/vnd.github+json",
    printed: /^installation 1 \(octocat\): octocat\/Hello-World$/,
  },
  "ghes-2026-03-10": {
    seed: (state) => {
      state.createApp({ id: 1, name: "Octocat App", privateKeyPem: PRIVATE_KEY });
      state.createUser({ login: "octocat" });
      state.createRepository({ owner: "octocat", name: "Hello-World" });
      state.createInstallation({ id: 1, appId: 1, account: "octocat" });
    },
    request: ["POST /api/v3/app/installations/1/access_tokens 201", "GET /api/v3/installation/repositories?per_page=100 200"],
    accept: "application/vnd.github+json",
    printed: /^octocat\/Hello-World \(default branch \w+\)$/,
  },
};
const labels = examples.map((code, i) => code.match(/from "@ghes-sdk\/(ghes-[^"]+)"/)?.[1] ?? `#${i}`);
const keys = labels.map((era, i) => (labels.indexOf(era) === i ? era : `${era}#${labels.slice(0, i + 1).filter((e) => e === era).length}`));

beforeAll(() => {
  mkdirSync(outDir, { recursive: true });
  process.env.GHES_APP_PRIVATE_KEY = PRIVATE_KEY;
  process.env.GHES_CLIENT_SECRET = "readme-client-secret";
  process.env.USER_TOKEN = "gho_16C7e42F292c6912E7710c838347Ae178B4a";
  process.env.GHES_PASSWORD = "readme-password";
  // The README's CA file (the emulator speaks plain http on 127.0.0.1, so its content is not used).
  process.env.GHES_CA_FILE = join(outDir, "ghes-ca.pem");
  writeFileSync(process.env.GHES_CA_FILE, "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
});
afterEach(() => vi.restoreAllMocks());
let dispatchedBy: Agent[] = [];

it("has a quick start for every era", () => {
  expect([...keys].sort()).toEqual(Object.keys(expected).sort());
  expect(new Set(labels)).toEqual(new Set(ERAS));
});

describe.each(examples.map((code, i) => [keys[i]!, code, i] as const))(
  "the %s quick start",
  (era, code, i) => {
    it("runs against the emulator and prints what the README says", async () => {
      const want = expected[era]!;
      const emulator = await startEmulator({ era: era.replace(/#\d+$/, "") as EraName });
      try {
        want.seed(emulator.state);
        const file = join(outDir, `example-${i}.ts`);
        expect(code).toMatch(/baseUrl(: |\s*=\s*)"https:\/\/ghes\.example\.com\/api\/v3"/);
        writeFileSync(file, code.replaceAll("https://ghes.example.com/api/v3", emulator.baseUrl));
        const printed: string[] = [];
        dispatchedBy = [];
        const dispatch = Agent.prototype.dispatch;
        vi.spyOn(Agent.prototype, "dispatch").mockImplementation(function (this: Agent, ...args) {
          dispatchedBy.push(this);
          return dispatch.apply(this, args);
        });
        vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void printed.push(args.join(" ")));
        await import(`${file}?run=${Date.now()}`);

        expect(emulator.served.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([want.request].flat());
        expect(emulator.served[0]!.accept).toBe(want.accept);
        // Every request answered as the example's era (from GHES 3.21 on, chosen by X-GitHub-Api-Version).
        expect(new Set(emulator.served.map((r) => r.era))).toEqual(new Set([era.replace(/#\d+$/, "")]));
        expect(emulator.violations).toEqual([]);
        expect(printed.length).toBeGreaterThan(0);
        expect(printed[0]).toMatch(want.printed);
        want.check?.();
      } finally {
        await emulator.close();
      }
    }, 180_000);
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
