// Written by `npm run new-era`: ghes-2026-03-10's client against the emulator at the GHES versions the era serves —
// the headers it sends, an App's JWT, an installation token and a list, and core's era list naming it.
import { readFileSync } from "node:fs";
import { appAuth, installationAuth } from "@ghes-sdk/auth";
import { eraRanges } from "@ghes-sdk/core";
import { startEmulator, type Emulator } from "@ghes-sdk/emulator";
import { afterAll, describe, expect, it } from "vitest";
import { createClient, definition, operationTable } from "../src/index.js";

const spec = JSON.parse(readFileSync(new URL("../openapi.json", import.meta.url), "utf8"));
const first: string = spec.info["x-ghes-first"];
const last: string | undefined = spec.info["x-ghes-last"];

it("is in core's era list with its spec's range", () => {
  expect(eraRanges.find((range) => range.era === definition.name)).toMatchObject({ packageName: "@ghes-sdk/ghes-2026-03-10", since: first, ...(last ? { until: last } : {}) });
  expect(Object.keys(operationTable).length).toBeGreaterThan(0);
});

describe.each([...new Set([first, last ?? first])])("against an emulated GHES %s", (version) => {
  let ghes: Emulator;
  afterAll(() => ghes?.close());

  it("authenticates as the App, mints an installation token and lists its repositories, with the era's headers", async () => {
    ghes = await startEmulator({ era: definition.name, ghesVersion: version });
    const app = ghes.state.createApp({ name: "new-era check" });
    const owner = ghes.state.createOrganization("new-era-org");
    const repo = ghes.state.createRepository({ owner: owner.login, name: "hello" });
    const installation = ghes.state.createInstallation({ appId: app.id, account: owner.login, repositoryIds: [repo.id] });
    const sent: Headers[] = [];
    const fetch = (request: Request) => {
      sent.push(request.headers);
      return globalThis.fetch(request);
    };
    const asApp = createClient({ baseUrl: ghes.baseUrl, fetch, auth: appAuth({ appId: app.id, privateKey: app.privateKeyPem }) });
    const me = await asApp.GET("/app");
    expect(me.response.status).toBe(200);
    expect(me.data?.id).toBe(app.id);
    for (const [name, value] of Object.entries(definition.defaultHeaders)) expect(sent[0]!.get(name)).toBe(value);

    const github = createClient({ baseUrl: ghes.baseUrl, fetch, auth: installationAuth({ appId: app.id, privateKey: app.privateKeyPem, installationId: installation.id }) });
    const repos = await github.GET("/installation/repositories");
    expect(repos.response.status).toBe(200);
    expect(repos.data?.repositories.map((r) => r.full_name)).toEqual([`${owner.login}/hello`]);
    // Answered by this era (from GHES 3.21 on, the X-GitHub-Api-Version sent chooses it), valid against its spec.
    expect(ghes.served.map((s) => s.era)).toEqual(ghes.served.map(() => definition.name));
    expect(ghes.violations).toEqual([]);
  });
});
