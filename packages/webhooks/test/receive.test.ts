// Receiving over HTTP: createNodeMiddleware on a real node:http server on 127.0.0.1, and handle(Request)
// for fetch-style servers. Deliveries are sent with fetch, signed as GHES signs them.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, expectTypeOf, it } from "vitest";
import { createNodeMiddleware, createWebhooks, GhesWebhookError, sign, type WebhookEvent } from "@ghes-sdk/webhooks";

const SECRET = "development secret";
type Events = {
  "installation.created": { action: "created"; installation: { id: number } };
  "installation.deleted": { action: "deleted"; installation: { id: number } };
  installation: { action: "created" | "deleted"; installation: { id: number } };
  ping: { zen: string; hook_id: number };
};

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function listen(listener: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function deliver(url: string, event: string, payload: unknown, { secret = SECRET, id = "d-1", contentType = "application/json", raw }: { secret?: string; id?: string; contentType?: string; raw?: string } = {}) {
  const body = raw ?? JSON.stringify(payload);
  return fetch(url, {
    method: "POST",
    headers: { "content-type": contentType, "x-github-event": event, "x-github-delivery": id, "x-hub-signature": sign(secret, body, "sha1"), "x-hub-signature-256": sign(secret, body) },
    body,
  });
}

describe("createNodeMiddleware on node:http", () => {
  it("verifies, parses and calls the handlers for the event, the event.action and *, in that order", async () => {
    const webhooks = createWebhooks<Events>({ secret: SECRET });
    const calls: string[] = [];
    webhooks.on("*", ({ name }) => void calls.push(`* ${name}`));
    webhooks.on("installation", ({ payload }) => void calls.push(`installation ${payload.action}`));
    webhooks.on("installation.created", (event) => {
      expectTypeOf(event.payload.action).toEqualTypeOf<"created">();
      calls.push(`installation.created ${event.payload.installation.id} ${event.id}`);
    });
    webhooks.on("installation.deleted", () => void calls.push("installation.deleted"));
    const url = await listen(createNodeMiddleware(webhooks, { path: "/hooks" }));

    const res = await deliver(`${url}/hooks`, "installation", { action: "created", installation: { id: 7 } }, { id: "guid-7" });
    expect([res.status, await res.text()]).toEqual([200, "ok"]);
    expect(calls).toEqual(["* installation", "installation created", "installation.created 7 guid-7"]);
  });

  it("answers 401 to a tampered body and 400 to a missing signature, calling no handler", async () => {
    const webhooks = createWebhooks<Events>({ secret: SECRET });
    let called = 0;
    webhooks.on("*", () => void called++);
    const errors: GhesWebhookError[] = [];
    const url = await listen(createNodeMiddleware(webhooks, { onError: (e) => errors.push(e) }));
    const body = JSON.stringify({ action: "created", installation: { id: 1 } });
    const tampered = await fetch(`${url}/api/github/webhooks`, {
      method: "POST",
      headers: { "x-github-event": "installation", "x-github-delivery": "d", "x-hub-signature-256": sign(SECRET, body) },
      body: body.replace("1", "2"),
    });
    expect(tampered.status).toBe(401);
    expect(await tampered.text()).toMatch(/X-Hub-Signature-256 signature does not match/);
    const unsigned = await fetch(`${url}/api/github/webhooks`, { method: "POST", headers: { "x-github-event": "ping", "x-github-delivery": "d" }, body });
    expect(unsigned.status).toBe(400);
    expect(called).toBe(0);
    expect(errors.map((e) => e.code)).toEqual(["SIGNATURE_MISMATCH", "SIGNATURE_MISSING"]);
  });

  it("a failing handler is reported (500, onError with every handler's error) while the others still run", async () => {
    const webhooks = createWebhooks<Events>({ secret: SECRET });
    const ran: string[] = [];
    webhooks.on("ping", () => {
      throw new Error("first handler broke");
    });
    webhooks.on("ping", async () => void ran.push("second"));
    webhooks.on("*", () => Promise.reject(new Error("third handler broke")));
    const errors: GhesWebhookError[] = [];
    const url = await listen(createNodeMiddleware(webhooks, { onError: (e) => errors.push(e) }));
    const res = await deliver(`${url}/api/github/webhooks`, "ping", { zen: "Keep it logically awesome.", hook_id: 1 });
    expect(res.status).toBe(500);
    expect(ran).toEqual(["second"]);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.code).toBe("HANDLER_FAILED");
    expect(errors[0]?.errors.map((e) => (e as Error).message).sort()).toEqual(["first handler broke", "third handler broke"]);
  });

  it("receives a form-encoded delivery (the hook's content type form), verified on the form body", async () => {
    const webhooks = createWebhooks<Events>({ secret: SECRET });
    const zens: string[] = [];
    webhooks.on("ping", ({ payload }) => void zens.push(payload.zen));
    const url = await listen(createNodeMiddleware(webhooks));
    const raw = new URLSearchParams({ payload: JSON.stringify({ zen: "Design for failure.", hook_id: 3 }) }).toString();
    const res = await deliver(`${url}/api/github/webhooks`, "ping", undefined, { raw, contentType: "application/x-www-form-urlencoded" });
    expect(res.status).toBe(200);
    expect(zens).toEqual(["Design for failure."]);
  });

  it("passes other paths to next() (Express), answers 404 without next, 405 to a GET, 413 over maxBodyBytes", async () => {
    const webhooks = createWebhooks<Events>({ secret: SECRET });
    const middleware = createNodeMiddleware(webhooks, { maxBodyBytes: 64 });
    const url = await listen((req, res) => {
      if (req.url === "/express/other") return void middleware(req, res, () => res.writeHead(299).end());
      void middleware(req, res);
    });
    expect((await fetch(`${url}/express/other`)).status).toBe(299);
    expect((await fetch(`${url}/elsewhere`, { method: "POST" })).status).toBe(404);
    expect((await fetch(`${url}/api/github/webhooks`)).status).toBe(405);
    const big = await deliver(`${url}/api/github/webhooks`, "ping", { zen: "x".repeat(100), hook_id: 1 });
    expect(big.status).toBe(413);
  });

  it("refuses a body a parser already turned into an object (answer 500 naming the fix)", async () => {
    const webhooks = createWebhooks<Events>({ secret: SECRET });
    const middleware = createNodeMiddleware(webhooks, { onError: () => {} });
    const url = await listen(async (req, res) => {
      // What express.json() does before a middleware mounted after it.
      let text = "";
      for await (const chunk of req) text += String(chunk);
      Object.assign(req, { body: JSON.parse(text) as unknown });
      await middleware(req, res);
    });
    const res = await deliver(`${url}/api/github/webhooks`, "ping", { zen: "z", hook_id: 1 });
    expect(res.status).toBe(500);
    expect(await res.text()).toMatch(/mount createNodeMiddleware before body parsers/);
  });
});

describe("handle(Request) for fetch-style servers", () => {
  it("answers 200 for a verified delivery and the error's status otherwise", async () => {
    const webhooks = createWebhooks<Events>({ secret: SECRET });
    const seen: Array<WebhookEvent<"ping", Events["ping"]>> = [];
    webhooks.on("ping", (event) => void seen.push(event));
    const body = JSON.stringify({ zen: "Approachable is better than simple.", hook_id: 9 });
    const request = (signature: string) =>
      new Request("http://127.0.0.1/hooks", { method: "POST", headers: { "x-github-event": "ping", "x-github-delivery": "g", "x-hub-signature-256": signature }, body });
    expect((await webhooks.handle(request(sign(SECRET, body)))).status).toBe(200);
    expect(seen).toEqual([{ id: "g", name: "ping", payload: JSON.parse(body) }]);
    expect((await webhooks.handle(request(sign("wrong", body)))).status).toBe(401);
    expect((await webhooks.handle(new Request("http://127.0.0.1/hooks"))).status).toBe(405);
  });
});
