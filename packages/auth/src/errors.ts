/** Every message this package produces starts with this, so a log line says where it came from. */
export const PREFIX = "@ghes-sdk/auth: ";

export type GhesAuthErrorCode =
  /** An option passed to a strategy is missing or malformed (thrown at construction). */
  | "INVALID_OPTION"
  /** appRouteAuth was asked for a route whose credential it was not given. */
  | "MISSING_CREDENTIAL"
  /** Creating an installation access token failed (network, HTTP status or response shape). */
  | "MINT_FAILED"
  /** DELETE /installation/token failed. */
  | "REVOKE_FAILED"
  /** The `on2fa` callback did not produce a usable one-time password. */
  | "INVALID_OTP"
  /** The client has no baseUrl, so there is nowhere to mint a token. */
  | "NO_BASE_URL"
  /** The request's AbortSignal fired while auth was waiting for it (a mint, a retry pause, a 2FA prompt). */
  | "ABORTED"
  /** As ABORTED, when the signal's reason is a timeout (`AbortSignal.timeout`, a client timeout). */
  | "TIMEOUT"
  /** A credential would have gone over plain http:// to a host that is not loopback (see allowInsecureHttp). */
  | "INSECURE_TRANSPORT";

export interface GhesAuthErrorDetails {
  /** The option at fault, for INVALID_OPTION. */
  option?: string;
  /** The HTTP status GitHub answered with, for MINT_FAILED / REVOKE_FAILED. */
  status?: number;
  /** The request auth sent on its own (mint, revoke): method and URL (URLs here never carry a secret). */
  method?: string;
  url?: string;
  /** GitHub's `X-GitHub-Request-Id`, to quote to a GHES admin. */
  requestId?: string;
  /** GitHub's `documentation_url` from a JSON error body. */
  documentationUrl?: string;
  /** Every failure, when one call failed several times over (revoke() with several tokens). */
  errors?: readonly GhesAuthError[];
  cause?: unknown;
}

/**
 * The one error class this package throws. It carries a code, the option or HTTP status at fault, and
 * never a secret: messages are built from option names, URLs without credentials and GitHub's own error
 * text with every secret this package knows replaced (see redact.ts).
 */
export class GhesAuthError extends Error {
  override readonly name = "GhesAuthError";
  readonly code: GhesAuthErrorCode;
  readonly option?: string;
  readonly status?: number;
  readonly method?: string;
  readonly url?: string;
  readonly requestId?: string;
  readonly documentationUrl?: string;
  readonly errors?: readonly GhesAuthError[];

  constructor(code: GhesAuthErrorCode, message: string, details: GhesAuthErrorDetails = {}) {
    super(PREFIX + message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    for (const field of ["option", "status", "method", "url", "requestId", "documentationUrl", "errors"] as const) {
      if (details[field] !== undefined) Object.assign(this, { [field]: details[field] });
    }
  }
}

/** A construction-time error naming the option; `problem` must never contain the option's value. */
export function invalidOption(strategy: string, option: string, problem: string): GhesAuthError {
  return new GhesAuthError("INVALID_OPTION", `${strategy}: option \`${option}\` ${problem}`, { option });
}
