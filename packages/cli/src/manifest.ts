// `ghes-sdk manifest`: registers a GitHub App from a manifest. A page on 127.0.0.1 posts the manifest to the
// GHES registration page (the user's, or the organization's with --org), GHES redirects back to it with a
// one-time code, and the code is converted (POST /app-manifests/{code}/conversions, with the era's headers)
// into the App's id, private key, client id and secret and webhook secret — written to files only this
// user can read, never printed.
// https://docs.github.com/en/enterprise-server@3.9/apps/sharing-github-apps/registering-a-github-app-from-a-manifest
import { randomBytes, timingSafeEqual } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { unwrap } from "@ghes-sdk/core";
import { CONNECTION_OPTIONS, parsing, required } from "./args.js";
import { ERA_CHOICES, eraClient, resolveTarget, webUrlOf } from "./connect.js";
import { CommandError, UsageError } from "./errors.js";
import type { Io } from "./io.js";

export const MANIFEST_HELP = `Usage: ghes-sdk manifest --url <GHES> --manifest <app.json> [--org <org>] [--out <dir>] [--port <n>]

Registers a GitHub App from a manifest: serves a page on 127.0.0.1 that posts the manifest to your GHES's
registration page; after you confirm there, GHES sends the browser back with a code, which is converted
into the App's credentials. They are written to <dir> (mode 0700), one file each (mode 0600): app-id,
client-id, client-secret, webhook-secret, private-key.pem, and .env with GHES_APP_ID,
GHES_APP_PRIVATE_KEY_PATH, GHES_CLIENT_ID, GHES_CLIENT_SECRET and GHES_WEBHOOK_SECRET. Nothing secret is printed.

  --url <GHES>         your GHES, e.g. https://ghes.example.com
  --manifest <file>    the App manifest (JSON; "url" is required, "redirect_url" is set by this command)
  --org <org>          register the App for this organization (default: for your own user account)
  --out <dir>          where to write the credentials (default ./ghes-app); must not exist or be empty
  --port <n>           the local page's port on 127.0.0.1 (default: any free one)
  --era <era>          ${ERA_CHOICES} (default: asked from the server)
  --ca-file <pem>      trust these CA certificates too (NODE_EXTRA_CA_CERTS works as well)

Exit status: 0 registered, 1 the conversion (or a file) failed, 2 usage.`;

/** The files written, and the environment variable names @ghes-sdk/auth's examples and the webhooks read. */
const FILES = {
  id: "app-id",
  clientId: "client-id",
  clientSecret: "client-secret",
  webhookSecret: "webhook-secret",
  pem: "private-key.pem",
  env: ".env",
} as const;

export interface RegisteredApp {
  id: number;
  slug: string;
  name: string;
  owner: string | null;
  dir: string;
}

export async function manifestCommand(argv: string[], io: Io): Promise<number> {
  const options = {
    ...CONNECTION_OPTIONS,
    manifest: { type: "string" },
    org: { type: "string" },
    out: { type: "string" },
    port: { type: "string" },
  } as const;
  const { values } = parsing("manifest", () => parseArgs({ args: argv, options, strict: true }));
  if (values.help) return io.out(MANIFEST_HELP), 0;
  const url = required(values.url, "--url", "--url https://ghes.example.com");
  const manifestFile = required(values.manifest, "--manifest", "--manifest app.json");
  const org = values.org;
  if (org !== undefined && !/^[\w.-]+$/.test(org)) throw new UsageError("--org must be an organization login, e.g. --org octo-org");
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError("--port must be a port number, e.g. --port 3000 (or leave it out for any free port)");
  const dir = resolve(values.out ?? "ghes-app");
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new UsageError(`--out ${values.out ?? "ghes-app"} is not empty: choose a new directory, so no credentials are overwritten`);
  const manifest = readManifest(manifestFile);
  if (manifest["redirect_url"] !== undefined) io.err("ghes-sdk: the manifest's redirect_url is replaced by the local page's, which receives the code");

  const target = await resolveTarget({ url, era: values.era, caFile: values["ca-file"], env: io.env });
  const github = eraClient(target);
  const web = webUrlOf(target.apiUrl);
  const registration = `${web}${org === undefined ? "/settings/apps/new" : `/organizations/${encodeURIComponent(org)}/settings/apps/new`}`;

  const app = await serveFlow({ port, registration, manifest, io }, async (code) => {
    const data = await unwrap(github.POST("/app-manifests/{code}/conversions", { params: { path: { code } } }));
    writeCredentials(dir, data);
    const owner = data.owner && "login" in data.owner ? data.owner.login : null;
    return { id: data.id, slug: data.slug ?? "", name: data.name, owner, dir };
  });
  io.out(`registered ${app.name} (id ${app.id}, slug ${app.slug}${app.owner ? `, owner ${app.owner}` : ""}); credentials in ${app.dir}`);
  return 0;
}

