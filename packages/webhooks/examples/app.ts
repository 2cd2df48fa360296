import { createServer } from "node:http";
import { createNodeMiddleware, createWebhooks } from "@ghes-sdk/ghes-3.x/webhooks";

const webhooks = createWebhooks({ secret: process.env.GHES_WEBHOOK_SECRET! });

// Typed for GHES 3.0–3.8: payload.installation, payload.repositories_added, payload.enterprise, …
webhooks.on("installation_repositories.added", ({ id, payload }) => {
  const names = payload.repositories_added.map((repo) => repo.full_name).join(", ");
  console.log(`delivery ${id}: installation ${payload.installation.id} can now use ${names}`);
});
webhooks.on("installation.deleted", ({ payload }) => {
  console.log(`uninstalled from ${payload.installation.account.login}`);
});

// GHES POSTs to http://<this host>:3000/api/github/webhooks; answers 200, or 400/401 for a bad delivery.
export const server = createServer(createNodeMiddleware(webhooks)).listen(Number(process.env.PORT ?? 3000));
