// Each era's `webhooks` against payloads as GHES sends them: our own GHES-shaped payloads for every event
// each era describes; a payload of the shape of every App-related example under octokit/webhooks'
// payload-examples/ghes-* (current tree and history; openapi/facts/webhook-examples.json); and — when
// OCTOKIT_WEBHOOKS_GIT names a clone of octokit/webhooks (`git clone --bare
// https://github.com/octokit/webhooks`) — those examples themselves. Each payload must
//   1. type-check as its era's WebhookPayload<"event.action"> (tsc --strict),
//   2. validate against the era's bundled spec (ajv, JSON Schema 2020-12),
//   3. be received by the era's createWebhooks().verifyAndReceive when signed as its GHES version signs
//      (2.2x: X-Hub-Signature only; 3.0+: both headers) — and a SHA-1-only delivery is refused by 3.x+,
// while api.github.com's schema (@octokit/webhooks-schemas), as a control, rejects the installation events.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { sign } from "@ghes-sdk/webhooks";
import { Ajv2020 } from "ajv/dist/2020.js";
import { Ajv } from "ajv";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { exampleFacts, factsPath, factsText, octokitExamples, payloadOf } from "../../../scripts/webhook-facts.mjs";
import { bundled, ERAS } from "./support/specs.js";
import { ghesPayload } from "./support/webhook-payloads.js";

const require = createRequire(import.meta.url);
const SECRET = "webhook secret of the conformance App";
// The version our own payloads stand for: an era's first (2.2x: 2.22, whose payloads have every field).
const FIRST: Record<string, string> = Object.fromEntries(ERAS.map((era) => [era, era === "ghes-2.2x" ? "2.22" : String(bundled(era).info["x-ghes-first"])]));
const outDir = join(import.meta.dirname, ".webhooks");

interface Case {
  era: string;
  version: string;
  key: string;
  body: string;
  source: string;
}

const eraOf = (version: string) => (version.startsWith("2.") ? "ghes-2.2x" : Number(version.split(".")[1]) <= 8 ? "ghes-3.x" : "ghes-2022-11-28");

const specs = Object.fromEntries(ERAS.map((era) => [era, bundled(era)]));
const ours: Case[] = ERAS.flatMap((era) =>
  Object.keys(specs[era].webhooks ?? {}).map((key) => ({ era, version: FIRST[era]!, key, body: JSON.stringify(ghesPayload(key), null, 2), source: "ours" })),
);
// openapi/facts/webhook-examples.json: the shape of every App-related GHES example of octokit/webhooks
// (scripts/webhook-facts.mjs), rebuilt as a payload — so CI checks the examples' shapes without them.
const facts = JSON.parse(readFileSync(factsPath, "utf8")) as Array<{ version: string; key: string; blob: string; shape: Record<string, string> }>;
const shapes: Case[] = facts.map((f) => ({ era: eraOf(f.version), version: f.version, key: f.key, body: JSON.stringify(payloadOf(f.shape), null, 2), source: `shape of octokit example ${f.blob}` }));
const gitDir = process.env["OCTOKIT_WEBHOOKS_GIT"];
const examples: Case[] = gitDir
  ? (octokitExamples(gitDir) as Array<{ version: string; key: string; blob: string; path: string; body: string }>).map((e) => ({ era: eraOf(e.version), version: e.version, key: e.key, body: e.body, source: `octokit ${e.path} @${e.blob.slice(0, 7)}` }))
  : [];
const cases = [...ours, ...shapes, ...examples];

// Our specs: each era's bundled document, its webhook bodies compiled by reference.
const ajv = new Ajv2020({ strict: false, validateFormats: false, validateSchema: false, allErrors: true });
for (const era of ERAS) ajv.addSchema(specs[era], `https://ghes-sdk.test/${era}.json`);
const validatorOf = (era: string, key: string) =>
  ajv.getSchema(`https://ghes-sdk.test/${era}.json#/webhooks/${key.replace(/\//g, "~1")}/post/requestBody/content/application~1json/schema`) ??
  ajv.compile({ $ref: `https://ghes-sdk.test/${era}.json#/webhooks/${key}/post/requestBody/content/application~1json/schema` });

// The control: api.github.com's schemas, draft-07, one definition per event$action.
const octokitSchema = JSON.parse(readFileSync(require.resolve("@octokit/webhooks-schemas/schema.json"), "utf8"));
const control = new Ajv({ strict: false, validateFormats: false, allErrors: true });
control.addSchema(octokitSchema, "octokit");
const INSTALLATION_EVENTS = /^(integration_)?installation(_repositories)?\./;
const controls = new Map<string, ReturnType<typeof control.compile>>();
const controlOf = (key: string) => controls.get(key.replace(/^integration_/, ""))!;

