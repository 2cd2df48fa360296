// createWebhooks: verify a delivery on its raw body, then parse it, then call the handlers registered for
// its event, its event.action and "*". Nothing of the payload is looked at before the signature holds.
import { GhesWebhookError } from "./errors.js";
import { header, type HeadersLike } from "./headers.js";
import { secretList, verify, type RawBody } from "./signature.js";

/**
 * The events a Webhooks instance knows: each key an event (`installation`) or event.action
 * (`installation.created`), each value the payload that delivery carries. The era packages pass theirs.
 */
export type EventMap = Record<string, unknown>;

/** What a handler gets: the delivery's GUID, the event name from `X-GitHub-Event`, and the parsed payload. */
export interface WebhookEvent<Name extends string = string, Payload = unknown> {
  /** `X-GitHub-Delivery`: the delivery's GUID (the same on a redelivery). */
  id: string;
  /** `X-GitHub-Event`: the event, without the action (`installation`). */
  name: Name;
  payload: Payload;
}

type EventName<K> = K extends `${infer E}.${string}` ? E : K;

/** The handler of `key` in an event map: `installation.created` gets that payload, `*` any of them. */
export type HandlerFor<Events extends EventMap, K extends keyof Events | "*"> = (
  event: K extends "*" ? { [E in keyof Events]: WebhookEvent<EventName<E & string>, Events[E]> }[keyof Events] : WebhookEvent<EventName<K & string>, Events[K & keyof Events]>,
) => unknown;

export interface WebhooksOptions {
  /** The App's webhook secret, or several during a rotation: `[newSecret, oldSecret]`. */
  secret: string | readonly string[];
  /** Accept SHA-1-only deliveries (`X-Hub-Signature`), as GHES 2.2x sends. See `verify`. */
  acceptSha1?: boolean;
}

export interface Delivery {
  /** The request's headers: a `Headers`, or a plain record such as node:http's `req.headers`. */
  headers: HeadersLike;
  /** The raw request body, exactly as received (string or bytes); never a parsed-and-restringified one. */
  body: RawBody;
}

export interface Webhooks<Events extends EventMap = EventMap> {
  /** Calls `handler` for every verified delivery of that event (`installation`), event.action or `*`. */
  on<K extends (keyof Events & string) | "*">(name: K | readonly K[], handler: HandlerFor<Events, K>): void;
  /** Stops calling a handler given to `on`. */
  removeListener<K extends (keyof Events & string) | "*">(name: K | readonly K[], handler: HandlerFor<Events, K>): void;
  /**
   * Verifies the signature on the raw body, parses the payload and calls its handlers (all of them, even
   * when one fails). Rejects with a GhesWebhookError: a signature problem before any handler runs, or
   * HANDLER_FAILED with every handler's error once they have all settled.
   */
  verifyAndReceive(delivery: Delivery): Promise<void>;
  /**
   * For fetch-style servers (Deno, Bun, workers, Hono, Next.js route handlers): answers a POST with 200
   * when it was verified and every handler succeeded, and with the GhesWebhookError's status otherwise
   * (400 bad headers or payload, 401 bad signature, 405 not a POST, 500 a handler failed).
   */
  handle(request: Request): Promise<Response>;
  /** The GHES era this instance types its payloads for (set by the era packages). */
  readonly era: string | undefined;
}

type AnyHandler = (event: WebhookEvent) => unknown;

