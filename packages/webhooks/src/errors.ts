/** Every message this package produces starts with this, so a log line says where it came from. */
export const PACKAGE = "@ghes-sdk/webhooks";

export type GhesWebhookErrorCode =
  /** An option of createWebhooks or createNodeMiddleware is missing or malformed (thrown at construction). */
  | "INVALID_OPTION"
  /** The delivery has no `X-Hub-Signature-256` nor (where accepted) `X-Hub-Signature` header. */
  | "SIGNATURE_MISSING"
  /** Only an `X-Hub-Signature` (SHA-1) header came, and SHA-1 is not accepted here (see `acceptSha1`). */
  | "SHA1_NOT_ACCEPTED"
  /** The signature does not match the body under any of the secrets. */
  | "SIGNATURE_MISMATCH"
  /** `X-GitHub-Event` or `X-GitHub-Delivery` is missing. */
  | "HEADER_MISSING"
  /** The body was verified but is not a JSON payload (or a `payload=` form field holding one). */
  | "INVALID_PAYLOAD"
  /** The body given is not the raw request body (a parsed object, or a stream already read). */
  | "BODY_NOT_RAW"
  /** The body is larger than `maxBodyBytes`. */
  | "BODY_TOO_LARGE"
  /** One or more handlers threw or rejected: `errors` holds each error, in registration order. */
  | "HANDLER_FAILED";

/**
 * What this package throws or rejects with. A signature problem never says which secret was tried or
 * what the expected signature was: neither a secret nor anything derived from it is in the message.
 */
export class GhesWebhookError extends Error {
  override readonly name = "GhesWebhookError";
  readonly code: GhesWebhookErrorCode;
  /** The HTTP status a receiver answers with for this error (400, 401, 413 or 500). */
  readonly status: number;
  /** The `X-GitHub-Delivery` of the delivery, when it had one. */
  readonly deliveryId: string | undefined;
  /** For HANDLER_FAILED: what each failed handler threw. */
  readonly errors: readonly unknown[];

  constructor(code: GhesWebhookErrorCode, message: string, details: { deliveryId?: string | undefined; errors?: readonly unknown[] } = {}) {
    super(`${PACKAGE}: ${message}`, details.errors?.length ? { cause: details.errors[0] } : undefined);
    this.code = code;
    this.status = STATUS[code];
    this.deliveryId = details.deliveryId;
    this.errors = details.errors ?? [];
  }
}

const STATUS: Record<GhesWebhookErrorCode, number> = {
  INVALID_OPTION: 500,
  SIGNATURE_MISSING: 400,
  SHA1_NOT_ACCEPTED: 400,
  SIGNATURE_MISMATCH: 401,
  HEADER_MISSING: 400,
  INVALID_PAYLOAD: 400,
  BODY_NOT_RAW: 500,
  BODY_TOO_LARGE: 413,
  HANDLER_FAILED: 500,
};
