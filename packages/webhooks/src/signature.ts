// Signing and checking a delivery's body, as GHES does it: an HMAC of the raw bytes under the hook's
// secret, hex-encoded behind the algorithm's name. GHES 2.2x sends `X-Hub-Signature: sha1=…` only; 3.0 and
// later also send `X-Hub-Signature-256: sha256=…` (each version's "Delivery headers" table on its
// webhook-events-and-payloads page).
import { createHmac, timingSafeEqual } from "node:crypto";
import { GhesWebhookError } from "./errors.js";
import { header, type HeadersLike } from "./headers.js";

export type SignatureAlgorithm = "sha1" | "sha256";

/** The body a signature covers: the bytes exactly as they came over the wire (a string is taken as UTF-8). */
export type RawBody = string | Uint8Array;

export interface VerifyOptions {
  /** The webhook secret, or several during a rotation (any one matching is enough). */
  secret: string | readonly string[];
  /**
   * Accept a delivery that carries only `X-Hub-Signature` (SHA-1), as GHES 2.2x sends. Off by default:
   * SHA-1 HMAC is still sound, but a 3.0+ server always sends SHA-256 too, so a SHA-1-only delivery to a
   * 3.x receiver is a downgrade. The ghes-2.2x era's createWebhooks turns it on.
   */
  acceptSha1?: boolean;
}

const PATTERN: Record<SignatureAlgorithm, RegExp> = { sha1: /^sha1=[0-9a-f]{40}$/, sha256: /^sha256=[0-9a-f]{64}$/ };

const bytes = (body: RawBody): Buffer => (typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body.buffer, body.byteOffset, body.byteLength));

/** `sha256=<hex>` (or `sha1=<hex>`): the signature header value GHES sends for this body and secret. */
export function sign(secret: string, body: RawBody, algorithm: SignatureAlgorithm = "sha256"): string {
  if (typeof secret !== "string" || secret === "") throw new GhesWebhookError("INVALID_OPTION", "sign(secret, …): the secret must be a non-empty string");
  if (algorithm !== "sha1" && algorithm !== "sha256") throw new GhesWebhookError("INVALID_OPTION", `sign(…, algorithm): expected "sha1" or "sha256", got ${JSON.stringify(String(algorithm))}`);
  return `${algorithm}=${createHmac(algorithm, secret).update(bytes(body)).digest("hex")}`;
}

/** Whether `signature` is this body's under any of the secrets; compared in constant time. */
function matches(secrets: readonly string[], body: Buffer, signature: string, algorithm: SignatureAlgorithm): boolean {
  // A well-formed value has a fixed length, so the comparison below never depends on where it differs.
  if (!PATTERN[algorithm].test(signature)) return false;
  const given = Buffer.from(signature, "latin1");
  let ok = false;
  // Every secret is tried (no early exit), so the time taken does not say which one matched.
  for (const secret of secrets) {
    const expected = Buffer.from(`${algorithm}=${createHmac(algorithm, secret).update(body).digest("hex")}`, "latin1");
    ok = timingSafeEqual(expected, given) || ok;
  }
  return ok;
}

/** The secrets as a list, checked once: a clear error for an empty or non-string one. */
export function secretList(where: string, secret: unknown): readonly string[] {
  const list = Array.isArray(secret) ? secret : [secret];
  if (list.length === 0) throw new GhesWebhookError("INVALID_OPTION", `${where}: secret is an empty array; pass the webhook secret (a string), or during a rotation [newSecret, oldSecret]`);
  list.forEach((s, i) => {
    if (typeof s !== "string" || s === "") {
      const which = Array.isArray(secret) ? `secret[${i}]` : "secret";
      throw new GhesWebhookError("INVALID_OPTION", `${where}: ${which} must be a non-empty string (the secret set in the App's webhook settings), got ${s === "" ? "an empty string" : typeof s}`);
    }
  });
  return list as string[];
}

/**
 * Checks a delivery's signature against its raw body, and throws a GhesWebhookError when it does not hold:
 * SHA-256 decides whenever `X-Hub-Signature-256` is present (a good SHA-1 beside a bad SHA-256 is refused);
 * `X-Hub-Signature` alone counts only with `acceptSha1`. Returns the algorithm that was checked.
 */
export function verify(delivery: { headers: HeadersLike; body: RawBody }, options: VerifyOptions): SignatureAlgorithm {
  const secrets = secretList("verify", options?.secret);
  const { headers, body } = delivery;
  if (typeof body !== "string" && !(body instanceof Uint8Array)) {
    throw new GhesWebhookError("BODY_NOT_RAW", `verify: the body must be the raw request body (a string or bytes), got ${body === null ? "null" : typeof body}; a signature covers the exact bytes sent, so a parsed and re-serialized payload cannot be checked`);
  }
  const deliveryId = header(headers, "x-github-delivery");
  const sha256 = header(headers, "x-hub-signature-256");
  const sha1 = header(headers, "x-hub-signature");
  const raw = bytes(body);
  if (sha256 !== undefined) {
    if (matches(secrets, raw, sha256, "sha256")) return "sha256";
    throw new GhesWebhookError("SIGNATURE_MISMATCH", "the X-Hub-Signature-256 signature does not match the body under the configured secret(s): check that the secret is the App's webhook secret and that the body is the raw request body", { deliveryId });
  }
  if (sha1 === undefined) {
    throw new GhesWebhookError("SIGNATURE_MISSING", "the delivery has no X-Hub-Signature-256 (or X-Hub-Signature) header: set a secret in the App's webhook settings so GHES signs its deliveries", { deliveryId });
  }
  if (!options.acceptSha1) {
    throw new GhesWebhookError("SHA1_NOT_ACCEPTED", "the delivery is signed with SHA-1 only (X-Hub-Signature), as GHES 2.2x signs; GHES 3.0 and later also send X-Hub-Signature-256. For a 2.2x server use @ghes-sdk/ghes-2.2x/webhooks or pass acceptSha1: true", { deliveryId });
  }
  if (matches(secrets, raw, sha1, "sha1")) return "sha1";
  throw new GhesWebhookError("SIGNATURE_MISMATCH", "the X-Hub-Signature (SHA-1) signature does not match the body under the configured secret(s): check that the secret is the App's webhook secret and that the body is the raw request body", { deliveryId });
}
