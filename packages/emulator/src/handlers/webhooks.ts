// The App's webhook: configuration and deliveries (GHES 3.1/3.2 and later).
import { intParam, need, notFound, type Handler } from "../context.js";
import { iso } from "../render.js";
import type { Delivery, GitHubApp } from "../state.js";

const config = (app: GitHubApp) => ({
  url: app.webhook.url,
  content_type: app.webhook.content_type,
  // A configured secret is never shown in clear.
  secret: app.webhook.secret === undefined ? undefined : "********",
  insecure_ssl: app.webhook.insecure_ssl,
});

const item = (d: Delivery) => ({
  id: d.id,
  guid: d.guid,
  delivered_at: iso(d.deliveredAt),
  redelivery: d.redelivery,
  duration: 0.27,
  status: d.statusCode >= 200 && d.statusCode < 300 ? "OK" : "Invalid HTTP Response",
  status_code: d.statusCode,
  event: d.event,
  action: d.action,
  installation_id: d.installationId,
  repository_id: d.repositoryId,
});

function delivery(app: GitHubApp, id: number): Delivery {
  const found = app.deliveries.find((d) => d.id === id);
  if (!found) throw notFound();
  return found;
}

export const webhooks: Record<string, Handler> = {
  "apps/get-webhook-config-for-app": (ctx) => ctx.reply(200, config(need(ctx, "app").app)),

  "apps/update-webhook-config-for-app": (ctx) => {
    const { app } = need(ctx, "app");
    const body = (ctx.body ?? {}) as Record<string, unknown>;
    if (typeof body["url"] === "string") app.webhook.url = body["url"];
    if (body["content_type"] === "json" || body["content_type"] === "form") app.webhook.content_type = body["content_type"];
    if (typeof body["secret"] === "string") app.webhook.secret = body["secret"] === "" ? undefined : body["secret"];
    if (body["insecure_ssl"] !== undefined) app.webhook.insecure_ssl = String(body["insecure_ssl"]);
    app.webhook.configured = true;
    // GHES pings a hook whose configuration changed.
    ctx.state.recordDelivery(app, "ping", null, null, null);
    return ctx.reply(200, config(app));
  },

  "apps/list-webhook-deliveries": (ctx) => {
    const { app } = need(ctx, "app");
    const redelivery = ctx.query["redelivery"];
    const list = redelivery === undefined ? app.deliveries : app.deliveries.filter((d) => String(d.redelivery) === redelivery);
    return ctx.page(list, (page) => page.map(item));
  },

  "apps/get-webhook-delivery": (ctx) => {
    const d = delivery(need(ctx, "app").app, intParam(ctx, "delivery_id"));
    return ctx.reply(200, {
      ...item(d),
      request: { headers: { "X-GitHub-Delivery": d.guid, "X-GitHub-Event": d.event }, payload: (d.payload as Record<string, unknown> | undefined) ?? { action: d.action } },
      response: { headers: { "Content-Type": "text/plain" }, payload: "ok" },
    });
  },

  "apps/redeliver-webhook-delivery": (ctx) => {
    const { app } = need(ctx, "app");
    const d = delivery(app, intParam(ctx, "delivery_id"));
    ctx.state.recordDelivery(app, d.event, d.action, d.installationId, d.repositoryId, d);
    return ctx.reply(202, {});
  },
};
