// (g) Import to first request: a fresh process per run, timed from just before the client's import to the
// first response read, the global fetch a stub answering at once (so what is timed is loading the modules
// and the first call's own work). Contenders take turns, run by run.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const quick = process.argv.includes("--quick");
const rounds = quick ? 2 : 15;
const root = fileURLToPath(new URL("..", import.meta.url));
const BODY = JSON.stringify({ id: 1, token: "gho_x", scopes: ["repo"], user: { login: "octocat" } });

const programs = {
  "ghes-3.x + oauthAppAuth": `
    const { createClient } = await import("@ghes-sdk/ghes-3.x");
    const { oauthAppAuth } = await import("@ghes-sdk/auth");
    const gh = createClient({ baseUrl: "https://h/api/v3", auth: oauthAppAuth({ clientId: "c", clientSecret: "s" }) });
    const { data } = await gh.POST("/applications/{client_id}/token", { params: { path: { client_id: "c" } }, body: { access_token: "gho_x" } });`,
  "@octokit/core": `
    const { Octokit } = await import("@octokit/core");
    const gh = new Octokit({ baseUrl: "https://h/api/v3" });
    const { data } = await gh.request("POST /applications/{client_id}/token", { client_id: "c", access_token: "gho_x", headers: { authorization: "Basic " + btoa("c:s") } });`,
};

const script = (body) => `
  globalThis.fetch = async () => new Response(${JSON.stringify(BODY)}, { status: 200, headers: { "content-type": "application/json" } });
  const t0 = performance.now();
  ${body}
  if (data.user.login !== "octocat") throw new Error("no data");
  process.stdout.write(String(performance.now() - t0));`;

const samples = Object.fromEntries(Object.keys(programs).map((name) => [name, []]));
for (let round = 0; round < rounds; round++) {
  for (const [name, body] of Object.entries(programs)) {
    const result = spawnSync(process.execPath, ["--input-type=module", "-e", script(body)], { cwd: root, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`${name}: ${result.stderr}`);
    samples[name].push(Number(result.stdout) * 1e6); // ns, as the other sections
  }
}
process.stdout.write(JSON.stringify({ samples, rounds }));