/** Creates a receiver; the era packages' createWebhooks wrap this with their event types and defaults. */
export function createWebhooks<Events extends EventMap = EventMap>(options: WebhooksOptions & { era?: string }): Webhooks<Events> {
  if (options === null || typeof options !== "object") throw new GhesWebhookError("INVALID_OPTION", "createWebhooks(options): pass { secret }, the App's webhook secret");
  const secrets = secretList("createWebhooks", options.secret);
  const acceptSha1 = options.acceptSha1 === true;
  const handlers = new Map<string, AnyHandler[]>();

  const names = (name: string | readonly string[]): readonly string[] => {
    const list = typeof name === "string" ? [name] : name;
    for (const n of list) if (typeof n !== "string" || n === "") throw new GhesWebhookError("INVALID_OPTION", `on(name, handler): the name must be an event ("installation"), an event.action ("installation.created") or "*", got ${JSON.stringify(n)}`);
    return list;
  };

  async function verifyAndReceive(delivery: Delivery): Promise<void> {
    const headers = delivery?.headers ?? {};
    verify({ headers, body: delivery?.body }, { secret: secrets, acceptSha1 });
    const id = header(headers, "x-github-delivery");
    const name = header(headers, "x-github-event");
    if (!id || !name) {
      const missing = [!id && "X-GitHub-Delivery", !name && "X-GitHub-Event"].filter(Boolean).join(" and ");
      throw new GhesWebhookError("HEADER_MISSING", `the delivery has no ${missing} header`, { deliveryId: id });
    }
    const payload = parse(delivery.body, header(headers, "content-type"), id);
    const action = payload !== null && typeof payload === "object" && typeof (payload as { action?: unknown }).action === "string" ? (payload as { action: string }).action : undefined;
    const called = [...(handlers.get("*") ?? []), ...(handlers.get(name) ?? []), ...(action ? (handlers.get(`${name}.${action}`) ?? []) : [])];
    const event: WebhookEvent = { id, name, payload };
    const results = await Promise.allSettled(called.map(async (handler) => handler(event)));
    const errors = results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
    if (errors.length > 0) {
      const first = errors[0] instanceof Error ? errors[0].message : String(errors[0]);
      throw new GhesWebhookError("HANDLER_FAILED", `${errors.length} of ${called.length} handler(s) for ${action ? `${name}.${action}` : name} (delivery ${id}) failed; the first: ${first}`, { deliveryId: id, errors });
    }
  }

  return {
    era: options.era,
    on(name, handler) {
      if (typeof handler !== "function") throw new GhesWebhookError("INVALID_OPTION", "on(name, handler): the handler must be a function");
      for (const n of names(name)) handlers.set(n, [...(handlers.get(n) ?? []), handler as AnyHandler]);
    },
    removeListener(name, handler) {
      for (const n of names(name)) handlers.set(n, (handlers.get(n) ?? []).filter((h) => h !== handler));
    },
    verifyAndReceive,
    async handle(request) {
      if (request.method !== "POST") return answer(405, "only POST deliveries are accepted", { allow: "POST" });
      try {
        await verifyAndReceive({ headers: request.headers, body: new Uint8Array(await request.arrayBuffer()) });
        return answer(200, "ok");
      } catch (e) {
        return failure(e);
      }
    },
  };
}

/** A JSON payload, or the `payload` field of a form-encoded delivery (the hook's content type `form`). */
function parse(body: RawBody, contentType: string | undefined, deliveryId: string): unknown {
  let text = typeof body === "string" ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8");
  if (contentType?.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    const field = new URLSearchParams(text).get("payload");
    if (field === null) throw new GhesWebhookError("INVALID_PAYLOAD", "the form-encoded delivery has no payload field", { deliveryId });
    text = field;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new GhesWebhookError("INVALID_PAYLOAD", "the verified body is not JSON (nor a form with a JSON payload field)", { deliveryId });
  }
}

/** A plain-text answer; GHES records it as the delivery's response. */
export function answer(status: number, text: string, headers: Record<string, string> = {}): Response {
  return new Response(text, { status, headers: { "content-type": "text/plain; charset=utf-8", ...headers } });
}

/** The answer for a failed receive: the GhesWebhookError's status and message; anything else is a 500. */
export function failure(e: unknown): Response {
  if (e instanceof GhesWebhookError) return answer(e.status, e.message);
  return answer(500, "internal error");
}
