// Event maps from an OpenAPI 3.1 `webhooks` section as openapi-typescript generates it: one key per
// "event.action" (or bare event), each a path item whose POST body is the payload. From it: every key,
// plus each event name on its own as the union of its actions' payloads.

type EventName<K extends string> = K extends `${infer E}.${string}` ? E : K;

/** The JSON body of a generated webhook path item. */
export type PayloadOf<PathItem> = PathItem extends { post: { requestBody?: infer Body } }
  ? NonNullable<Body> extends { content: { "application/json": infer T } }
    ? T
    : never
  : never;

/** `installation.created` → its payload; `installation` → the union of every `installation.*` payload. */
export type WebhookEventMap<Generated> = {
  [K in (keyof Generated & string) | EventName<keyof Generated & string>]: PayloadOf<Generated[Extract<keyof Generated & string, K | `${K}.${string}`>]>;
};
