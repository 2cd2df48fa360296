import type { GhesRequestError } from "@ghes-sdk/core";

/** Every message this package produces starts with this, so a log line says where it came from. */
export const PACKAGE = "@ghes-sdk/auth";
export const PREFIX = `${PACKAGE}: `;

export type GhesAuthErrorCode =
  /** An option passed to a strategy is missing or malformed (thrown at construction). */
  | "INVALID_OPTION"
  /** appRouteAuth was asked for a route whose credential it was not given. */
  | "MISSING_CREDENTIAL"
  /** revoke() could not revoke every token: `errors` holds one GhesRequestError per failed DELETE. */
  | "REVOKE_FAILED"
  /** The `on2fa` callback did not produce a usable one-time password. */
  | "INVALID_OTP"
  /** The client has no baseUrl, so there is nowhere to mint a token. */
  | "NO_BASE_URL"
  /** appInstallationsAuth could not tell which installation a request is for. */
  | "NO_INSTALLATION"
  /** A credential would have gone over plain http:// to a host that is not loopback (see allowInsecureHttp). */
  | "INSECURE_TRANSPORT"
  /** A 307/308 redirect to another origin would have re-sent the request's body (which may hold credentials). */
  | "CROSS_ORIGIN_REDIRECT";

export interface GhesAuthErrorDetails {
  /** The option at fault, for INVALID_OPTION. */
  option?: string;
  /** For REVOKE_FAILED: every failed DELETE, each with status, method, url, requestId, documentationUrl. */
  errors?: readonly GhesRequestError[];
  cause?: unknown;
}

/**
 * What this package throws for a problem that is not a failed request: a bad option, a missing
 * credential, an unusable 2FA code, a credential refused over plain http, and revoke()'s summary of its
 * failed DELETEs. A request that fails — including the mint and revoke requests auth sends itself, and a
 * wait on the caller's behalf ended by its AbortSignal or timeout — is a `GhesRequestError` from
 * `@ghes-sdk/core`, the same type the era clients use (one error model). Neither ever holds a secret.
 */
export class GhesAuthError extends Error {
  override readonly name = "GhesAuthError";
  // Set by one Object.assign in the constructor; each is an own property, undefined when not given.
  declare readonly code: GhesAuthErrorCode;
  declare readonly option?: string;
  declare readonly errors?: readonly GhesRequestError[];

  constructor(code: GhesAuthErrorCode, message: string, { option, errors, cause }: GhesAuthErrorDetails = {}) {
    super(PREFIX + message, cause === undefined ? undefined : { cause });
    Object.assign(this, { code, option, errors });
  }
}

/** A construction-time error naming the option; `problem` must never contain the option's value. */
export function invalidOption(strategy: string, option: string, problem: string): GhesAuthError {
  return new GhesAuthError("INVALID_OPTION", `${strategy}: option \`${option}\` ${problem}`, { option });
}
