// (d) Type-check time: tsc --noEmit on a small program per library, minus an empty program's time.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { median } from "./stats.mjs";

const rootFor = (quick) => fileURLToPath(new URL(quick ? "../.tmp/typecheck-quick/" : "../.tmp/typecheck/", import.meta.url));
const tsc = fileURLToPath(new URL("../../node_modules/typescript/bin/tsc", import.meta.url));
const programs = {
  "empty program": `export {};`,
  "ghes-3.x + @ghes-sdk/auth": `import { installationAuth, oauthAppAuth } from "@ghes-sdk/auth";
import { createClient } from "@ghes-sdk/ghes-3.x";
const app = createClient({ baseUrl: "https://h/api/v3", auth: installationAuth({ appId: 1, privateKey: "k", installationId: 2 }) });
const oauth = createClient({ baseUrl: "https://h/api/v3", auth: oauthAppAuth({ clientId: "c", clientSecret: "s" }) });
export const repos = async () => (await app.GET("/installation/repositories")).data?.repositories.map((r) => r.full_name);
export const check = async (t: string) => (await oauth.POST("/applications/{client_id}/token", { params: { path: { client_id: "c" } }, body: { access_token: t } })).data?.user?.login;
`,
  "@octokit/rest": `import { Octokit } from "@octokit/rest";
const gh = new Octokit({ baseUrl: "https://h/api/v3", auth: "t" });
export const repos = async () => (await gh.rest.apps.listReposAccessibleToInstallation()).data.repositories.map((r) => r.full_name);
export const check = async (t: string) => (await gh.rest.apps.checkToken({ client_id: "c", access_token: t })).data.user?.login;
`,
  "@octokit/core + @octokit/auth-app": `import { Octokit } from "@octokit/core";
import { createAppAuth } from "@octokit/auth-app";
const gh = new Octokit({ baseUrl: "https://h/api/v3", authStrategy: createAppAuth, auth: { appId: 1, privateKey: "k", installationId: 2 } });
export const repos = async () => (await gh.request("GET /installation/repositories")).data.repositories.map((r) => r.full_name);
export const check = async (t: string) => (await gh.request("POST /applications/{client_id}/token", { client_id: "c", access_token: t })).data.user?.login;
`,
};

/** `oursOnly`: only the empty program and ours (quick mode: checks our program still type-checks). */
export function typecheck(runs, oursOnly = false) {
  const root = rootFor(oursOnly);
  rmSync(root, { recursive: true, force: true });
  const times = {};
  for (const [name, code] of Object.entries(programs)) {
    if (oursOnly && name.startsWith("@octokit")) continue;
    const dir = `${root}${name.replace(/[^a-z0-9]+/gi, "-")}`;
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/index.ts`, code);
    writeFileSync(`${dir}/tsconfig.json`, JSON.stringify({
      compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: false, types: [], lib: ["ES2022", "DOM"] },
      files: ["index.ts"],
    }));
    times[name] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      execFileSync(process.execPath, [tsc, "-p", dir], { stdio: "pipe" }); // throws (with tsc's output) on a type error
      times[name].push(performance.now() - t0);
    }
  }
  const base = median(times["empty program"]);
  return Object.fromEntries(Object.entries(times).map(([name, t]) => [name, { ms: t, above: median(t) - base }]));
}

