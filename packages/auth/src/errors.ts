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
  /** appInstallationsAuth could not tell which installation a request is for. */
  | "NO_INSTALLATION";

export interface GhesAuthErrorDetails {
  /** The option at fault, for INVALID_OPTION. */
  option?: string;
  /** The HTTP status GitHub answered with, for MINT_FAILED / REVOKE_FAILED. */
  status?: number;
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

  constructor(code: GhesAuthErrorCode, message: string, details: GhesAuthErrorDetails = {}) {
    super(PREFIX + message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    if (details.option !== undefined) this.option = details.option;
    if (details.status !== undefined) this.status = details.status;
  }
}

/** A construction-time error naming the option; `problem` must never contain the option's value. */
export function invalidOption(strategy: string, option: string, problem: string): GhesAuthError {
  return new GhesAuthError("INVALID_OPTION", `${strategy}: option \`${option}\` ${problem}`, { option });
}
