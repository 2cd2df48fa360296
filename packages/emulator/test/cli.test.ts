// The ghes-emulator bin as a user runs it: prints the base URL and demo credentials, serves, stops on Ctrl-C.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { eraRanges } from "@ghes-sdk/core";
import { verify } from "@octokit/webhooks-methods";
import { expect, it } from "vitest";

const bin = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

function start(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const ready = async () => {
    for (let i = 0; i < 300 && !stdout.includes("Ctrl-C"); i++) await new Promise((r) => setTimeout(r, 100));
    return stdout;
  };
  return { child, ready, exited, out: () => ({ stdout, stderr }) };
}

it("serves an era with demo credentials that work, until SIGINT", async () => {
  const cli = start(["--era", "ghes-3.x", "--ghes-version", "3.4"]);
  const out = await cli.ready();
  const baseUrl = /emulated at (http:\/\/127\.0\.0\.1:\d+\/api\/v3)/.exec(out)?.[1];
  const [, clientId, clientSecret] = /client id (\S+), client secret (\S+)/.exec(out) ?? [];
  const token = /user token\s+(\S+)/.exec(out)?.[1];
  const keyFile = /private key (\S+)/.exec(out)?.[1];
  expect(out).toMatch(/^GHES 3\.4 \(ghes-3\.x\)/);
  expect(readFileSync(keyFile!, "utf8")).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
  const res = await fetch(`${baseUrl}/applications/${clientId}/token`, {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`, "content-type": "application/json" },
    body: JSON.stringify({ access_token: token }),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get("x-github-enterprise-version")).toBe("3.4");
  cli.child.kill("SIGINT");
  expect(await cli.exited).toBe(0);
  expect(cli.out().stdout).toContain("stopped");
  expect(existsSync(keyFile!)).toBe(false);
  await expect(fetch(`${baseUrl}/app`)).rejects.toThrow();
});

it("--ghes-version alone serves every era of that version (3.22: both REST API versions)", async () => {
  const cli = start(["--ghes-version", "3.22"]);
  const out = await cli.ready();
  expect(out).toMatch(/^GHES 3\.22 \(ghes-2022-11-28, ghes-2026-03-10\) emulated at http:\/\/127\.0\.0\.1:\d+\/api\/v3/);
  const baseUrl = /emulated at (\S+)/.exec(out)![1]!;
  const ask = (version: string) => fetch(`${baseUrl}/app`, { headers: { "x-github-api-version": version } }).then((r) => r.status);
  // No credentials: 401 from either API version, 400 for one this server does not serve.
  expect([await ask("2022-11-28"), await ask("2026-03-10"), await ask("2099-01-01")]).toEqual([401, 401, 400]);
  cli.child.kill("SIGINT");
  expect(await cli.exited).toBe(0);
});

it("refuses a bad era or version, naming the option, with exit code 2", async () => {
  for (const [args, message] of [
    [["--era", "ghes-4"], `--era must be one of ${eraRanges.map((r) => r.era).join(", ")}`],
    [[], `--era (${eraRanges.map((r) => r.era).join(", ")}) or --ghes-version is required`],
    [["--ghes-version", "2.19"], "ghesVersion 2.19 is older than every era"],
    [["--era", "ghes-3.x", "--ghes-version", "3.9"], /ghesVersion 3\.9 is not in era ghes-3\.x/],
    [["--era", "ghes-3.x", "--port", "http"], /--port must be a port number/],
    [["--era", "ghes-3.x", "--port", ""], /--port must be a port number/],
    [["--era", "ghes-3.x", "--port", "1e3"], /--port must be a port number/],
    [["--era", "ghes-3.x", "--port", "0x1F90"], /--port must be a port number/],
    [["--era", "ghes-3.x", "--port", "65536"], /--port must be a port number/],
  ] as const) {
    const cli = start([...args]);
    expect(await cli.exited, args.join(" ")).toBe(2);
    expect(cli.out().stderr).toMatch(message);
  }
  // Nine Node processes, one after another, each loading the emulator: on a busy 2-core machine that is
  // well past the 30 s default.
}, 180_000);

it("--webhook-url sends the demo's deliveries there, signed with $GHES_WEBHOOK_SECRET (kept out of the output)", async () => {
  const secret = "cli webhook secret";
  let delivered!: (d: { headers: IncomingHttpHeaders; body: string }) => void;
  const first = new Promise<{ headers: IncomingHttpHeaders; body: string }>((resolve) => (delivered = resolve));
  const receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      res.end("ok");
      delivered({ headers: req.headers, body });
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  const cli = start(["--era", "ghes-3.x", "--webhook-url", url], { GHES_WEBHOOK_SECRET: secret });
  try {
    const out = await cli.ready();
    expect(out).toContain(`Webhooks            to ${url}, signed with $GHES_WEBHOOK_SECRET`);
    expect(out).not.toContain(secret);
    const { headers, body } = await first;
    expect(headers["x-github-event"]).toBe("installation");
    expect(JSON.parse(body).action).toBe("created");
    expect(await verify(secret, body, String(headers["x-hub-signature-256"]))).toBe(true);
  } finally {
    cli.child.kill("SIGINT");
    await cli.exited;
    await new Promise((resolve) => receiver.close(resolve));
  }
});

it("refuses a --webhook-url that is not on loopback, with exit code 2", async () => {
  const cli = start(["--era", "ghes-3.x", "--webhook-url", "https://hooks.example.com/x"]);
  expect(await cli.exited).toBe(2);
  expect(cli.out().stderr).toMatch(/--webhook-url must be an http:\/\/ URL on 127\.0\.0\.1/);
});