function readManifest(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new CommandError(`cannot read --manifest ${file} (${(error as NodeJS.ErrnoException).code ?? "unreadable"}): give the path of the App manifest (JSON)`);
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    throw new UsageError(`--manifest ${file} is not JSON: an App manifest is a JSON object such as {"name": "Deploy Bot", "url": "https://example.com"}`);
  }
  if (typeof manifest !== "object" || manifest === null || Array.isArray(manifest)) throw new UsageError(`--manifest ${file} must hold a JSON object`);
  if (typeof (manifest as { url?: unknown }).url !== "string") throw new UsageError(`--manifest ${file} needs "url" (the App's homepage), which GHES requires`);
  return manifest as Record<string, unknown>;
}

interface Conversion {
  id: number;
  slug?: string | null;
  name: string;
  client_id: string;
  client_secret: string;
  webhook_secret: string | null;
  pem: string;
}

function writeCredentials(dir: string, data: Conversion): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const pemPath = join(dir, FILES.pem);
  const files: [string, string][] = [
    [FILES.id, `${data.id}\n`],
    [FILES.clientId, `${data.client_id}\n`],
    [FILES.clientSecret, `${data.client_secret}\n`],
    [FILES.webhookSecret, `${data.webhook_secret ?? ""}\n`],
    [FILES.pem, data.pem.endsWith("\n") ? data.pem : `${data.pem}\n`],
    [
      FILES.env,
      [
        `GHES_APP_ID=${data.id}`,
        `GHES_APP_PRIVATE_KEY_PATH=${pemPath}`,
        `GHES_CLIENT_ID=${data.client_id}`,
        `GHES_CLIENT_SECRET=${data.client_secret}`,
        `GHES_WEBHOOK_SECRET=${data.webhook_secret ?? ""}`,
        "",
      ].join("\n"),
    ],
  ];
  // "wx": never replace a file; mode 0600 from the moment the file exists (no window where others can read it).
  for (const [name, content] of files) writeFileSync(join(dir, name), content, { mode: 0o600, flag: "wx" });
}

/** Stops listening and drops the browser's keep-alive connections, so the process can exit. */
function closeServer(server: Server): void {
  server.close();
  server.closeAllConnections();
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The local page and its callback. Resolves with what `convert` returns once a callback with the right
 * `state` arrives and converts; a callback with another state (a page the user did not start) is refused.
 */
function serveFlow(
  options: { port: number; registration: string; manifest: Record<string, unknown>; io: Io },
  convert: (code: string) => Promise<RegisteredApp>,
): Promise<RegisteredApp> {
  const expected = randomBytes(16).toString("hex");
  return new Promise((resolvePromise, reject) => {
    let done = false;
    const server: Server = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const html = (status: number, body: string) => {
        res.writeHead(status, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" });
        res.end(`<!doctype html><meta charset="utf-8"><title>ghes-sdk manifest</title>${body}`);
      };
      if (req.method === "GET" && url.pathname === "/") {
        const manifest = JSON.stringify({ ...options.manifest, redirect_url: `${origin}/callback` });
        const action = `${options.registration}?state=${expected}`;
        return html(
          200,
          `<form id="register" method="post" action="${escapeHtml(action)}">` +
            `<input type="hidden" name="manifest" value="${escapeHtml(manifest)}">` +
            `<p>Register the GitHub App on ${escapeHtml(new URL(options.registration).origin)}:</p><button type="submit">Continue to GitHub Enterprise</button></form>` +
            `<script>document.getElementById("register").submit()</script>`,
        );
      }
      if (req.method === "GET" && url.pathname === "/callback") {
        const code = url.searchParams.get("code");
        const state = Buffer.from(url.searchParams.get("state") ?? "");
        if (done) return html(409, "<p>The App was already registered; you can close this tab.</p>");
        if (!code || state.length !== expected.length || !timingSafeEqual(state, Buffer.from(expected))) {
          return html(400, "<p>This callback does not belong to the registration this command started: start again from its page.</p>");
        }
        done = true;
        convert(code).then(
          (app) => {
            res.once("finish", () => closeServer(server));
            html(200, `<p>Registered ${escapeHtml(app.name)}. Its credentials are in ${escapeHtml(app.dir)}; you can close this tab.</p>`);
            resolvePromise(app);
          },
          (error: unknown) => {
            res.once("finish", () => closeServer(server));
            html(502, "<p>GHES did not convert the code into the App's credentials; the command says why.</p>");
            reject(error);
          },
        );
        return;
      }
      html(404, "<p>Not found</p>");
    });
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(new CommandError(`cannot serve the local page on 127.0.0.1:${options.port} (${error.code ?? error.message}): choose another --port`)),
    );
    server.listen(options.port, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      options.io.err(`Open http://127.0.0.1:${port}/ in a browser signed in to GHES to register the App (Ctrl-C to stop).`);
    });
  });
}
