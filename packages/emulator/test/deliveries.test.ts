// The emulator delivers webhooks: every family operation that changes state sends a signed delivery with
// the era's headers to a receiver on 127.0.0.1 (the era's own @ghes-sdk/<era>/webhooks middleware), the
// deliveries are listed by GET /app/hook/deliveries and redelivered by POST …/attempts (where the era has
// them), PATCH /app/hook/config sends a ping, and @octokit/webhooks-methods checks the SHA-256 signatures.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { verify as octokitVerify } from "@octokit/webhooks-methods";
import type { EraName } from "@ghes-sdk/core";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../src/index.js";
import { ERAS, spec } from "./support/eras.js";
import { eraClient, Fixture } from "./support/fixture.js";

/** Each delivery's payload against the era spec's `webhooks` schema for its event.action. */
const ajv = new Ajv2020({ strict: false, validateFormats: false, validateSchema: false });
for (const era of ERAS) ajv.addSchema(spec(era), era);
const matchesSpec = (era: EraName, key: string, payload: unknown) => {
  const validate = ajv.getSchema(`${era}#/webhooks/${key}/post/requestBody/content/application~1json/schema`)!;
  return validate(payload) ? "valid" : JSON.stringify(validate.errors);
};

const SECRET = "emulator webhook secret";
/** The eras that follow installation events with their integration_installation* twins (their specs have them). */
const twinned = (era: EraName) => spec(era).webhooks?.["integration_installation.created"] !== undefined;

interface Received {
  key: string;
  id: string;
  payload: any;
  headers: IncomingHttpHeaders;
  body: string;
}

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

/** A receiver built from the era's own webhooks entry point, recording each verified delivery with its raw body. */
async function receiver(era: EraName, secret = SECRET) {
  const { createWebhooks, createNodeMiddleware } = (await import(`@ghes-sdk/${era}/webhooks`)) as typeof import("@ghes-sdk/ghes-3.x/webhooks");
  const webhooks = createWebhooks({ secret });
  const received: Received[] = [];
  const failures: string[] = [];
  const raw = new Map<string, { headers: IncomingHttpHeaders; body: string }>();
  webhooks.on("*", ({ id, name, payload }) => {
    const action = (payload as { action?: string }).action;
    received.push({ key: action ? `${name}.${action}` : name, id, payload, ...raw.get(id)! });
  });
  const middleware = createNodeMiddleware(webhooks, { path: "/hooks", onError: (e) => failures.push(e.code) });
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      raw.set(String(req.headers["x-github-delivery"]), { headers: req.headers, body: body.toString("utf8") });
      // express.raw() style: the middleware reads the bytes from req.body.
      void middleware(Object.assign(req, { body }), res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  open.push({ close: () => new Promise((resolve) => server.close(() => resolve())) });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received, failures };
}

async function emulator(era: EraName, webhook: { url: string; secret?: string }): Promise<Emulator> {
  const ghes = await startEmulator({ era, webhook, allVersions: true });
  open.push(ghes);
  return ghes;
}

