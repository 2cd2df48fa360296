// createNodeMiddleware: the receiver as a node:http request listener, or Express/Connect middleware.
import type { IncomingMessage, ServerResponse } from "node:http";
import { GhesWebhookError } from "./errors.js";
import type { EventMap, Webhooks } from "./webhooks.js";

export interface NodeMiddlewareOptions {
  /** The path deliveries are POSTed to (the App's webhook URL path). Default `/api/github/webhooks`. */
  path?: string;
  /** Largest body accepted, in bytes (default 25 MiB: GHES does not send payloads over 25 MB). */
  maxBodyBytes?: number;
  /**
   * Hears every delivery that was not received: a bad signature, or a handler that failed (HANDLER_FAILED,
   * with each handler's error in `errors`). Default: one line on stderr with the message (never a secret).
   */
  onError?: (error: GhesWebhookError) => void;
}

type Next = (err?: unknown) => void;

/**
 * `(req, res, next?)`: a POST to `path` is read whole, verified and received; the answer is 200 or the
 * GhesWebhookError's status and message. Any other path goes to `next` (Express), or is answered 404.
 * Mount it before any body parser: a body parsed to an object can no longer be verified (answered 500).
 */
export function createNodeMiddleware<Events extends EventMap>(webhooks: Webhooks<Events>, options: NodeMiddlewareOptions = {}) {
  const path = options.path ?? "/api/github/webhooks";
  if (typeof path !== "string" || !path.startsWith("/")) throw new GhesWebhookError("INVALID_OPTION", `createNodeMiddleware: path must start with "/", got ${JSON.stringify(path)}`);
  const onError = options.onError ?? ((error: GhesWebhookError) => console.error(error.message));
  const maxBodyBytes = options.maxBodyBytes ?? 25 * 1024 * 1024;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes <= 0) throw new GhesWebhookError("INVALID_OPTION", `createNodeMiddleware: maxBodyBytes must be a positive integer, got ${String(maxBodyBytes)}`);

  return async function webhooksMiddleware(req: IncomingMessage & { body?: unknown }, res: ServerResponse, next?: Next): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname !== path) {
      if (next) return next();
      return send(res, 404, `no webhook receiver at ${url.pathname}`);
    }
    if (req.method !== "POST") return send(res, 405, "only POST deliveries are accepted", { allow: "POST" });
    try {
      const body = await rawBody(req, maxBodyBytes);
      await webhooks.verifyAndReceive({ headers: req.headers, body });
      send(res, 200, "ok");
    } catch (e) {
      const error = e instanceof GhesWebhookError ? e : new GhesWebhookError("HANDLER_FAILED", "receiving the delivery failed", { errors: [e] });
      send(res, error.status, error.message);
      onError(error);
    }
  };
}

async function rawBody(req: IncomingMessage & { body?: unknown }, max: number): Promise<Uint8Array | string> {
  // express.raw() / express.text() leave the bytes in req.body: those are the raw body still.
  if (req.body instanceof Uint8Array || typeof req.body === "string") return req.body;
  if (req.body !== undefined || req.readableEnded) {
    throw new GhesWebhookError("BODY_NOT_RAW", "the request body was already read and parsed (express.json() or similar runs before this middleware); mount createNodeMiddleware before body parsers, or use express.raw({ type: \"application/json\" }) on its path");
  }
  const declared = Number(req.headers["content-length"]);
  if (declared > max) throw new GhesWebhookError("BODY_TOO_LARGE", `the body is ${declared} bytes, over maxBodyBytes (${max})`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw new GhesWebhookError("BODY_TOO_LARGE", `the body is over maxBodyBytes (${max})`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers });
  res.end(text);
}