const typeErrors = new Map<number, string[]>();
beforeAll(() => {
  // Compiling api.github.com's schema takes seconds: once, here, for the events the control covers.
  for (const key of new Set(cases.map((c) => c.key.replace(/^integration_/, "")).filter((k) => INSTALLATION_EVENTS.test(k)))) {
    controls.set(key, control.compile({ $ref: `octokit#/definitions/${key.replace(".", "$")}` }));
  }
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const files = ERAS.map((era) => {
    const lines = [
      `// Written by test/webhooks.test.ts — do not edit.`,
      `import type { WebhookPayload } from "@ghes-sdk/${era}/webhooks";`,
      `type Mutable<T> = T extends readonly (infer U)[] ? Mutable<U>[] : T extends object ? { -readonly [K in keyof T]: Mutable<T[K]> } : T;`,
    ];
    cases.forEach((c, i) => {
      if (c.era !== era) return;
      // `as const` keeps each action a literal; read through a variable, extra fields GHES sends are allowed.
      lines.push(`const case${i} = ${c.body.trim()} as const;`, `export const payload${i}: WebhookPayload<${JSON.stringify(c.key)}> = case${i} as unknown as Mutable<typeof case${i}>;`);
    });
    const file = join(outDir, `${era}.ts`);
    writeFileSync(file, lines.join("\n") + "\n");
    return file;
  });
  const program = ts.createProgram(files, { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, skipLibCheck: true, types: ["node"] });
  for (const d of ts.getPreEmitDiagnostics(program)) {
    // The case is named on the line of the diagnostic (`export const payload<i>: …`).
    const text = d.file?.text ?? "";
    const line = text.slice(text.lastIndexOf("\n", (d.start ?? 0) - 1) + 1, text.indexOf("\n", d.start ?? 0));
    const index = Number(/(?:case|payload)(\d+)\b/.exec(line)?.[1] ?? -1);
    typeErrors.set(index, [...(typeErrors.get(index) ?? []), ts.flattenDiagnosticMessageText(d.messageText, "\n")]);
  }
}, 180_000);

it("every era describes the App events, with the signature headers of its GHES versions", () => {
  const keys = (era: string) => Object.keys(specs[era].webhooks ?? {}).sort();
  for (const era of ERAS) {
    expect(keys(era)).toEqual(expect.arrayContaining(["installation.created", "installation.deleted", "installation.suspend", "installation.unsuspend", "installation.new_permissions_accepted", "installation_repositories.added", "installation_repositories.removed", "github_app_authorization.revoked", "ping", "meta.deleted"]));
    const headers = (specs[era].webhooks["installation.created"].post.parameters as Array<{ $ref?: string; name?: string }>).map((p) => (p.$ref ? p.$ref.split("/").pop() : p.name));
    expect(headers.some((h) => /sha256|Signature-256/.test(h ?? ""))).toBe(era !== "ghes-2.2x");
  }
  expect(keys("ghes-2.2x")).toEqual(expect.arrayContaining(["integration_installation.created", "integration_installation_repositories.added"]));
  expect(keys("ghes-2022-11-28")).toContain("installation_target.renamed");
});

it("no type error outside the cases", () => {
  expect(typeErrors.get(-1) ?? []).toEqual([]);
});

