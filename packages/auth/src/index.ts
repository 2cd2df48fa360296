export { appAuth, type AppAuthOptions } from "./app-jwt.js";
export {
  appInstallationsAuth,
  byRepository,
  type AppInstallationsAuthOptions,
  type InstallationChoice,
  type InstallationRequest,
} from "./app-installations.js";
export { basicAuth, type BasicAuthOptions, type TwoFactorKind } from "./basic.js";
export { GhesAuthError, type GhesAuthErrorCode, type GhesAuthErrorDetails } from "./errors.js";
export type { KeyObject } from "./jwt-sign.js";
export {
  installationAuth,
  type InstallationAuthOptions,
  type InstallationAuthStrategy,
  type InstallationScope,
} from "./installation.js";
export { oauthAppAuth, type OAuthAppAuthOptions } from "./oauth-app.js";
export { appRouteAuth, credentialForRoute, type AppRouteAuthOptions, type RouteCredential } from "./route.js";
export type { TokenCache } from "./shared-cache.js";
export { tokenAuth, type TokenAuthOptions } from "./token.js";
export type { AuthMiddleware, AuthStrategy, Era, EraName, FetchFn } from "./types.js";
