// Running the installed `ghes-sdk` bin, and checking that no secret ever reaches its output.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startEmulator, type Emulator } from "@ghes-sdk/emulator";
import type { EraName } from "@ghes-sdk/core";
import { expect } from "vitest";

export const PROJECT = fileURLToPath(new URL("../.project/", import.meta.url));
export const BIN = join(PROJECT, "node_modules", ".bin", "ghes-sdk");
export const ERAS: { era: EraName; ghesVersion: string }[] = [
  { era: "ghes-2.2x", ghesVersion: "2.22" },
  { era: "ghes-3.x", ghesVersion: "3.5" },
  { era: "ghes-2022-11-28", ghesVersion: "3.9" },
];

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Values that must never appear on the bin's stdout or stderr, in any test (see `forbid`). */
const forbidden = new Set<string>();

/** Adds secrets no output may show; a PEM is checked line by line, so no part of the key may leak. */
export function forbid(...secrets: string[]): void {
  for (const secret of secrets) {
    const lines = secret.includes("-----BEGIN") ? secret.split("\n").filter((l) => l.length > 20 && !l.startsWith("-----")) : [secret];
    for (const line of lines) forbidden.add(line);
  }
}

/** Fails when any secret given to `forbid` (other than those in `allow`) is in `text`. */
export function expectNoSecrets(text: string, what: string, allow: string[] = []): void {
  for (const secret of forbidden) {
    if (!allow.includes(secret)) expect(text.includes(secret), `a secret appeared in the output of ${what}`).toBe(false);
  }
}

/**
 * Runs the bin with only the environment given (and PATH/HOME): a proxy set on this machine must not
 * change where the requests go. `allow` lists secrets this run may print (the token `token` mints).
 */
export async function ghesSdk(args: string[], options: { env?: Record<string, string>; stdin?: string; allow?: string[] } = {}): Promise<Run> {
  const run = await runProcess(BIN, args, { env: options.env ?? {}, ...(options.stdin === undefined ? {} : { stdin: options.stdin }) });
  expectNoSecrets(run.stdout + run.stderr, `ghes-sdk ${args[0]}`, options.allow);
  return run;
}

/**
 * Runs a program without blocking this process (the emulator answering it lives here), in the fresh
 * project, with PATH and HOME and the given environment only.
 */
export function runProcess(file: string, args: string[], options: { env: Record<string, string>; stdin?: string }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: PROJECT,
      env: { PATH: process.env["PATH"]!, HOME: process.env["HOME"]!, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? "");
  });
}

const unescape = (text: string) => text.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));

interface Flow {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The form the local page posts. */
  form: { action: string; manifest: Record<string, any> };
}

/**
 * Runs `ghes-sdk manifest …` and plays the browser: the local page's URL comes from the bin's stderr (no
 * timing involved), the form is posted as a browser would, and GHES's redirect is followed.
 */
export async function registerWithBrowser(
  args: string[],
  before?: (location: URL) => Promise<void>,
  env: Record<string, string> = {},
  /** Where the browser really goes for a URL the page names (default: there). */
  browse: (url: string) => string = (url) => url,
): Promise<Flow> {
  const child = spawn(BIN, ["manifest", ...args], { cwd: PROJECT, env: { PATH: process.env["PATH"]!, HOME: process.env["HOME"]!, ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  const local = await new Promise<string>((resolve, reject) => {
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString("utf8");
      const match = /Open (http:\/\/127\.0\.0\.1:\d+\/) in a browser/.exec(stderr);
      if (match) resolve(match[1]!);
    });
    child.on("close", () => reject(new Error(`manifest exited before serving its page: ${stderr}`)));
  });
  const html = await (await fetch(local)).text();
  const action = unescape(/<form id="register" method="post" action="([^"]+)">/.exec(html)![1]!);
  const manifestText = unescape(/<input type="hidden" name="manifest" value="([^"]+)">/.exec(html)![1]!);
  const registered = await fetch(browse(action), { method: "POST", body: new URLSearchParams({ manifest: manifestText }), redirect: "manual" });
  expect(registered.status).toBe(302);
  const location = new URL(registered.headers.get("location")!);
  await before?.(location);
  const callback = await fetch(location);
  await callback.text();
  const code = await exited;
  return { code, stdout, stderr, form: { action, manifest: JSON.parse(manifestText) } };
}

export interface Ghes {
  emulator: Emulator;
  url: string;
  appId: number;
  clientId: string;
  keyFile: string;
  privateKey: string;
  installations: { org: number; user: number };
  repos: { api: number; web: number; docs: number };
  close(): Promise<void>;
}

/** An emulated GHES with one App installed on the organization octo-org (all its repositories) and the user mona. */
export async function startGhes(era: EraName, ghesVersion: string): Promise<Ghes> {
  const emulator = await startEmulator({ era, ghesVersion });
  const s = emulator.state;
  const app = s.createApp({ name: "Deploy Bot", owner: "octo-org", permissions: { metadata: "read", contents: "write", issues: "write" } });
  const repos = {
    api: s.createRepository({ owner: "octo-org", name: "api" }).id,
    web: s.createRepository({ owner: "octo-org", name: "web" }).id,
    docs: s.createRepository({ owner: "octo-org", name: "docs" }).id,
  };
  s.createUser({ login: "mona" });
  s.createRepository({ owner: "mona", name: "dotfiles" });
  const installations = {
    org: s.createInstallation({ appId: app.id, account: "octo-org" }).id,
    user: s.createInstallation({ appId: app.id, account: "mona" }).id,
  };
  const dir = mkdtempSync(join(tmpdir(), "ghes-sdk-cli-"));
  const keyFile = join(dir, "app.pem");
  writeFileSync(keyFile, app.privateKeyPem, { mode: 0o600 });
  forbid(app.privateKeyPem, app.clientSecret);
  return {
    emulator,
    url: emulator.baseUrl.replace(/\/api\/v3$/, ""),
    appId: app.id,
    clientId: app.clientId,
    keyFile,
    privateKey: app.privateKeyPem,
    installations,
    repos,
    close: () => emulator.close(),
  };
}
