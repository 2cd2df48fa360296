export { createEraClient, defineEra, type EraPackage } from "./client.js";
export { eraOf, findOperation, previewMediaType } from "./era.js";
export {
  GhesRequestError,
  GhesSdkError,
  MAX_SERVER_TEXT,
  REDACTED,
  redactUrl,
  safeServerText,
  type GhesRequestErrorCode,
  type GhesRequestErrorInit,
  type GitHubErrorDetail,
  type SafeServerTextOptions,
} from "./errors.js";
export { pathSerializer } from "./path.js";
export type {
  ClientOptions,
  Era,
  EraAwareMiddleware,
  EraDefinition,
  EraName,
  HttpMethod,
  OperationInfo,
  Preview,
} from "./types.js";
export type { Client, Middleware } from "openapi-fetch";
