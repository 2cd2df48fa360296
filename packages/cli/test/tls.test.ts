// A GHES behind a certificate of a private CA: refused with a hint until the CA is trusted, with --ca-file
// or NODE_EXTRA_CA_CERTS. The emulator is put behind a TLS front on 127.0.0.1 whose certificate openssl
// signs with a CA made here.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ghesSdk, startGhes, type Ghes } from "./support/cli.js";

let ghes: Ghes;
let front: Server;
let url: string;
let ca: string;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "ghes-sdk-tls-"));
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=ghes-sdk test CA");
  openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
  writeFileSync(join(dir, "san.cnf"), "subjectAltName=IP:127.0.0.1\n");
  openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "san.cnf");
  ca = join(dir, "ca.pem");

  ghes = await startGhes("ghes-3.x", "3.5");
  const upstream = new URL(ghes.emulator.baseUrl);
  front = createServer({ key: readFileSync(join(dir, "server.key")), cert: readFileSync(join(dir, "server.pem")) }, (req, res) => {
    const forward = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on("error", () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
  url = `https://127.0.0.1:${(front.address() as AddressInfo).port}`;
});
afterAll(async () => {
  front.closeAllConnections();
  await new Promise((resolve) => front.close(resolve));
  await ghes.close();
});

it("an untrusted certificate: exit 1, naming the problem and the fix", async () => {
  const run = await ghesSdk(["detect", url]);
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/the server's certificate is not trusted \(\w+\): pass --ca-file <your CA's PEM file> or set NODE_EXTRA_CA_CERTS\n$/);
});

it("--ca-file trusts the CA: detect and token work over https", async () => {
  const detect = await ghesSdk(["detect", url, "--ca-file", ca]);
  expect(detect).toMatchObject({ code: 0, stderr: "" });
  expect(detect.stdout).toContain(`API URL: ${url}/api/v3`);
  const token = await ghesSdk(["token", "--url", url, "--ca-file", ca, "--app-id", String(ghes.appId), "--private-key-file", ghes.keyFile, "--owner", "octo-org"]);
  expect(token).toMatchObject({ code: 0, stderr: "" });
  expect(ghes.emulator.state.tokens.get(token.stdout.trim())?.installationId).toBe(ghes.installations.org);
});

it("NODE_EXTRA_CA_CERTS trusts the CA too", async () => {
  const run = await ghesSdk(["detect", url], { env: { NODE_EXTRA_CA_CERTS: ca } });
  expect(run).toMatchObject({ code: 0, stderr: "" });
});

it("a --ca-file that is not there, or holds no certificate: exit 1, saying so", async () => {
  const missing = await ghesSdk(["detect", url, "--ca-file", "/nonexistent/ca.pem"]);
  expect(missing).toMatchObject({ code: 1, stderr: "ghes-sdk: cannot read --ca-file /nonexistent/ca.pem (ENOENT): give the path of a PEM file of CA certificates\n" });
  const notPem = await ghesSdk(["detect", url, "--ca-file", ghes.keyFile]);
  expect(notPem.code).toBe(1);
  expect(notPem.stderr).toMatch(/holds no PEM certificate/);
});
