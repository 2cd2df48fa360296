#!/usr/bin/env node
// ghes-emulator --era ghes-3.x [--ghes-version 3.4] [--port 3000] [--host 127.0.0.1] [--webhook-url http://127.0.0.1:3000/api/github/webhooks]
// (the webhook secret, if any, from the GHES_WEBHOOK_SECRET environment variable: never on the command line)
// Starts an emulator with demo data, prints its base URL and the demo credentials, serves until Ctrl-C.
// The credentials are the emulator's own made-up ones, printed so that a developer can use them.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { seedDemo } from "./seed.js";
import type { EraName } from "@ghes-sdk/core";
import { startEmulator } from "./server.js";
import { ERAS, isEra } from "./spec.js";

const USAGE = `usage: ghes-emulator --era <${ERAS.join("|")}> [--ghes-version <x.y>] [--port <n>] [--host <addr>] [--webhook-url <http://127.0.0.1:…>]  (secret: $GHES_WEBHOOK_SECRET)`;

function fail(message: string): never {
  process.stderr.write(`ghes-emulator: ${message}\n${USAGE}\n`);
  process.exit(2);
}

let values: { era?: string; "ghes-version"?: string; port?: string; host?: string; "webhook-url"?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: { era: { type: "string" }, "ghes-version": { type: "string" }, port: { type: "string" }, host: { type: "string" }, "webhook-url": { type: "string" }, help: { type: "boolean", short: "h" } },
  }));
} catch (error) {
  fail((error as Error).message);
}
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (values.era === undefined && values["ghes-version"] === undefined) fail(`--era (${ERAS.join(", ")}) or --ghes-version is required`);
if (values.era !== undefined && !isEra(values.era)) fail(`--era must be one of ${ERAS.join(", ")}`);
// Digits only: Number() would also take "", "1e3" and "0x1F90".
const port = values.port === undefined ? 0 : /^\d{1,5}$/.test(values.port) ? Number(values.port) : -1;
if (port < 0 || port > 65535) fail("--port must be a port number (0–65535), in decimal digits; 0 or none picks a free one");

let emulator;
try {
  emulator = await startEmulator({
    ...(values.era ? { era: values.era as EraName } : {}),
    port,
    ...(values.host ? { host: values.host } : {}),
    ...(values["ghes-version"] ? { ghesVersion: values["ghes-version"] } : {}),
    ...(values["webhook-url"] ? { webhook: { url: values["webhook-url"], ...(process.env["GHES_WEBHOOK_SECRET"] ? { secret: process.env["GHES_WEBHOOK_SECRET"] } : {}) } } : {}),
  });
} catch (error) {
  fail((error as Error).message.replace(/^@ghes-sdk\/emulator: /, "").replace("options.webhook.url", "--webhook-url"));
}
const demo = seedDemo(emulator.state);
const dir = mkdtempSync(join(tmpdir(), "ghes-emulator-"));
const keyFile = join(dir, `${demo.app.slug}.private-key.pem`);
writeFileSync(keyFile, demo.app.privateKeyPem, { mode: 0o600 });

process.stdout.write(
  [
    `GHES ${emulator.ghesVersion} (${emulator.eras.join(", ")}) emulated at ${emulator.baseUrl}`,
    "",
    `GitHub App          id ${demo.app.id} (${demo.app.slug}), private key ${keyFile}`,
    `  installation      ${demo.installation.id} on ${demo.org.login} (repositories: ${demo.repositories.map((r) => r.name).join(", ")})`,
    `OAuth app           client id ${demo.oauthApp.clientId}, client secret ${demo.oauthApp.clientSecret}`,
    `  user token        ${demo.oauthToken.token}`,
    `User                ${demo.user.login}, password ${demo.password}, 2FA (TOTP secret ${demo.user.totpSecret})`,
    ...(values["webhook-url"] ? [`Webhooks            to ${values["webhook-url"]}, ${process.env["GHES_WEBHOOK_SECRET"] ? "signed with $GHES_WEBHOOK_SECRET" : "unsigned (no GHES_WEBHOOK_SECRET)"}`] : []),
    "",
    "Ctrl-C to stop.",
    "",
  ].join("\n"),
);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write("stopped\n");
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
