export { createEraClient, defineEra, type EraPackage } from "./client.js";
export { eraOf, findOperation, previewMediaType } from "./era.js";
export { GhesSdkError } from "./errors.js";
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
