// How a command fails: a usage problem (exit 2) or a failure of the API or of something the command needed
// (exit 1). Messages name the problem and the fix, and never hold a secret.
import { GhesRequestError, GhesSdkError } from "@ghes-sdk/core";

/** Bad or missing arguments: exit code 2, with a pointer to `--help`. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Anything else the command could not do (a file it could not read, an answer it did not expect): exit 1. */
export class CommandError extends Error {
  override readonly name = "CommandError";
}

/** A private key that is not one: said without any of what was given. */
export const BAD_KEY =
  "the private key is not an RSA private key PEM (-----BEGIN RSA PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----): give the .pem file GHES generated for the App (--private-key-file, or its content in GHES_APP_PRIVATE_KEY)";


export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/**
 * The one line printed for an error. The SDK's errors are already free of secrets (see @ghes-sdk/core's
 * GhesRequestError); the request id is added when the message does not carry it, as GHES support asks for it.
 */
export function describe(error: unknown): string {
  if (error instanceof GhesRequestError) {
    const id = error.requestId && !error.message.includes(error.requestId) ? ` (request id ${error.requestId})` : "";
    return `${error.message}${id}${error.code === "NETWORK" ? networkHint(error) : ""}`;
  }
  if (error instanceof UsageError || error instanceof CommandError || error instanceof GhesSdkError) return error.message;
  // Errors of @ghes-sdk/auth (GhesAuthError) say what was wrong without values; anything else is a bug of ours,
  // shown by its name and message only (no stack, which could hold nothing useful to a user).
  if (error instanceof Error) return error.message;
  return String(error);
}

const UNTRUSTED = /^(SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_UNTRUSTED)$/;

/** What a network failure's cause says, as the fix for it: the codes only, never a message that could echo a URL. */
function networkHint(error: Error): string {
  const codes: string[] = [];
  for (let cause: unknown = error.cause, depth = 0; cause && depth < 5; cause = (cause as { cause?: unknown }).cause, depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string") codes.push(code);
  }
  const tls = codes.find((c) => UNTRUSTED.test(c));
  if (tls) return ` — the server's certificate is not trusted (${tls}): pass --ca-file <your CA's PEM file> or set NODE_EXTRA_CA_CERTS`;
  if (codes.includes("ERR_TLS_CERT_ALTNAME_INVALID")) return " — the server's certificate is for another host name (ERR_TLS_CERT_ALTNAME_INVALID): check --url";
  const refused = codes.find((c) => /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|ETIMEDOUT|EHOSTUNREACH)$/.test(c));
  if (refused) return ` — ${refused}: check --url (and HTTPS_PROXY / NO_PROXY if you go through a proxy)`;
  return "";
}

export function exitCodeOf(error: unknown): number {
  return error instanceof UsageError ? EXIT.usage : EXIT.failure;
}