describe.each(ERAS)("%s", (era) => {
  it("delivers installation, suspend, unsuspend, repositories added/removed, grant revoked, deleted — signed as the era signs", async () => {
    const hook = await receiver(era);
    const ghes = await emulator(era, { url: hook.url, secret: SECRET });
    const f = new Fixture(ghes.state);
    await ghes.deliveriesSettled();
    hook.received.length = 0;

    // A test installs the App on an account: the App hears installation.created.
    const installation = ghes.state.createInstallation({ appId: f.demo.app.id, account: f.demo.user.login, repositoryIds: [] });
    const repo = ghes.state.createRepository({ owner: f.demo.user.login, name: "hello-world" });
    const app = eraClient(era, ghes.baseUrl, f.app());
    const user = eraClient(era, ghes.baseUrl, f.basic());
    const oauth = eraClient(era, ghes.baseUrl, f.client(f.demo.app));
    // Path templates, so the era client sends the preview media types 2.2x requires.
    const byId = { params: { path: { installation_id: installation.id } } };
    expect((await app.PUT("/app/installations/{installation_id}/suspended", byId)).response.status).toBe(204);
    expect((await app.DELETE("/app/installations/{installation_id}/suspended", byId)).response.status).toBe(204);
    const repoPath = "/user/installations/{installation_id}/repositories/{repository_id}";
    const byRepo = { params: { path: { installation_id: installation.id, repository_id: repo.id } } };
    expect((await user.PUT(repoPath, byRepo)).response.status).toBe(204);
    expect((await user.DELETE(repoPath, byRepo)).response.status).toBe(204);
    const grant = await oauth.DELETE("/applications/{client_id}/grant", { params: { path: { client_id: f.demo.app.clientId } }, body: { access_token: f.demo.userToServerToken.token } });
    expect(grant.response.status).toBe(204);
    // 204 (REST API 2026-03-10: 202), the era's lowest documented 2xx.
    const deleted = Object.keys(spec(era).paths["/app/installations/{installation_id}"].delete.responses).filter((c) => /^2\d\d$/.test(c)).sort()[0];
    expect((await app.DELETE("/app/installations/{installation_id}", byId)).response.status).toBe(Number(deleted));
    await ghes.deliveriesSettled();

    expect(hook.failures).toEqual([]);
    // 2.2x and 3.x follow each installation event with its integration_installation* twin.
    const twin = (key: string) => (twinned(era) ? [key, `integration_${key}`] : [key]);
    expect(hook.received.map((r) => r.key)).toEqual([
      ...twin("installation.created"),
      "installation.suspend",
      "installation.unsuspend",
      ...twin("installation_repositories.added"),
      ...twin("installation_repositories.removed"),
      "github_app_authorization.revoked",
      ...twin("installation.deleted"),
    ]);
    const created = hook.received.find((r) => r.key === "installation.created")!;
    const added = hook.received.find((r) => r.key === "installation_repositories.added")!;
    if (twinned(era)) {
      const twinOf = hook.received.find((r) => r.key === "integration_installation_repositories.added")!;
      expect(twinOf.id).not.toBe(added.id);
      expect(twinOf.payload).toEqual(added.payload);
    }
    expect(created!.payload.installation).toMatchObject({ id: installation.id, account: { login: f.demo.user.login }, created_at: expect.any(Number) });
    expect(added!.payload.repositories_added).toEqual([expect.objectContaining({ id: repo.id, full_name: `${f.demo.user.login}/hello-world` })]);
    expect(hook.received.find((r) => r.key === "github_app_authorization.revoked")!.payload.sender.login).toBe(f.demo.user.login);
    for (const { key, payload } of hook.received) expect(matchesSpec(era, key, payload), key).toBe("valid");
    for (const { headers, body } of hook.received) {
      expect(headers).toMatchObject({
        "x-github-enterprise-version": ghes.ghesVersion,
        "x-github-enterprise-host": "127.0.0.1",
        "x-github-hook-installation-target-type": "integration",
        "x-hub-signature": expect.stringMatching(/^sha1=[0-9a-f]{40}$/),
      });
      if (era === "ghes-2.2x") expect(headers["x-hub-signature-256"]).toBeUndefined();
      else expect(await octokitVerify(SECRET, body, String(headers["x-hub-signature-256"]))).toBe(true);
    }
  });

  it("refuses to send anywhere but loopback, naming the option", async () => {
    await expect(startEmulator({ era, webhook: { url: "https://hooks.example.com/x", secret: SECRET } })).rejects.toThrow(/options\.webhook\.url must be an http:\/\/ URL on 127\.0\.0\.1/);
  });
});

describe.each(["ghes-3.x", "ghes-2022-11-28"] as const)("%s: hook config, deliveries API", (era) => {
  it("PATCH /app/hook/config sends a ping to the new URL with the new secret; deliveries are listed and redelivered with the same GUID", async () => {
    const first = await receiver(era);
    const second = await receiver(era, "rotated secret");
    const ghes = await emulator(era, { url: first.url, secret: SECRET });
    const f = new Fixture(ghes.state);
    const app = eraClient(era, ghes.baseUrl, f.app());
    const patched = await app.PATCH("/app/hook/config", { body: { url: second.url, secret: "rotated secret", content_type: "json" } });
    expect(patched.response.status).toBe(200);
    await ghes.deliveriesSettled();
    expect(second.received.map((r) => r.key)).toEqual(["ping"]);
    expect(matchesSpec(era, "ping", second.received[0]!.payload)).toBe("valid");
    expect(second.received[0]!.payload.hook).toMatchObject({ type: "App", app_id: f.demo.app.id, config: { url: second.url } });

    const listed = await app.GET("/app/hook/deliveries", { params: { query: { per_page: 100 } } });
    const items = listed.data as Array<{ id: number; guid: string; event: string; status_code: number; redelivery: boolean }>;
    expect(items[0]).toMatchObject({ event: "ping", status_code: 200, redelivery: false, guid: second.received[0]!.id });
    expect(items.filter((d) => d.event === "installation").length).toBeGreaterThan(0);

    const again = await app.POST(`/app/hook/deliveries/${items[0]!.id}/attempts`);
    expect(again.response.status).toBe(202);
    await ghes.deliveriesSettled();
    expect(second.received.map((r) => [r.key, r.id])).toEqual([["ping", items[0]!.guid], ["ping", items[0]!.guid]]);
    expect(second.received[1]!.body).toBe(second.received[0]!.body);
    const relisted = (await app.GET("/app/hook/deliveries")).data as typeof items;
    expect(relisted[0]).toMatchObject({ guid: items[0]!.guid, redelivery: true, status_code: 200 });
  });

  it("records the receiver's answer: a delivery refused for its signature shows its 401", async () => {
    const hook = await receiver(era, "a different secret");
    const ghes = await emulator(era, { url: hook.url, secret: SECRET });
    const f = new Fixture(ghes.state);
    await ghes.deliveriesSettled();
    expect(hook.failures.length).toBeGreaterThan(0);
    expect(new Set(hook.failures)).toEqual(new Set(["SIGNATURE_MISMATCH"]));
    const items = (await eraClient(era, ghes.baseUrl, f.app()).GET("/app/hook/deliveries")).data as Array<{ status_code: number; status: string }>;
    expect(items.every((d) => d.status_code === 401 && d.status === "Invalid HTTP Response")).toBe(true);
  });
});
