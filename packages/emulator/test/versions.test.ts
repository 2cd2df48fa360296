// One GHES version, every era that serves it: from 3.21 on, REST API 2022-11-28 and 2026-03-10 side by side,
// chosen per request by X-GitHub-Api-Version (absent: 2022-11-28); below 3.21, 2026-03-10 is a version GHES
// does not know (400). And the spec as a version serves it: items outside x-ghes-since/x-ghes-until go.
import { appAuth } from "@ghes-sdk/auth";
import { eraRanges } from "@ghes-sdk/core";
import { createClient as create20221128 } from "@ghes-sdk/ghes-2022-11-28";
import { createClient as create20260310 } from "@ghes-sdk/ghes-2026-03-10";
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../src/index.js";
import { dropUnserved, servedAt } from "../src/spec.js";

const started: Emulator[] = [];
const start = async (options: Parameters<typeof startEmulator>[0]) => {
  const emulator = await startEmulator(options);
  started.push(emulator);
  return emulator;
};
afterEach(async () => {
  await Promise.all(started.splice(0).map((e) => e.close()));
});

const unsupported = (value: string, supported: string) =>
  `The version you specified in the "X-GitHub-Api-Version" request header, "${value}", is not a supported version. The following versions are currently supported: ${supported}.`;

describe("a GHES version serves every era that covers it", () => {
  it.each(["3.21", "3.22"])("%s: both REST API versions, the header choosing, none meaning 2022-11-28", async (version) => {
    const ghes = await start({ ghesVersion: version });
    expect(ghes.eras).toEqual(["ghes-2022-11-28", "ghes-2026-03-10"]);
    expect(ghes.era).toBe("ghes-2022-11-28");
    const app = ghes.state.createApp({ name: "both versions" });
    const auth = () => appAuth({ appId: app.id, privateKey: app.privateKeyPem });

    const current = await create20221128({ baseUrl: ghes.baseUrl, auth: auth() }).GET("/app");
    expect(current.response.status).toBe(200);
    expect(current.response.headers.get("x-github-enterprise-version")).toBe(version);
    const next = await create20260310({ baseUrl: ghes.baseUrl, auth: auth() }).GET("/app");
    expect(next.response.status).toBe(200);
    expect(next.data?.name).toBe("both versions");
    // A request without X-GitHub-Api-Version gets 2022-11-28.
    const bare = await fetch(`${ghes.baseUrl}/app`, { headers: { authorization: `Bearer ${ghes.state.createToken({ kind: "oauth", user: "mona" }).token}` } });
    expect(bare.status).not.toBe(400);
    expect(ghes.served.map((s) => s.era)).toEqual(["ghes-2022-11-28", "ghes-2026-03-10", "ghes-2022-11-28"]);
    expect(ghes.violations).toEqual([]);

    const res = await fetch(`${ghes.baseUrl}/app`, { headers: { "x-github-api-version": "2021-01-01" } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toBe(unsupported("2021-01-01", '"2026-03-10" (most recent), "2022-11-28"'));
  });

  it("3.22 answers each REST API version with its own shapes: 2026-03-10's breaking changes", async () => {
    const ghes = await start({ ghesVersion: "3.22" });
    const app = ghes.state.createApp({ name: "breaking" });
    const owner = ghes.state.createOrganization("breaking-org");
    const repo = ghes.state.createRepository({ owner: owner.login, name: "r" });
    const auth = () => appAuth({ appId: app.id, privateKey: app.privateKeyPem });
    let n = 0;
    const install = () => ghes.state.createInstallation({ appId: app.id, account: ghes.state.createOrganization(`gone-${++n}`).login }).id;
    const current = create20221128({ baseUrl: ghes.baseUrl, auth: auth() });
    const next = create20260310({ baseUrl: ghes.baseUrl, auth: auth() });
    // Deleting an installation: 204 in 2022-11-28, 202 in 2026-03-10.
    expect((await current.DELETE("/app/installations/{installation_id}", { params: { path: { installation_id: install() } } })).response.status).toBe(204);
    expect((await next.DELETE("/app/installations/{installation_id}", { params: { path: { installation_id: install() } } })).response.status).toBe(202);
    // A repository: has_downloads, master_branch and use_squash_pr_title_as_default are gone in 2026-03-10.
    const installationId = ghes.state.createInstallation({ appId: app.id, account: owner.login, repositoryIds: [repo.id] }).id;
    const token = ghes.state.createToken({ kind: "installation", installationId }).token;
    const list = async (version: string) => {
      const res = await fetch(`${ghes.baseUrl}/installation/repositories`, { headers: { authorization: `token ${token}`, "x-github-api-version": version } });
      return ((await res.json()) as { repositories: Record<string, unknown>[] }).repositories[0]!;
    };
    expect(await list("2022-11-28")).toHaveProperty("has_downloads");
    expect(await list("2026-03-10")).not.toHaveProperty("has_downloads");
    expect(ghes.violations).toEqual([]);
  });

  it("below 3.21 answers X-GitHub-Api-Version: 2026-03-10 with 400, as GHES answers a version it does not know", async () => {
    const ghes = await start({ ghesVersion: "3.20" });
    expect(ghes.eras).toEqual(["ghes-2022-11-28"]);
    const app = ghes.state.createApp({ name: "too new" });
    const { response, error } = await create20260310({ baseUrl: ghes.baseUrl, auth: appAuth({ appId: app.id, privateKey: app.privateKeyPem }) }).GET("/app");
    expect(response.status).toBe(400);
    expect(error?.message).toContain(unsupported("2026-03-10", '"2022-11-28" (most recent)'));
  });

  it("era and ghesVersion: the era must serve the version; the server still serves every era covering it", async () => {
    await expect(startEmulator({ era: "ghes-2026-03-10", ghesVersion: "3.20" })).rejects.toThrow("options.ghesVersion 3.20 is not in era ghes-2026-03-10 (3.21–current)");
    await expect(startEmulator({ ghesVersion: "2.19" })).rejects.toThrow("options.ghesVersion 2.19 is older than every era");
    await expect(startEmulator({} as never)).rejects.toThrow(`needs an era (${eraRanges.map((r) => r.era).join(", ")}) or a ghesVersion`);
    const ghes = await start({ era: "ghes-2026-03-10" });
    expect(ghes.ghesVersion).toBe("3.21");
    expect(ghes.era).toBe("ghes-2026-03-10");
    expect(ghes.eras).toEqual(["ghes-2022-11-28", "ghes-2026-03-10"]);
    expect((await start({ ghesVersion: "3.8" })).eras).toEqual(["ghes-3.x"]);
    expect((await start({ ghesVersion: "2.21" })).eras).toEqual(["ghes-2.2x"]);
  });
});

describe("the spec as a version serves it", () => {
  it.each([
    ["3.13", false],
    ["3.14", true],
  ])("GHES %s: an installation's client_id (x-ghes-since 3.14) is sent: %s", async (version, sent) => {
    const ghes = await start({ ghesVersion: version });
    const app = ghes.state.createApp({ name: "scoped" });
    const installation = ghes.state.createInstallation({ appId: app.id, account: ghes.state.createOrganization("scoped-org").login });
    const asApp = create20221128({ baseUrl: ghes.baseUrl, auth: appAuth({ appId: app.id, privateKey: app.privateKeyPem }) });
    const { data, response } = await asApp.GET("/app/installations/{installation_id}", { params: { path: { installation_id: installation.id } } });
    expect(response.status).toBe(200);
    expect(data?.app_id).toBe(app.id);
    if (sent) expect(data).toHaveProperty("client_id", app.clientId);
    else expect(data).not.toHaveProperty("client_id");
    expect(ghes.violations).toEqual([]);
  });

  const spec = {
    paths: {
      "/things": {
        get: {
          parameters: [
            { name: "since", in: "query", schema: { type: "string" }, "x-ghes-since": "3.12" },
            { $ref: "#/components/parameters/old" },
            { name: "page", in: "query", schema: { type: "integer" } },
          ],
          responses: {
            "200": { content: { "application/json": { schema: { type: "array", items: { $ref: "#/components/schemas/thing" } } } } },
            "422": { description: "new", "x-ghes-since": "3.15" },
          },
        },
      },
    },
    components: {
      parameters: { old: { name: "legacy", in: "query", schema: { type: "string" }, "x-ghes-until": "3.10" } },
      schemas: {
        thing: {
          type: "object",
          required: ["id", "profile"],
          properties: {
            id: { type: "integer" },
            account: { oneOf: [{ type: "object" }, { type: "null", "x-ghes-until": "3.11" }] },
            profile: { type: "string", "x-ghes-since": "3.12" },
            owner: { type: "object", properties: { login: { type: "string" }, gone: { type: "string", "x-ghes-until": "3.11" } } },
          },
        },
      },
    },
  };

  it("leaves out properties, parameters and statuses outside their range, and the property from `required`", () => {
    const at310 = servedAt(spec, "3.10");
    expect(at310.components.schemas.thing.properties).not.toHaveProperty("profile");
    expect(at310.components.schemas.thing.required).toEqual(["id"]);
    expect(at310.components.schemas.thing.properties.owner.properties).toHaveProperty("gone");
    expect(at310.paths["/things"].get.parameters.map((p: any) => p.name ?? p.$ref)).toEqual(["#/components/parameters/old", "page"]);
    expect(at310.paths["/things"].get.responses).not.toHaveProperty("422");
    expect(at310.components.schemas.thing.properties.account.oneOf).toHaveLength(2);

    const at315 = servedAt(spec, "3.15");
    expect(at315.components.schemas.thing.required).toEqual(["id", "profile"]);
    expect(at315.components.schemas.thing.properties.owner.properties).not.toHaveProperty("gone");
    expect(at315.paths["/things"].get.parameters.map((p: any) => p.name ?? p.$ref)).toEqual(["since", "page"]);
    expect(at315.paths["/things"].get.responses).toHaveProperty("422");
    expect(at315.components.schemas.thing.properties.account.oneOf).toEqual([{ type: "object" }]);
    expect(spec.components.schemas.thing.required).toEqual(["id", "profile"]);
    // Nothing version-scoped: the spec itself (one router and validator for every version).
    expect(servedAt({ paths: {}, components: { schemas: { a: { properties: { b: {} } } } } }, "3.1")).toEqual({ paths: {}, components: { schemas: { a: { properties: { b: {} } } } } });
  });

  it("drops what a version does not send from a response body, through $ref, arrays and nested objects", () => {
    const body = () => [{ id: 1, profile: "p", owner: { login: "mona", gone: "x" } }];
    const schema = spec.paths["/things"].get.responses["200"].content["application/json"].schema;
    const at310 = body();
    dropUnserved(spec, schema, at310, "3.10");
    expect(at310).toEqual([{ id: 1, owner: { login: "mona", gone: "x" } }]);
    const at312 = body();
    dropUnserved(spec, schema, at312, "3.12");
    expect(at312).toEqual([{ id: 1, profile: "p", owner: { login: "mona" } }]);
  });
});
