// Every request of every command goes to the GHES given and nowhere else, through HTTPS_PROXY/HTTP_PROXY.
// The bin is given the GHES as http://127.0.0.2:<port>, where nothing listens: only the proxy reaches it
// (it tunnels that one host:port to the emulator on 127.0.0.1) and it refuses, and records, any other
// destination. So a command that succeeds sent every request through the proxy (the variables are
// honoured), and an empty refusal list means no request went anywhere else.
import { connect } from "node:net";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERAS, ghesSdk, registerWithBrowser, startGhes, type Ghes } from "./support/cli.js";

interface Proxy {
  url: string;
  tunnels: number;
  refused: string[];
  close(): Promise<void>;
}

/** A proxy that tunnels (CONNECT, as undici's proxy agent asks even for http://) to one host:port only. */
async function startProxy(allowed: string, upstreamPort: number): Promise<Proxy> {
  const proxy = { tunnels: 0, refused: [] as string[] };
  const server: Server = createServer((req, res) => {
    proxy.refused.push(`${req.method} ${req.url}`);
    res.writeHead(403).end();
  });
  server.on("connect", (req, socket, head) => {
    if (req.url !== allowed) {
      proxy.refused.push(`CONNECT ${req.url}`);
      socket.end("HTTP/1.1 403 Forbidden\r\n\r\n");
      return;
    }
    proxy.tunnels++;
    const upstream = connect(upstreamPort, "127.0.0.1", () => {
      socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on("error", () => socket.destroy());
    socket.on("error", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return Object.assign(proxy, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

describe.each(ERAS)("$era", ({ era, ghesVersion }) => {
  let ghes: Ghes;
  let proxy: Proxy;
  let env: Record<string, string>;
  let url: string;
  beforeAll(async () => {
    ghes = await startGhes(era, ghesVersion);
    const port = Number(new URL(ghes.url).port);
    proxy = await startProxy(`127.0.0.2:${port}`, port);
    url = `http://127.0.0.2:${port}`;
    env = { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, http_proxy: proxy.url, https_proxy: proxy.url };
  });
  afterAll(async () => {
    await proxy.close();
    await ghes.close();
  });

  it("detect, token, revoke, check-token and manifest send every request to the GHES only", async () => {
    const app = ["--url", url, "--app-id", String(ghes.appId), "--private-key-file", ghes.keyFile];
    const detect = await ghesSdk(["detect", url], { env });
    expect(detect, detect.stderr).toMatchObject({ code: 0, stderr: "" });
    const token = await ghesSdk(["token", ...app, "--repository", "octo-org/api", "--json"], { env });
    expect(token, token.stderr).toMatchObject({ code: 0, stderr: "" });
    const { token: minted } = JSON.parse(token.stdout) as { token: string };
    expect((await ghesSdk(["revoke", "--url", url], { env, stdin: minted })).code).toBe(0);

    const oauth = ghes.emulator.state.createOAuthApp({ name: "Checker" });
    const user = ghes.emulator.state.createToken({ kind: "oauth", user: "mona", clientId: oauth.clientId });
    const check = await ghesSdk(["check-token", "--url", url], { env: { ...env, GHES_CLIENT_ID: oauth.clientId, GHES_CLIENT_SECRET: oauth.clientSecret }, stdin: user.token });
    expect(check.code).toBe(0);

    const dir = mkdtempSync(join(tmpdir(), "ghes-sdk-origin-"));
    writeFileSync(join(dir, "app.json"), JSON.stringify({ name: `Origin Bot ${era}`, url: "https://example.com" }));
    // The browser (the test's fetch) goes straight to the emulator's pages; the bin's requests through the proxy.
    const before = ghes.emulator.served.length;
    const flow = await registerWithBrowser(["--url", url, "--manifest", join(dir, "app.json"), "--out", join(dir, "out")], undefined, env, (u) => u.replace(url, ghes.url));
    expect(flow.code).toBe(0);
    expect(ghes.emulator.served.slice(before).map((s) => s.operationId ?? s.path.replace(/\?.*$/, ""))).toEqual(["/api/v3/meta", "/settings/apps/new", "apps/create-from-manifest"]);

    expect(proxy.refused).toEqual([]);
    // One tunnel at least per run of the bin: detect, token, revoke, check-token, manifest.
    expect(proxy.tunnels).toBeGreaterThanOrEqual(5);
  });

  it("without the proxy the same GHES URL is unreachable: the test's premise", async () => {
    const run = await ghesSdk(["detect", url]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/GET http:\/\/127\.0\.0\.2:\d+\/api\/v3\/meta failed/);
  });
});
