// `@ghes-sdk/ghes-2026-03-10/webhooks`: the shared receiver of @ghes-sdk/webhooks, typed by this era's spec.
import { createWebhooks as createReceiver, type WebhookEventMap, type Webhooks, type WebhooksOptions } from "@ghes-sdk/webhooks";
import type { GhesVersion, WebhooksServedBy } from "./generated/availability.js";
import type { webhooks } from "./generated/openapi.js";

/** Every event (`installation`) and event.action (`installation.created`) this era delivers, to its payload. */
export type WebhookEvents = WebhookEventMap<webhooks>;
/** `installation`, `installation.created`, `ping`, …: what `on()` takes besides `"*"`. */
export type WebhookName = keyof WebhookEvents;
/** The payload of one event or event.action, e.g. `WebhookPayload<"installation_repositories.added">`. */
export type WebhookPayload<Name extends WebhookName> = WebhookEvents[Name];
/** The events one GHES release delivers (its `x-ghes-since`/`x-ghes-until`), e.g. `WebhookEventsOf<"2.20">` has no `installation.suspend`. */
export type WebhookEventsOf<Version extends GhesVersion> = WebhookEventMap<Pick<webhooks, WebhooksServedBy[Version] & keyof webhooks>>;

/**
 * A receiver for the deliveries GHES 3.21 and later send to a GitHub App: payloads typed as this era's spec
 * describes them (its OpenAPI `webhooks`). These versions sign with `X-Hub-Signature-256` (SHA-256), which
 * is what is checked; a SHA-1-only delivery is refused unless `acceptSha1: true`.
 */
export function createWebhooks<Version extends GhesVersion>(options: WebhooksOptions & { ghesVersion: Version }): Webhooks<WebhookEventsOf<Version>>;
export function createWebhooks(options: WebhooksOptions): Webhooks<WebhookEvents>;
export function createWebhooks(options: WebhooksOptions & { ghesVersion?: string }): Webhooks<WebhookEvents> | Webhooks<WebhookEventsOf<GhesVersion>> {
  // ghesVersion only narrows the types (an event that release does not deliver does not compile); at run
  // time every delivery is verified and dispatched alike.
  const { ghesVersion: _version, ...rest } = options ?? ({} as WebhooksOptions);
  return createReceiver<WebhookEvents>({ ...rest, era: "ghes-2026-03-10" });
}

export { createNodeMiddleware, GhesWebhookError, sign, verify } from "@ghes-sdk/webhooks";
export type { Delivery, GhesWebhookErrorCode, HandlerFor, NodeMiddlewareOptions, WebhookEvent, Webhooks, WebhooksOptions } from "@ghes-sdk/webhooks";
export type { webhooks } from "./generated/openapi.js";
