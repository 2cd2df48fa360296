import { defineStrategy, type Credential } from "./middleware.js";
import { base64, REDACTED } from "./redact.js";
import type { AuthStrategy } from "./types.js";
import { allowInsecureHttp, basicPart, knownKeys, optionsObject } from "./validate.js";

export interface OAuthAppAuthOptions {
  /** The OAuth app's (or GitHub App's) client ID. Not a secret; shown in descriptions. */
  clientId: string;
  clientSecret: string;
  /** Send the client secret over plain http:// to a host that is not loopback. Default false; see "Security". */
  allowInsecureHttp?: boolean;
}

/** `Basic base64(user:password)`, UTF-8 as RFC 7617 recommends. */
export function basicHeader(user: string, password: string): string {
  return `Basic ${base64(`${user}:${password}`)}`;
}

/** Reads clientId/clientSecret; shared with appRouteAuth. */
export function clientCredential(strategy: string, clientId: unknown, clientSecret: unknown): Credential<void> {
  const header = basicHeader(
    basicPart(strategy, "clientId", clientId, { colon: false }),
    basicPart(strategy, "clientSecret", clientSecret, { colon: true }),
  );
  return {
    apply({ request }) {
      request.headers.set("Authorization", header);
    },
  };
}

/**
 * Authenticates as an OAuth app with Basic client_id:client_secret, as the `/applications/{client_id}/…`
 * endpoints (check, reset, delete a token; delete a grant) demand.
 */
export function oauthAppAuth(options: OAuthAppAuthOptions): AuthStrategy {
  const opts = optionsObject("oauthAppAuth", options);
  knownKeys("oauthAppAuth", opts, ["clientId", "clientSecret", "allowInsecureHttp"]);
  const credential = clientCredential("oauthAppAuth", opts["clientId"], opts["clientSecret"]);
  return defineStrategy("oauthAppAuth", {
    description: { clientId: opts["clientId"], clientSecret: REDACTED },
    build: () => () => credential,
    extras: {},
    policy: allowInsecureHttp("oauthAppAuth", opts),
  });
}
