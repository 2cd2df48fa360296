// Sending webhook deliveries as GHES does: a POST of the payload to the App's webhook URL, with the
// delivery headers of the era's "Delivery headers" table and, when a secret is set, the signatures —
// `X-Hub-Signature` (HMAC-SHA1 of the body) on every era, `X-Hub-Signature-256` (HMAC-SHA256) from 3.0 on.
// The HMACs are computed here with node:crypto, apart from @ghes-sdk/webhooks, so tests that verify
// them with it check one implementation against another.
import { createHmac } from "node:crypto";
import type { EraName } from "@ghes-sdk/core";
import type { Renderer } from "./render.js";
import type { Delivery, EmulatorState, GitHubApp, Installation } from "./state.js";

export interface WebhookTarget {
  /** Where deliveries go. Only loopback URLs (127.0.0.0/8, localhost, [::1]) are sent to. */
  url: string;
  /** The webhook secret; deliveries are signed with it. Without one they go unsigned, as on GHES. */
  secret?: string;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

export function loopbackUrl(where: string, url: unknown): URL {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    throw new Error(`@ghes-sdk/emulator: ${where} must be an http:// URL on 127.0.0.1, localhost or [::1], got ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== "http:" || !LOOPBACK.test(parsed.hostname)) {
    throw new Error(`@ghes-sdk/emulator: ${where} must be an http:// URL on 127.0.0.1, localhost or [::1] (the emulator sends deliveries nowhere else), got ${parsed.origin}`);
  }
  return parsed;
}

export class Deliverer {
  /** Deliveries go out one at a time, in the order they were recorded, so a receiver sees them in that order. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly era: EraName,
    private readonly ghesVersion: string,
    private readonly state: EmulatorState,
    private readonly render: () => Renderer,
    private readonly fallback: WebhookTarget | undefined,
  ) {}

  /** Where `app`'s deliveries go: its hook config once `PATCH /app/hook/config` set it, else the emulator's `webhook` option. */
  target(app: GitHubApp): WebhookTarget | undefined {
    if (app.webhook.configured) return { url: app.webhook.url, ...(app.webhook.secret ? { secret: app.webhook.secret } : {}) };
    return this.fallback;
  }

  /** Builds the payload (first time only) and sends the delivery; its status code is recorded when it answers. */
  deliver(app: GitHubApp, delivery: Delivery): void {
    delivery.payload ??= this.payload(app, delivery);
    const target = this.target(app);
    if (!target) return;
    let url: URL;
    try {
      url = loopbackUrl("the App's webhook URL", target.url);
    } catch {
      delivery.statusCode = 0; // GHES would fail to connect somewhere we do not send to
      return;
    }
    this.queue = this.queue.then(() => this.send(url, target.secret, app, delivery)).catch(() => {});
  }

  /** Resolves when every delivery sent so far has been answered (or failed). */
  async settled(): Promise<void> {
    let last: Promise<void>;
    do {
      last = this.queue;
      await last;
    } while (last !== this.queue);
  }

  private async send(url: URL, secret: string | undefined, app: GitHubApp, delivery: Delivery): Promise<void> {
    const json = JSON.stringify(delivery.payload);
    const form = app.webhook.configured && app.webhook.content_type === "form";
    const body = form ? new URLSearchParams({ payload: json }).toString() : json;
    const headers: Record<string, string> = {
      "content-type": form ? "application/x-www-form-urlencoded" : "application/json",
      "user-agent": `GitHub-Hookshot/ghes-sdk-emulator`,
      "x-github-event": delivery.event,
      "x-github-delivery": delivery.guid,
      "x-github-enterprise-version": this.ghesVersion,
      "x-github-enterprise-host": new URL(this.render().origin || "http://127.0.0.1").hostname,
      "x-github-hook-id": String(app.id),
      "x-github-hook-installation-target-type": "integration",
      "x-github-hook-installation-target-id": String(app.id),
    };
    if (secret) {
      headers["x-hub-signature"] = `sha1=${createHmac("sha1", secret).update(body).digest("hex")}`;
      if (this.era !== "ghes-2.2x") headers["x-hub-signature-256"] = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
    }
    try {
      const response = await fetch(url, { method: "POST", headers, body, redirect: "manual", signal: AbortSignal.timeout(10_000) });
      await response.arrayBuffer();
      delivery.statusCode = response.status;
    } catch {
      delivery.statusCode = 0;
    }
  }

  /** The payload GHES sends for this delivery, from the state as it is now. */
  private payload(app: GitHubApp, delivery: Delivery): Record<string, unknown> {
    const render = this.render();
    const sender = render.user(delivery.sender ?? app.ownerLogin);
    const enterprise = {
      id: 1,
      slug: "ghes-sdk-emulator",
      name: "ghes-sdk emulator",
      node_id: "MDg6QnVzaW5lc3Mx",
      avatar_url: `${render.origin}/avatars/b/1`,
      description: null,
      website_url: null,
      html_url: `${render.origin}/businesses/ghes-sdk-emulator`,
      created_at: new Date(app.createdAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
      updated_at: new Date(app.createdAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
    };
    const installation = delivery.installationId === null ? undefined : this.state.installations.get(delivery.installationId);
    const short = (id: number) => {
      const repo = this.state.repositories.get(id);
      return repo && { id: repo.id, node_id: Buffer.from(`010:Repository${repo.id}`).toString("base64"), name: repo.name, full_name: `${repo.ownerLogin}/${repo.name}`, private: repo.private };
    };
    const describe = (i: Installation) => {
      const rendered = render.installation(i);
      // The REST installation's `client_id` (GHES 3.14+); GHES's webhook examples do not carry it.
      delete rendered["client_id"];
      // GHES sends Unix epoch seconds in `created` and `added` deliveries, ISO strings in the others.
      if (delivery.action === "created" || delivery.action === "added") {
        rendered["created_at"] = Math.floor(i.createdAt / 1000);
        rendered["updated_at"] = Math.floor(i.updatedAt / 1000);
      }
      return rendered;
    };
    switch (delivery.event.replace(/^integration_/, "")) {
      case "installation": {
        if (!installation) break;
        const repositories = installation.repositorySelection === "selected" ? installation.repositoryIds.map(short).filter(Boolean) : undefined;
        return { action: delivery.action, installation: describe(installation), ...(repositories ? { repositories } : {}), enterprise, sender };
      }
      case "installation_repositories": {
        if (!installation) break;
        const repo = delivery.repositoryId === null ? undefined : short(delivery.repositoryId);
        return {
          action: delivery.action,
          installation: describe(installation),
          repository_selection: installation.repositorySelection,
          repositories_added: delivery.action === "added" && repo ? [repo] : [],
          repositories_removed: delivery.action === "removed" && repo ? [repo] : [],
          requester: null,
          enterprise,
          sender,
        };
      }
      case "github_app_authorization":
        return { action: delivery.action, sender };
      case "ping":
        return {
          zen: "Keep it logically awesome.",
          hook_id: app.id,
          hook: {
            type: "App",
            id: app.id,
            name: "web",
            active: true,
            events: app.events,
            config: { content_type: app.webhook.content_type, insecure_ssl: app.webhook.insecure_ssl, url: this.target(app)?.url ?? app.webhook.url, ...(this.target(app)?.secret ? { secret: "********" } : {}) },
            app_id: app.id,
            updated_at: new Date(this.state.now()).toISOString().replace(/\.\d{3}Z$/, "Z"),
            created_at: new Date(app.createdAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
            deliveries_url: `${render.baseUrl}/app/hook/deliveries`,
          },
          sender,
        };
    }
    return { action: delivery.action, sender };
  }
}
