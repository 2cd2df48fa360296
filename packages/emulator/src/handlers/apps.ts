// The App itself: `/app`, `/apps/{app_slug}`, App manifests.
import { need, notFound, type Handler } from "../context.js";

export const apps: Record<string, Handler> = {
  "apps/get-authenticated": (ctx) => ctx.reply(200, ctx.render.app(need(ctx, "app").app, true)),

  "apps/get-by-slug": (ctx) => {
    const app = [...ctx.state.apps.values()].find((a) => a.slug === ctx.params["app_slug"]);
    if (!app) throw notFound();
    return ctx.reply(200, ctx.render.app(app));
  },

  // A manifest code is good once and for one hour on GitHub; here: once.
  "apps/create-from-manifest": (ctx) => {
    const code = ctx.params["code"]!;
    const manifest = ctx.state.manifestCodes.get(code);
    if (!manifest) throw notFound();
    ctx.state.manifestCodes.delete(code);
    const app = ctx.state.createApp(manifest);
    app.webhookSecret = app.webhookSecret ?? `whsec_${app.clientSecret.slice(0, 12)}`;
    // 201 in every era: GitHub's descriptions (2.2x's 2.20 page also lists 200, which the server never sent).
    return ctx.reply(201, {
      ...ctx.render.app(app),
      client_id: app.clientId,
      client_secret: app.clientSecret,
      webhook_secret: app.webhookSecret,
      pem: app.privateKeyPem,
    });
  },
};
