// (c) Bundle sizes: the same small programs, ours and Octokit's, bundled by esbuild (minified, ESM) for
// Node and for the browser, gzip -9. A program that does not build for a platform is reported as such.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const resolveDir = fileURLToPath(new URL("..", import.meta.url));
export const programs = {
  "token (GET /app/installations as a user)": {
    ours: `import { tokenAuth } from "@ghes-sdk/auth"; import { createClient } from "@ghes-sdk/ghes-2022-11-28";
      const gh = createClient({ baseUrl: "https://h/api/v3", auth: tokenAuth("ghu_x") }); export const run = () => gh.GET("/user/installations");`,
    octokit: `import { Octokit } from "@octokit/core";
      const gh = new Octokit({ baseUrl: "https://h/api/v3", auth: "ghu_x" }); export const run = () => gh.request("GET /user/installations");`,
  },
  "check a token (OAuth app Basic)": {
    ours: `import { oauthAppAuth } from "@ghes-sdk/auth"; import { createClient } from "@ghes-sdk/ghes-3.x";
      const gh = createClient({ baseUrl: "https://h/api/v3", auth: oauthAppAuth({ clientId: "c", clientSecret: "s" }) });
      export const run = (t) => gh.POST("/applications/{client_id}/token", { params: { path: { client_id: "c" } }, body: { access_token: t } });`,
    octokit: `import { request } from "@octokit/request"; import { checkToken } from "@octokit/oauth-methods";
      export const run = (token) => checkToken({ clientType: "oauth-app", clientId: "c", clientSecret: "s", token, request: request.defaults({ baseUrl: "https://h/api/v3" }) });`,
  },
  "App flow (installation token)": {
    ours: `import { installationAuth } from "@ghes-sdk/auth"; import { createClient } from "@ghes-sdk/ghes-3.x";
      const gh = createClient({ baseUrl: "https://h/api/v3", auth: installationAuth({ appId: 1, privateKey: globalThis.KEY, installationId: 2 }) });
      export const run = () => gh.GET("/installation/repositories");`,
    octokit: `import { Octokit } from "@octokit/core"; import { createAppAuth } from "@octokit/auth-app";
      const gh = new Octokit({ baseUrl: "https://h/api/v3", authStrategy: createAppAuth, auth: { appId: 1, privateKey: globalThis.KEY, installationId: 2 } });
      export const run = () => gh.request("GET /installation/repositories");`,
  },
  "one App, many installations": {
    ours: `import { appInstallationsAuth } from "@ghes-sdk/auth"; import { createClient } from "@ghes-sdk/ghes-3.x";
      const gh = createClient({ baseUrl: "https://h/api/v3", auth: appInstallationsAuth({ appId: 1, privateKey: globalThis.KEY }) });
      export const run = (owner, repo) => gh.GET("/repos/{owner}/{repo}/installation", { params: { path: { owner, repo } } });`,
    octokit: `import { Octokit } from "@octokit/core"; import { createAppAuth } from "@octokit/auth-app";
      const auth = createAppAuth({ appId: 1, privateKey: globalThis.KEY });
      const gh = new Octokit({ baseUrl: "https://h/api/v3" });
      export const run = async (installationId) => gh.request("GET /installation/repositories", { headers: { authorization: "token " + (await auth({ type: "installation", installationId })).token } });`,
  },
  "GHES 2.2x client, Basic with 2FA": {
    ours: `import { basicAuth } from "@ghes-sdk/auth"; import { createClient } from "@ghes-sdk/ghes-2.2x";
      const gh = createClient({ baseUrl: "https://h/api/v3", auth: basicAuth({ username: "u", password: "p", on2fa: () => "1" }) });
      export const run = () => gh.GET("/authorizations");`,
    octokit: `import { Octokit } from "@octokit/core";
      const gh = new Octokit({ baseUrl: "https://h/api/v3" });
      export const run = (otp) => gh.request("GET /authorizations", { headers: { authorization: "Basic " + btoa("u:p"), "x-github-otp": otp } });`,
  },
};

/**
 * The closest Octokit gets to what our clients do on every call: the same program with
 * `@octokit/plugin-retry` (retries) and `@octokit/plugin-throttling` (waits on rate limits). Octokit has no
 * plugin for a per-call timeout or a response size limit. Only for programs built on `@octokit/core`.
 */
export function withRetries(source) {
  if (!source.includes("new Octokit({")) return undefined;
  return `import { retry } from "@octokit/plugin-retry"; import { throttling } from "@octokit/plugin-throttling"; ${source.replace(
    "new Octokit({",
    "new (Octokit.plugin(retry, throttling))({ throttle: { onRateLimit: () => true, onSecondaryRateLimit: () => true }, ",
  )}`;
}

export async function bundleSize(source, platform) {
  try {
    const result = await build({
      stdin: { contents: source, resolveDir, loader: "js" },
      bundle: true,
      minify: true,
      format: "esm",
      platform,
      write: false,
      logLevel: "silent",
      metafile: true,
    });
    const bytes = result.outputFiles[0].contents;
    // Minified bytes per package (esbuild's metafile): where a program's size comes from.
    const parts = {};
    for (const [file, { bytesInOutput }] of Object.entries(Object.values(result.metafile.outputs)[0].inputs)) {
      const pkg = /packages\/([^/]+)\/dist\/(generated\/)?/.exec(file);
      const key = pkg ? `@ghes-sdk/${pkg[1]}${pkg[2] ? " (generated)" : ""}` : /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? "program";
      parts[key] = (parts[key] ?? 0) + bytesInOutput;
    }
    return { min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, parts };
  } catch (error) {
    return { error: String(error.errors?.[0]?.text ?? error.message ?? error).slice(0, 120) };
  }
}

export async function bundles() {
  const rows = [];
  for (const [name, program] of Object.entries(programs)) {
    for (const platform of ["node", "browser"]) {
      const matched = withRetries(program.octokit);
      rows.push({
        name,
        platform,
        ours: await bundleSize(program.ours, platform),
        octokit: await bundleSize(program.octokit, platform),
        ...(matched ? { octokitRetries: await bundleSize(matched, platform) } : {}),
      });
    }
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.stdout.write(JSON.stringify(await bundles()));
