export { GhesWebhookError, type GhesWebhookErrorCode } from "./errors.js";
export type { HeadersLike } from "./headers.js";
export { createNodeMiddleware, type NodeMiddlewareOptions } from "./node.js";
export { sign, verify, type RawBody, type SignatureAlgorithm, type VerifyOptions } from "./signature.js";
export { createWebhooks, type Delivery, type EventMap, type HandlerFor, type WebhookEvent, type Webhooks, type WebhooksOptions } from "./webhooks.js";
export type { PayloadOf, WebhookEventMap } from "./events.js";
