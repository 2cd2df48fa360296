// Deprecated operations: one DeprecationWarning per operation and process, naming the replacement,
// silenced per client; and editors strike the call through (the language service's 6385/6387).
import { join } from "node:path";
import * as v2 from "@ghes-sdk/ghes-2.2x";
import * as v3 from "@ghes-sdk/ghes-3.x";
import { checkAuthorization, oauthAuthorizationsListGrants } from "@ghes-sdk/ghes-3.x/operations";
import ts from "typescript";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startServer } from "./support/server.js";

let server: Awaited<ReturnType<typeof startServer>>;
const warnings: (Error & { code?: string })[] = [];
const onWarning = (w: Error) => void warnings.push(w);
beforeEach(async () => {
  process.on("warning", onWarning);
  server = await startServer((req) => ({ status: 200, body: req.url.includes("grants") || req.url.includes("authorizations") ? [] : {} }));
});
afterEach(async () => {
  process.off("warning", onWarning);
  warnings.length = 0;
  await server.close();
});
const tick = () => new Promise((r) => setImmediate(r));
const TOKEN = "gho_16C7e42F292c6912E7710c838347Ae178B4a";

// Order matters: warnings are once per process, so the silenced client calls first.
describe("run-time DeprecationWarning", () => {
  it("is silenced by deprecationWarnings: false", async () => {
    const quiet = v3.createClient({ baseUrl: server.baseUrl, deprecationWarnings: false });
    await checkAuthorization(quiet, { client_id: "Iv1.1", access_token: TOKEN });
    await quiet.GET("/applications/grants");
    await tick();
    expect(warnings).toEqual([]);
    expect(server.requests).toHaveLength(2);
  });

  it("is emitted once per operation, naming the replacement, for functions and client calls alike", async () => {
    const github = v3.createClient({ baseUrl: server.baseUrl });
    await checkAuthorization(github, { client_id: "Iv1.1", access_token: TOKEN });
    await github.GET("/applications/{client_id}/tokens/{access_token}", { params: { path: { client_id: "Iv1.1", access_token: TOKEN } } });
    await oauthAuthorizationsListGrants(github);
    await github.GET("/applications/grants");
    await github.GET("/app");
    // The same operation in another era's client is the same deprecation: still once.
    await v2.createClient({ baseUrl: server.baseUrl }).GET("/applications/{client_id}/tokens/{access_token}", {
      params: { path: { client_id: "Iv1.1", access_token: TOKEN } },
    });
    await tick();
    expect(warnings.map((w) => [w.name, w.code])).toEqual([
      ["DeprecationWarning", "GHESSDK_DEP_APPS_CHECK_AUTHORIZATION"],
      ["DeprecationWarning", "GHESSDK_DEP_OAUTH_AUTHORIZATIONS_LIST_GRANTS"],
    ]);
    expect(warnings[0]!.message).toBe(
      "@ghes-sdk/ghes-3.x: apps/check-authorization (GET /applications/{client_id}/tokens/{access_token}) is deprecated; use apps/check-token (POST /applications/{client_id}/token) instead",
    );
    expect(warnings[1]!.message).toMatch(/list-grants .* is deprecated; use the OAuth web application flow/);
    expect(warnings.map((w) => w.message).join("\n")).not.toContain(TOKEN);
    expect(server.requests).toHaveLength(6);
  });
});

describe("in an editor", () => {
  // A file in this package, so module resolution finds @ghes-sdk/* as an app's editor would.
  const file = join(import.meta.dirname, "editor-example.ts");
  const text = [
    'import { createClient } from "@ghes-sdk/ghes-3.x";',
    'import { checkAuthorization, checkToken } from "@ghes-sdk/ghes-3.x/operations";',
    'const github = createClient({ baseUrl: "https://ghes.example.com/api/v3" });',
    'await checkAuthorization(github, { client_id: "Iv1.1", access_token: "t" });',
    'await checkToken(github, { client_id: "Iv1.1", access_token: "t" });',
    "export {};",
  ].join("\n");

  it("strikes a deprecated operation function through (diagnostic 6385/6387), not its replacement", () => {
    const options: ts.CompilerOptions = {
      strict: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ["lib.es2022.full.d.ts"],
      types: [],
      skipLibCheck: true,
    };
    const host: ts.LanguageServiceHost = {
      getCompilationSettings: () => options,
      getScriptFileNames: () => [file],
      getScriptVersion: () => "1",
      getScriptSnapshot: (name) => {
        if (name === file) return ts.ScriptSnapshot.fromString(text);
        const content = ts.sys.readFile(name);
        return content === undefined ? undefined : ts.ScriptSnapshot.fromString(content);
      },
      getCurrentDirectory: () => import.meta.dirname,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: (name) => name === file || ts.sys.fileExists(name),
      readFile: (name) => (name === file ? text : ts.sys.readFile(name)),
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
    };
    const service = ts.createLanguageService(host, ts.createDocumentRegistry());
    expect(service.getSemanticDiagnostics(file).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"))).toEqual([]);
    const deprecated = service
      .getSuggestionDiagnostics(file)
      .filter((d) => d.code === 6385 || d.code === 6387)
      .map((d) => ({ code: d.code, line: ts.getLineAndCharacterOfPosition(d.file!, d.start!).line + 1, text: text.slice(d.start!, d.start! + d.length!) }));
    console.log("deprecated diagnostics:", JSON.stringify(deprecated));
    expect(deprecated.filter((d) => d.line === 4).map((d) => d.text)).toContain("checkAuthorization");
    expect(deprecated.filter((d) => d.line === 5)).toEqual([]);
  }, 60_000);
});