describe.each(cases.map((c, i) => [`${c.era} ${c.version} ${c.key} (${c.source})`, i, c] as const))("%s", (_, i, c) => {
  it("type-checks as the era's WebhookPayload", () => {
    expect(typeErrors.get(i) ?? []).toEqual([]);
  });

  it("validates against the era's spec", () => {
    const validate = validatorOf(c.era, c.key);
    expect(validate(JSON.parse(c.body)), JSON.stringify(validate.errors)).toBe(true);
  });

  it("is received when signed as its GHES version signs; a 3.x+ receiver refuses it signed with SHA-1 only", async () => {
    const { createWebhooks } = (await import(`@ghes-sdk/${c.era}/webhooks`)) as typeof import("@ghes-sdk/ghes-3.x/webhooks");
    const webhooks = createWebhooks({ secret: SECRET });
    const received: unknown[] = [];
    webhooks.on(c.key as "ping", ({ payload, name }) => void received.push([name, payload]));
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "x-github-event": c.key.split(".")[0]!,
      "x-github-delivery": "0b989ba4-242f-11e5-81e1-c7b6966d2516",
      "x-github-enterprise-version": `${c.version}.0`,
      "x-github-enterprise-host": "ghes.example.com",
      "x-hub-signature": sign(SECRET, c.body, "sha1"),
    };
    if (!c.version.startsWith("2.")) headers["x-hub-signature-256"] = sign(SECRET, c.body);
    await webhooks.verifyAndReceive({ headers, body: Buffer.from(c.body) });
    expect(received).toEqual([[c.key.split(".")[0], JSON.parse(c.body)]]);
    if (c.era !== "ghes-2.2x") {
      const { "x-hub-signature-256": _, ...sha1Only } = headers;
      await expect(webhooks.verifyAndReceive({ headers: sha1Only, body: c.body })).rejects.toMatchObject({ code: "SHA1_NOT_ACCEPTED" });
    }
  });

  it.runIf(INSTALLATION_EVENTS.test(c.key))("is rejected by api.github.com's schema (the control)", () => {
    const validate = controlOf(c.key);
    expect(validate(JSON.parse(c.body))).toBe(false);
  });
});

// The signature matrix through each era's own entry point: headers sent × tampered body × rotated secret.
describe.each(ERAS)("%s entry point: signature headers × tampered body × rotated secret", (era) => {
  const body = JSON.stringify(ghesPayload("installation.created"));
  const tamperedBody = body.replace('"id":42', '"id":43');
  it("tampers with the body", () => expect(tamperedBody).not.toBe(body));
  const rows = (["sha1", "sha256", "both", "none", "good sha1, bad sha256"] as const).flatMap((sent) =>
    [false, true].flatMap((tampered) => (["new", "old", "unknown"] as const).map((secret) => ({ sent, tampered, secret }))),
  );
  it.each(rows)("sent $sent, tampered $tampered, signed with the $secret secret", async ({ sent, tampered, secret }) => {
    const { createWebhooks } = (await import(`@ghes-sdk/${era}/webhooks`)) as typeof import("@ghes-sdk/ghes-3.x/webhooks");
    const webhooks = createWebhooks({ secret: ["new secret", "old secret"] });
    let received = 0;
    webhooks.on("installation.created", () => void received++);
    const key = secret === "unknown" ? "not configured" : `${secret} secret`;
    const headers: Record<string, string> = { "x-github-event": "installation", "x-github-delivery": "d" };
    if (sent === "sha1" || sent === "both" || sent === "good sha1, bad sha256") headers["x-hub-signature"] = sign(key, body, "sha1");
    if (sent === "sha256" || sent === "both") headers["x-hub-signature-256"] = sign(key, body);
    if (sent === "good sha1, bad sha256") headers["x-hub-signature-256"] = sign("not configured", body);
    const outcome = webhooks.verifyAndReceive({ headers, body: tampered ? tamperedBody : body });
    const expected =
      sent === "none" ? "SIGNATURE_MISSING"
      : sent === "good sha1, bad sha256" ? "SIGNATURE_MISMATCH"
      : sent === "sha1" && era !== "ghes-2.2x" ? "SHA1_NOT_ACCEPTED"
      : tampered || secret === "unknown" ? "SIGNATURE_MISMATCH"
      : undefined;
    if (expected) await expect(outcome).rejects.toMatchObject({ code: expected });
    else await outcome;
    expect(received).toBe(expected ? 0 : 1);
  });
});

it("has the shapes of the payload examples of GHES 2.20 – 3.5", () => {
  expect(new Set(facts.map((f) => f.version))).toEqual(new Set(["2.20", "2.21", "2.22", "3.0", "3.4", "3.5"]));
  expect(facts.length).toBeGreaterThanOrEqual(64);
});

it.runIf(Boolean(gitDir))("openapi/facts/webhook-examples.json is current (node scripts/webhook-facts.mjs <git dir>)", () => {
  expect(readFileSync(factsPath, "utf8")).toBe(factsText(exampleFacts(gitDir)));
}, 120_000);

it.runIf(examples.length > 0)("found the payload examples of GHES 2.20 – 3.5", () => {
  const versions = [...new Set(examples.map((c) => c.version))].sort();
  console.log(`octokit/webhooks: ${examples.length} App-related GHES payload examples (${versions.join(", ")})`);
  expect(versions).toEqual(expect.arrayContaining(["2.21", "2.22", "3.0", "3.4", "3.5"]));
});
