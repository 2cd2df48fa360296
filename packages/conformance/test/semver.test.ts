// The semver rule for spec changes (.changeset/README.md): the classifier on known edits of a real spec, and
// the gate — every change since the last `npm run version` (the baseline in openapi/released/) is
// covered by a pending changeset of at least the bump the rule asks for.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { BUMPS, diffSpecs } from "../../../scripts/spec-diff.mjs";
import { bundled, ERAS, REPO_ROOT } from "./support/specs.js";

type Bump = "none" | "patch" | "minor" | "major";
const CHANGESETS = join(REPO_ROOT, ".changeset");
const RELEASED = join(REPO_ROOT, "openapi", "released");
const baseline = (era: string) => JSON.parse(readFileSync(join(RELEASED, `${era}.json`), "utf8"));

describe("the spec-diff rule", () => {
  const base = baseline("ghes-3.x");
  const edits: [string, Bump, (spec: any) => void][] = [
    ["nothing", "none", () => {}],
    ["an operation's description", "patch", (s) => (s.paths["/app"].get.description += " More.")],
    ["an example", "patch", (s) => (s.paths["/app"].get.responses["200"].content["application/json"].examples.default.value.id = 2)],
    ["an operation removed", "major", (s) => delete s.paths["/app"].get],
    ["an operation added", "minor", (s) => (s.paths["/app/extra"] = { get: structuredClone(s.paths["/app"].get) })],
    ["an operationId renamed", "major", (s) => (s.paths["/app"].get.operationId = "apps/get-me")],
    ["an operation deprecated", "minor", (s) => (s.paths["/app"].get.deprecated = true)],
    ["a response status removed", "major", (s) => delete s.paths["/app/installations"].get.responses["200"]],
    ["a response field removed", "major", (s) => delete s.components.schemas.integration.properties.slug],
    ["a response field added", "minor", (s) => (s.components.schemas.integration.properties.extra = { type: "string" })],
    ["a response field made optional", "major", (s) => (s.components.schemas.integration.required = s.components.schemas.integration.required.filter((n: string) => n !== "id"))],
    ["a required query parameter added", "major", (s) => s.paths["/app/installations"].get.parameters.push({ name: "q", in: "query", required: true, schema: { type: "string" } })],
    ["an optional query parameter added", "minor", (s) => s.paths["/app/installations"].get.parameters.push({ name: "q", in: "query", schema: { type: "string" } })],
    ["a request field made required", "major", (s) => tokenBody(s).required.push("extra")],
    ["a request field removed", "major", (s) => delete tokenBody(s).properties.access_token],
    ["a request field made stricter (maxLength)", "major", (s) => (tokenBody(s).properties.access_token.maxLength = 10)],
    ["a request field restricted to an enum", "major", (s) => (authorizationBody(s).properties.note.enum = ["a"])],
    ["a request field's type widened", "minor", (s) => (authorizationBody(s).properties.note.type = ["string", "null"])],
    ["a credential no longer accepted", "major", (s) => (s.paths["/app"].get.security = [{ nobody: [] }])],
  ];
  it.each(edits)("%s → %s", (_name, bump, edit) => {
    const after = structuredClone(base);
    edit(after);
    const result = diffSpecs(base, after);
    expect(result.bump, result.changes.map((c: any) => `${c.bump} ${c.where}: ${c.what}`).join("\n")).toBe(bump);
  });

  // Webhooks, on today's bundle (the baseline may predate them): a payload is compared as a response.
  const current = bundled("ghes-3.x");
  const webhookEdits: [string, Bump, (spec: any) => void][] = [
    ["a webhook event removed", "major", (s) => delete s.webhooks["installation.suspend"]],
    ["a webhook event added", "minor", (s) => (s.webhooks["installation.renamed"] = structuredClone(s.webhooks["installation.suspend"]))],
    ["a webhook payload field removed", "major", (s) => delete s.components.schemas[payloadOf(s, "ping")].properties.zen],
    ["a webhook payload field made optional", "major", (s) => (s.components.schemas[payloadOf(s, "ping")].required = ["hook_id", "hook"])],
    ["a webhook payload field added", "minor", (s) => (s.components.schemas[payloadOf(s, "ping")].properties.extra = { type: "string" })],
    ["a webhook's description", "patch", (s) => (s.webhooks["ping"].post.description += " More.")],
  ];
  it.each(webhookEdits)("%s → %s", (_name, bump, edit) => {
    const after = structuredClone(current);
    edit(after);
    const result = diffSpecs(current, after);
    expect(result.bump, result.changes.map((c: any) => `${c.bump} ${c.where}: ${c.what}`).join("\n")).toBe(bump);
  });

  /** The components.schemas name of a webhook's payload. */
  function payloadOf(s: any, key: string): string {
    return s.webhooks[key].post.requestBody.content["application/json"].schema.$ref.split("/").pop();
  }
  function authorizationBody(s: any) {
    const schema = s.paths["/authorizations"].post.requestBody.content["application/json"].schema;
    return schema.$ref ? s.components.schemas[schema.$ref.split("/").pop()] : schema;
  }
  function tokenBody(s: any) {
    const schema = s.paths["/applications/{client_id}/token"].post.requestBody.content["application/json"].schema;
    return schema.$ref ? s.components.schemas[schema.$ref.split("/").pop()] : schema;
  }
});

/** The pending changesets' bump per package (the highest one when several name it). */
function pendingBumps(): Map<string, Bump> {
  const bumps = new Map<string, Bump>();
  for (const file of readdirSync(CHANGESETS).filter((f) => f.endsWith(".md") && f !== "README.md")) {
    const text = readFileSync(join(CHANGESETS, file), "utf8");
    const front = /^---\n([^]*?)\n---/.exec(text);
    if (!front) throw new Error(`.changeset/${file} has no front matter`);
    for (const [name, bump] of Object.entries((yaml.load(front[1]!) ?? {}) as Record<string, Bump>)) {
      if (BUMPS.indexOf(bump) > BUMPS.indexOf(bumps.get(name) ?? "none")) bumps.set(name, bump);
    }
  }
  return bumps;
}

describe.each(ERAS)("%s: the spec's changes since the last version", (era) => {
  // An era never released (just made by `npm run new-era`) has no baseline yet: its pending changeset
  // introduces the package, and `npm run version` records the baseline.
  const released = existsSync(join(RELEASED, `${era}.json`));

  it("have a baseline, or are a new package a pending changeset introduces", () => {
    if (!released) expect(pendingBumps().get(`@ghes-sdk/${era}`), `run \`npm run version\` (or node scripts/spec-baseline.mjs) to record ${era}'s baseline`).toBeDefined();
  });

  it.skipIf(!released)("are covered by a pending changeset of the bump the rule asks for", () => {
    const { bump, changes } = diffSpecs(baseline(era), bundled(era));
    const declared = pendingBumps().get(`@ghes-sdk/${era}`) ?? "none";
    const needed = changes.filter((c: any) => BUMPS.indexOf(c.bump) > BUMPS.indexOf(declared));
    expect(
      needed.map((c: any) => `${c.bump} ${c.where}: ${c.what}`).join("\n"),
      `openapi/${era} changed since the last release: add a changeset (\`npx changeset\`) with "@ghes-sdk/${era}": ${bump}`,
    ).toBe("");
  });
});
