// `npm run demo`: one emulated GHES per era (@ghes-sdk/emulator on 127.0.0.1), and each era package walked
// through what its users do — as a GitHub App, as an OAuth app, and with the Authorizations API and 2FA.
// Runs on the built packages (the npm script builds first). Exits non-zero at the first step that fails.
import { createServer } from "node:http";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { appAuth, basicAuth, oauthAppAuth, tokenAuth } from "@ghes-sdk/auth";
import { eraRanges } from "@ghes-sdk/core";
import { seedDemo, startEmulator } from "@ghes-sdk/emulator";

const WEBHOOK_SECRET = "demo webhook secret";

/** The App's webhook receiver on 127.0.0.1, with the era's own entry point (`@ghes-sdk/<era>/webhooks`). */
async function receiver(eraName, write) {
  const { createWebhooks, createNodeMiddleware } = await import(`@ghes-sdk/${eraName}/webhooks`);
  const webhooks = createWebhooks({ secret: WEBHOOK_SECRET });
  const signatures = new Map();
  webhooks.on("installation_repositories.added", ({ id, payload }) => {
    const names = payload.repositories_added.map((repo) => repo.full_name).join(", ");
    write(`  ✓ webhook installation_repositories.added received, ${signatures.get(id)} verified: installation ${payload.installation.id} can now use ${names}\n`);
  });
  webhooks.on("installation.deleted", ({ payload }) => write(`  ✓ webhook installation.deleted received: uninstalled from ${payload.installation.account.login}\n`));
  const middleware = createNodeMiddleware(webhooks, { path: "/webhooks" });
  const server = createServer((req, res) => {
    signatures.set(req.headers["x-github-delivery"], req.headers["x-hub-signature-256"] ? "X-Hub-Signature-256" : "X-Hub-Signature (SHA-1)");
    void middleware(req, res);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}/webhooks`, close: () => new Promise((resolve) => server.close(resolve)) };
}

// Every era package, from core's era list (an era added with `npm run new-era` is walked through too).
const ERAS = await Promise.all(eraRanges.map(async ({ era, packageName }) => [era, await import(packageName)]));

/** The lowest 2xx an operation of the era's bundled spec documents (e.g. 204, or 202 where 2026-03-10 changed it). */
async function successOf(packageName, path, method) {
  const { default: spec } = await import(`${packageName}/openapi.json`, { with: { type: "json" } });
  return Number(Object.keys(spec.paths[path][method].responses).filter((s) => /^2\d\d$/.test(s)).sort()[0]);
}

/** Runs a step, prints `✓ label → detail (ms)`, and throws with the server's message when the status is not `want`. */
async function step(write, label, want, run, describe) {
  const start = performance.now();
  const { data, error, response } = await run();
  const ms = (performance.now() - start).toFixed(0);
  if (response.status !== want) {
    write(`  ✗ ${label} → ${response.status} ${error?.message ?? ""} (${ms} ms)\n`);
    throw new Error(`demo: ${label} answered ${response.status}, expected ${want}`);
  }
  write(`  ✓ ${label} → ${response.status}${describe ? `  ${describe(data)}` : ""} (${ms} ms)\n`);
  return data;
}

async function scenario(write, eraName, pkg) {
  const started = performance.now();
  const hook = await receiver(eraName, write);
  const emulator = await startEmulator({ era: eraName, webhook: { url: hook.url, secret: WEBHOOK_SECRET } });
  const demo = seedDemo(emulator.state);
  const { createClient, operationTable } = pkg;
  const baseUrl = emulator.baseUrl;
  write(`\n${pkg.definition.packageName} — GHES ${emulator.ghesVersion} emulated at ${baseUrl}\n`);
  try {
    write(" As a GitHub App (JWT signed with the App's private key):\n");
    const asApp = createClient({ baseUrl, auth: appAuth({ appId: demo.app.id, privateKey: demo.app.privateKeyPem }) });
    await step(write, "GET /app", 200, () => asApp.GET("/app"), (app) => `${app.name}, installed ${app.installations_count} time(s)`);
    const installations = await step(write, "GET /app/installations", 200, () => asApp.GET("/app/installations"), (list) =>
      list.map((i) => `${i.id} on ${i.account?.login}`).join(", "),
    );
    const installationId = installations[0].id;
    const minted = await step(
      write,
      `POST /app/installations/${installationId}/access_tokens`,
      201,
      () => asApp.POST("/app/installations/{installation_id}/access_tokens", { params: { path: { installation_id: installationId } } }),
      (t) => `${t.token.slice(0, 4)}… expires ${t.expires_at}`,
    );
    const asInstallation = createClient({ baseUrl, auth: tokenAuth(minted.token) });
    await step(write, "GET /installation/repositories", 200, () => asInstallation.GET("/installation/repositories"), (r) =>
      `${r.total_count}: ${r.repositories.map((x) => x.full_name).join(", ")}`,
    );

    write(` Webhooks (the emulator delivers to the App's receiver at ${hook.url}):\n`);
    const mine = emulator.state.createInstallation({ appId: demo.app.id, account: demo.user.login, repositoryIds: [] });
    const repo = emulator.state.createRepository({ owner: demo.user.login, name: "hello-world" });
    const repoOwner = emulator.state.createToken({ kind: "oauth", user: demo.user.login, clientId: demo.oauthApp.clientId, scopes: ["repo"] });
    const asOwner = createClient({ baseUrl, auth: tokenAuth(repoOwner.token) });
    const ids = { installation_id: mine.id, repository_id: repo.id };
    await step(write, `add ${demo.user.login}/hello-world to installation ${mine.id}`, 204, () =>
      asOwner.PUT("/user/installations/{installation_id}/repositories/{repository_id}", { params: { path: ids } }),
    );
    await emulator.deliveriesSettled();
    const deleted = await successOf(pkg.definition.packageName, "/app/installations/{installation_id}", "delete");
    await step(write, `DELETE /app/installations/${mine.id}`, deleted, () => asApp.DELETE("/app/installations/{installation_id}", { params: { path: { installation_id: mine.id } } }));
    await emulator.deliveriesSettled();

    write(" As an OAuth app (Basic client_id:client_secret):\n");
    const client = demo.oauthApp;
    const asClient = createClient({ baseUrl, auth: oauthAppAuth({ clientId: client.clientId, clientSecret: client.clientSecret }) });
    const path = { client_id: client.clientId };
    const userToken = demo.oauthToken.token;
    await step(write, "check the user's token", 200, () => asClient.POST("/applications/{client_id}/token", { params: { path }, body: { access_token: userToken } }), (a) =>
      `valid for ${a.user?.login}, scopes ${a.scopes?.join(" ")}`,
    );
    const reset = await step(write, "reset it", 200, () => asClient.PATCH("/applications/{client_id}/token", { params: { path }, body: { access_token: userToken } }), (a) =>
      `new token …${a.token_last_eight}`,
    );
    await step(write, "check the old token", 404, () => asClient.POST("/applications/{client_id}/token", { params: { path }, body: { access_token: userToken } }), () => "no longer valid");
    if ("apps/scope-token" in operationTable) {
      const app = demo.app;
      const asAppClient = createClient({ baseUrl, auth: oauthAppAuth({ clientId: app.clientId, clientSecret: app.clientSecret }) });
      await step(
        write,
        "scope a user-to-server token to octo-org/api",
        200,
        () =>
          asAppClient.POST("/applications/{client_id}/token/scoped", {
            params: { path: { client_id: app.clientId } },
            body: { access_token: demo.userToServerToken.token, target: demo.org.login, repositories: ["api"], permissions: { metadata: "read" } },
          }),
        (a) => `${a.token.slice(0, 4)}… for ${a.installation?.account?.login}`,
      );
    } else write("  – scoping tokens: not in this era\n");
    await step(write, "delete the reset token", 204, () => asClient.DELETE("/applications/{client_id}/token", { params: { path }, body: { access_token: reset.token } }));
    const another = emulator.state.createToken({ kind: "oauth", user: demo.user.login, clientId: client.clientId, scopes: ["repo"] });
    await step(write, "delete the grant (every token of the user for the app)", 204, () =>
      asClient.DELETE("/applications/{client_id}/grant", { params: { path }, body: { access_token: another.token } }),
    );

    write(" With the Authorizations API (Basic user:password, two-factor authentication):\n");
    // The Authorizations API is deprecated (the client warns once per process); the demo shows it on purpose.
    const asUser = createClient({
      baseUrl,
      deprecationWarnings: false,
      auth: basicAuth({
        username: demo.user.login,
        password: demo.password,
        on2fa: (kind) => {
          const code = emulator.state.otp(demo.user.login);
          write(`  ↳ 2FA prompt (${kind}) answered with the authenticator's current code\n`);
          return code;
        },
      }),
    });
    const body = { client_secret: client.clientSecret, scopes: ["repo", "user"], note: "demo" };
    const created = await step(write, "get-or-create an authorization for the OAuth app", 201, () =>
      asUser.PUT("/authorizations/clients/{client_id}", { params: { path }, body }), (a) => `created ${a.id}, token …${a.token_last_eight}`,
    );
    await step(write, "get-or-create it again", 200, () => asUser.PUT("/authorizations/clients/{client_id}", { params: { path }, body }), (a) => `existing ${a.id}`);
    await step(write, "GET /applications/grants", 200, () => asUser.GET("/applications/grants"), (grants) => grants.map((g) => `${g.app.name} (${g.scopes.join(" ")})`).join(", "));
    await step(write, `DELETE /authorizations/${created.id}`, 204, () => asUser.DELETE("/authorizations/{authorization_id}", { params: { path: { authorization_id: created.id } } }));
    if (emulator.violations.length > 0) throw new Error(`demo: responses that do not match the spec: ${JSON.stringify(emulator.violations)}`);
    write(` ${eraName}: ${emulator.served.length} requests, all responses valid against the spec, ${(performance.now() - started).toFixed(0)} ms\n`);
  } finally {
    await emulator.close();
    await hook.close();
  }
}

/**
 * One GHES 3.22: both REST API versions it serves, chosen per request by X-GitHub-Api-Version — a client of
 * each era on the same server, with what differs between them — and a stateless installation token.
 */
async function bothApiVersions(write) {
  const emulator = await startEmulator({ ghesVersion: "3.22" });
  const demo = seedDemo(emulator.state);
  const baseUrl = emulator.baseUrl;
  write(`\nGHES ${emulator.ghesVersion} emulated at ${baseUrl}, serving ${emulator.eras.join(" and ")}\n`);
  try {
    const packages = new Map(ERAS);
    for (const eraName of emulator.eras) {
      const pkg = packages.get(eraName);
      const version = pkg.definition.defaultHeaders["x-github-api-version"];
      write(` ${pkg.definition.packageName} (X-GitHub-Api-Version: ${version}):\n`);
      const asApp = pkg.createClient({ baseUrl, auth: appAuth({ appId: demo.app.id, privateKey: demo.app.privateKeyPem }) });
      await step(write, "GET /app", 200, () => asApp.GET("/app"), (app) => `${app.name}, answered as ${emulator.served.at(-1).era}`);
      const gone = emulator.state.createInstallation({ appId: demo.app.id, account: emulator.state.createOrganization(`gone-${version}`).login });
      const want = await successOf(pkg.definition.packageName, "/app/installations/{installation_id}", "delete");
      await step(write, `DELETE /app/installations/${gone.id}`, want, () => asApp.DELETE("/app/installations/{installation_id}", { params: { path: { installation_id: gone.id } } }), () =>
        want === 204 ? "no content" : "accepted (2026-03-10 answers 202)",
      );
    }
    const [, current] = ERAS.find(([name]) => name === emulator.eras[0]);
    const asApp = current.createClient({ baseUrl, auth: appAuth({ appId: demo.app.id, privateKey: demo.app.privateKeyPem }) });
    await step(
      write,
      `POST /app/installations/${demo.installation.id}/access_tokens with X-GitHub-Stateless-S2S-Token: enabled`,
      201,
      () => asApp.POST("/app/installations/{installation_id}/access_tokens", { params: { path: { installation_id: demo.installation.id } }, headers: { "X-GitHub-Stateless-S2S-Token": "enabled" } }),
      (t) => `stateless ghs_${demo.app.id}_…, ${t.token.length} characters`,
    );
    if (emulator.violations.length > 0) throw new Error(`demo: responses that do not match the spec: ${JSON.stringify(emulator.violations)}`);
  } finally {
    await emulator.close();
  }
}

export async function runDemo(write = (text) => process.stdout.write(text)) {
  const started = performance.now();
  for (const [name, pkg] of ERAS) await scenario(write, name, pkg);
  await bothApiVersions(write);
  write(`\nDone: ${ERAS.length} eras in ${(performance.now() - started).toFixed(0)} ms.\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  runDemo().catch((error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
}
