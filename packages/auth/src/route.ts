import type { KeyObject } from "./jwt-sign.js";
import { appSigner, jwtCredential } from "./app-jwt.js";
import { GhesAuthError, invalidOption } from "./errors.js";
import {
  cacheSizeOption,
  installationCredential,
  InstallationTokens,
  readScope,
  type InstallationAuthStrategy,
  type InstallationScope,
} from "./installation.js";
import { defineStrategy, type Credential } from "./middleware.js";
import { clientCredential } from "./oauth-app.js";
import { REDACTED } from "./redact.js";
import { sharedCacheOption, type TokenCache } from "./shared-cache.js";
import type { Era } from "./types.js";
import { allowInsecureHttp, knownKeys, optionalEra, optionsObject, positiveInteger } from "./validate.js";

/**
 * Which credential a route takes, from the GHES docs' "You must use …" line of each operation:
 * - `app`: the App JWT — `/app`, `/app/…`, and the installation lookups `/orgs/{org}/installation`,
 *   `/repos/{owner}/{repo}/installation`, `/users/{username}/installation`.
 * - `client`: Basic client_id:client_secret — `/applications/{client_id}/…` (token check/reset/delete, grants).
 * - `none`: `/app-manifests/{code}/conversions`, where the one-time code in the path is the credential.
 * - `user`: a user's own credential — `/user…` (user-to-server token or PAT), `/orgs/{org}/installations`
 *   ("you must be an organization owner with admin:read scope"), `/authorizations…` and
 *   `/applications/grants…` (OAuth Authorizations API, Basic user:password). No app credential works there.
 * - `installation`: everything else.
 */
export type RouteCredential = "app" | "client" | "installation" | "none" | "user";

const APP_ROUTES = [/^\/app(?:\/|$)/, /^\/(?:orgs\/[^/]+|repos\/[^/]+\/[^/]+|users\/[^/]+)\/installation$/];
const USER_ROUTES = [/^\/user(?:\/|$)/, /^\/orgs\/[^/]+\/installations$/, /^\/authorizations(?:\/|$)/, /^\/applications\/grants(?:\/|$)/];
const CLIENT_ROUTES = [/^\/applications\/[^/]+\//];
const NO_AUTH_ROUTES = [/^\/app-manifests\/[^/]+\/conversions$/];

/** Classifies an OpenAPI path template (or a literal path) by the credential GHES wants for it. */
export function credentialForRoute(schemaPath: string): RouteCredential {
  const path = schemaPath.split("?")[0]!.replace(/\/+$/, "") || "/";
  const matches = (patterns: RegExp[]) => patterns.some((p) => p.test(path));
  if (matches(NO_AUTH_ROUTES)) return "none";
  if (matches(APP_ROUTES)) return "app";
  if (matches(USER_ROUTES)) return "user";
  if (matches(CLIENT_ROUTES)) return "client";
  return "installation";
}

export interface AppRouteAuthOptions extends InstallationScope {
  appId: number | string;
  privateKey: string | KeyObject;
  /** The app's client ID, for `/applications/{client_id}/…`; give clientSecret with it. */
  clientId?: string;
  clientSecret?: string;
  /** The installation whose token is used for every other route. */
  installationId?: number | string;
  /** As for installationAuth: the era for mint/revoke headers on a plain openapi-fetch client. */
  era?: Era;
  cacheSize?: number;
  /** As for installationAuth: a cache shared by several processes (e.g. `redisCache()` from `@ghes-sdk/redis`). */
  cache?: TokenCache;
  /** Send the JWT, client secret and tokens over plain http:// to a host that is not loopback. Default false. */
  allowInsecureHttp?: boolean;
}

/**
 * One middleware for a GitHub App that talks to several kinds of endpoint: picks the App JWT, the client
 * credentials or the installation token per request (see credentialForRoute), and throws a
 * MISSING_CREDENTIAL error — before anything is sent — when a route needs something it was not given.
 * The JWT signer and installation token cache are shared by every route, and by every forEra() middleware.
 */
export function appRouteAuth(options: AppRouteAuthOptions): InstallationAuthStrategy {
  const name = "appRouteAuth";
  const opts = optionsObject(name, options);
  knownKeys(name, opts, [
    "appId", "privateKey", "clientId", "clientSecret", "installationId",
    "repositories", "repositoryIds", "permissions", "era", "cacheSize", "cache", "allowInsecureHttp",
  ]);
  const signer = appSigner(name, opts);
  const jwt = jwtCredential(signer);

  const hasId = opts["clientId"] !== undefined;
  const hasSecret = opts["clientSecret"] !== undefined;
  if (hasId !== hasSecret) {
    throw invalidOption(name, hasId ? "clientSecret" : "clientId", `is required when ${hasId ? "clientId" : "clientSecret"} is given`);
  }
  const client = hasId ? clientCredential(name, opts["clientId"], opts["clientSecret"]) : undefined;

  const scope = readScope(name, opts);
  let tokens: InstallationTokens | undefined;
  if (opts["installationId"] !== undefined) {
    const installationId = positiveInteger(name, "installationId", opts["installationId"]);
    tokens = new InstallationTokens(signer, installationId, scope, cacheSizeOption(name, opts["cacheSize"]), undefined, sharedCacheOption(name, opts));
  } else if (scope !== undefined) {
    throw invalidOption(name, "installationId", "is required when repositories, repositoryIds or permissions are given");
  }
  const installation = tokens ? installationCredential(tokens) : undefined;
  const era = optionalEra(name, opts["era"]);

  const missing = (method: string, schemaPath: string, needs: string) =>
    new GhesAuthError("MISSING_CREDENTIAL", `appRouteAuth: ${method} ${schemaPath} needs ${needs}`);

  const select = ({ request, schemaPath }: { request: Request; schemaPath: string }): Credential<any> | null => {
    switch (credentialForRoute(schemaPath)) {
      case "none":
        return null;
      case "app":
        return jwt;
      case "client":
        if (!client) throw missing(request.method, schemaPath, "the app's client credentials: pass clientId and clientSecret to appRouteAuth");
        return client;
      case "installation":
        if (!installation) throw missing(request.method, schemaPath, "an installation token: pass installationId to appRouteAuth");
        return installation;
      case "user":
        throw missing(request.method, schemaPath, "a user's credential, which an app does not have: use tokenAuth (user-to-server token or PAT) or basicAuth for it");
    }
  };

  return defineStrategy(name, {
    description: {
      appId: signer.appId,
      privateKey: REDACTED,
      ...(hasId ? { clientId: opts["clientId"], clientSecret: REDACTED } : {}),
      ...(tokens ? { installationId: tokens.installationId } : {}),
      ...(scope ? { scope } : {}),
    },
    build: () => select,
    defaultEra: era,
    extras: {
      revoke: (o?: { baseUrl?: string; signal?: AbortSignal }) => (tokens ? tokens.revoke(o?.baseUrl, o?.signal) : Promise.resolve(0)),
    },
    policy: allowInsecureHttp(name, opts),
  });
}
