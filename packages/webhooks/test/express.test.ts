// createNodeMiddleware inside a real Express 4 app on 127.0.0.1: mounted before the body parsers, after
// express.raw() on its path, and — the mistake it names — after express.json().
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, expect, it } from "vitest";
import { createNodeMiddleware, createWebhooks, sign, type GhesWebhookError } from "@ghes-sdk/webhooks";

const SECRET = "express secret";
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function listen(app: express.Express): Promise<string> {
  const server = app.listen(0, "127.0.0.1");
  servers.push(server);
  await new Promise((resolve) => server.once("listening", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const deliver = (url: string, body = JSON.stringify({ zen: "Half measures are as bad as nothing at all.", hook_id: 1 })) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json", "x-github-event": "ping", "x-github-delivery": "e-1", "x-hub-signature-256": sign(SECRET, body) }, body });

function receiver() {
  const webhooks = createWebhooks({ secret: SECRET });
  const zens: string[] = [];
  webhooks.on("ping", ({ payload }) => void zens.push((payload as { zen: string }).zen));
  const errors: GhesWebhookError[] = [];
  return { webhooks, zens, errors, middleware: createNodeMiddleware(webhooks, { path: "/hooks", onError: (e) => errors.push(e) }) };
}

it("mounted before express.json(): receives on its path, and the app's other routes still get their parsed JSON", async () => {
  const { middleware, zens } = receiver();
  const app = express();
  app.use(middleware);
  app.use(express.json());
  app.post("/echo", (req, res) => void res.json({ got: req.body }));
  const url = await listen(app);
  expect((await deliver(`${url}/hooks`)).status).toBe(200);
  expect(zens).toEqual(["Half measures are as bad as nothing at all."]);
  const echo = await fetch(`${url}/echo`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"a":1}' });
  expect(await echo.json()).toEqual({ got: { a: 1 } });
});

it("after express.raw() on its path: verifies the bytes express.raw() kept", async () => {
  const { middleware, zens } = receiver();
  const app = express();
  app.post("/hooks", express.raw({ type: "application/json" }), middleware);
  const url = await listen(app);
  expect((await deliver(`${url}/hooks`)).status).toBe(200);
  expect(zens).toHaveLength(1);
});

it("after express.json(): answers 500 naming the fix, and calls no handler", async () => {
  const { middleware, zens, errors } = receiver();
  const app = express();
  app.use(express.json());
  app.use(middleware);
  const url = await listen(app);
  const res = await deliver(`${url}/hooks`);
  expect(res.status).toBe(500);
  expect(await res.text()).toMatch(/mount createNodeMiddleware before body parsers, or use express\.raw/);
  expect(errors.map((e) => e.code)).toEqual(["BODY_NOT_RAW"]);
  expect(zens).toEqual([]);
});
