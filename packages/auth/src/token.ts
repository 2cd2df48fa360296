import { invalidOption } from "./errors.js";
import { defineStrategy, type Credential } from "./middleware.js";
import { REDACTED } from "./redact.js";
import type { AuthStrategy } from "./types.js";
import { allowInsecureHttp, headerToken, knownKeys, optionsObject } from "./validate.js";

export interface TokenAuthOptions {
  /**
   * `"token"` (default) sends `Authorization: token …`, the scheme every GHES generation documents;
   * `"bearer"` sends `Authorization: Bearer …`. Case-insensitive.
   */
  scheme?: "token" | "bearer" | "Bearer";
  /** Send the token over plain http:// to a host that is not loopback. Default false; see "Security". */
  allowInsecureHttp?: boolean;
}

/**
 * Authenticates with a token GitHub issued: a personal access token, an OAuth app token (gho_), a
 * user-to-server token (ghu_) or an installation token you minted yourself (ghs_).
 */
export function tokenAuth(token: string, options: TokenAuthOptions = {}): AuthStrategy {
  const value = headerToken("tokenAuth", "token", token);
  const opts = optionsObject("tokenAuth", options);
  knownKeys("tokenAuth", opts, ["scheme", "allowInsecureHttp"]);
  const raw = opts["scheme"] ?? "token";
  const scheme = typeof raw === "string" ? raw.toLowerCase() : raw;
  if (scheme !== "token" && scheme !== "bearer") {
    throw invalidOption("tokenAuth", "scheme", 'must be "token" or "bearer"');
  }
  const header = `${scheme === "bearer" ? "Bearer" : "token"} ${value}`;
  const credential: Credential<void> = {
    apply({ request }) {
      request.headers.set("Authorization", header);
    },
  };
  return defineStrategy("tokenAuth", {
    description: { token: REDACTED, scheme },
    build: () => () => credential,
    extras: {},
    policy: allowInsecureHttp("tokenAuth", opts),
  });
}
