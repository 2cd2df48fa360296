import { build } from "esbuild";
import { createContext, runInContext } from "node:vm";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { APP_ID, PKCS1_KEY, PKCS8_KEY } from "./helpers/fixtures.js";
import { useFakeGhes } from "./helpers/ghes.js";

// Every strategy, with an era client, must bundle for the browser (esbuild --platform=browser: no `node:`
// import, no Buffer), and the App flow must run where only web globals exist: a `vm` context with fetch,
// WebCrypto, TextEncoder, atob/btoa and timers — no process, no require, no Buffer — against a real
// node:http server on 127.0.0.1.

const pkgDir = fileURLToPath(new URL("..", import.meta.url));
const programs: Record<string, string> = {
  tokenAuth: `import { tokenAuth } from "@ghes-sdk/auth"; import { createClient } from "@ghes-sdk/ghes-2022-11-28";
    globalThis.made = createClient({ baseUrl: "https://h/api/v3", auth: tokenAuth("ghp_x") });`,
  oauthAppAuth: `import { oauthAppAuth } from "@ghes-sdk/auth"; import { createClient } from "@ghes-sdk/ghes-3.x";
    globalThis.made = createClient({ baseUrl: "https://h/api/v3", auth: oauthAppAuth({ clientId: "Iv1.a", clientSecret: "s" }) });`,
  basicAuth: `import { basicAuth } from "@ghes-sdk/auth"; import { createClient } from "@ghes-sdk/ghes-2022-11-28";
    globalThis.made = createClient({ baseUrl: "https://h/api/v3", auth: basicAuth({ username: "u", password: "p" }) });`,
  appFlow: `import { appAuth, installationAuth, appInstallationsAuth } from "@ghes-sdk/auth";
    import { createClient } from "@ghes-sdk/ghes-3.x";
    import { createClient as create22x } from "@ghes-sdk/ghes-2.2x";
    globalThis.run = async (baseUrl, appId, privateKey) => {
      const app = createClient({ baseUrl, auth: appAuth({ appId, privateKey }) });
      const installation = create22x({ baseUrl, auth: installationAuth({ appId, privateKey, installationId: 7 }) });
      const many = createClient({ baseUrl, auth: appInstallationsAuth({ appId, privateKey, installationId: ({ pathParams }) => Number(pathParams.owner) }) });
      const a = await app.GET("/app");
      const b = await installation.GET("/installation/repositories");
      const c = await many.GET("/repos/{owner}/{repo}/hooks", { params: { path: { owner: "9", repo: "r" } } });
      return [a.response.status, b.data, c.data, typeof process, typeof Buffer];
    };`,
};

async function bundle(source: string): Promise<string> {
  const result = await build({
    stdin: { contents: source, resolveDir: pkgDir, loader: "js" },
    bundle: true,
    platform: "browser",
    format: "iife",
    write: false,
    logLevel: "silent",
    // The sources under test, not a previous build of them.
    alias: { "@ghes-sdk/auth": `${pkgDir}src/index.ts` },
  });
  return result.outputFiles[0]!.text;
}

/** A realm with web globals only. */
function webRealm() {
  const g = globalThis as Record<string, unknown>;
  const names = ["fetch", "Request", "Response", "Headers", "URL", "URLSearchParams", "TextEncoder", "TextDecoder", "crypto",
    "atob", "btoa", "setTimeout", "clearTimeout", "AbortController", "AbortSignal", "ReadableStream", "Blob", "FormData",
    "console", "structuredClone", "queueMicrotask", "DOMException", "Event", "EventTarget"];
  const realm = createContext(Object.fromEntries(names.map((n) => [n, g[n]])));
  expect(runInContext("[typeof process, typeof Buffer, typeof require]", realm)).toEqual(["undefined", "undefined", "undefined"]);
  return realm;
}

describe("browser and worker bundles", () => {
  it.each(Object.keys(programs))("%s with its era client bundles for the browser without node: imports or Buffer", async (name) => {
    const code = await bundle(programs[name]!);
    expect(code).not.toMatch(/\brequire\(|from\s*"node:|\bBuffer\./);
    // It also loads in a web-only realm.
    runInContext(code, webRealm());
  });

  const ghes = useFakeGhes();
  it.each([
    ["PKCS#1", PKCS1_KEY],
    ["PKCS#8", PKCS8_KEY],
  ])("runs the App flow with WebCrypto in a web-only realm (%s key)", async (_name, key) => {
    const realm = webRealm();
    runInContext(await bundle(programs["appFlow"]!), realm);
    const run = (realm as { run: (baseUrl: string, appId: number, key: string) => Promise<unknown[]> }).run;
    const [appStatus, repos, installation, processType, bufferType] = await run(`${ghes().origin}/api/v3`, APP_ID, key);
    expect(appStatus).toBe(200);
    expect(repos).toMatchObject({ token: "ghs_fake0001", path: "/api/v3/installation/repositories" });
    expect(installation).toMatchObject({ token: "ghs_fake0002" });
    expect(ghes().minted.map((t) => t.installationId)).toEqual([7, 9]);
    expect([processType, bufferType]).toEqual(["undefined", "undefined"]);
  });
});
