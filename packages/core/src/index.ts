export { DEFAULT_MAX_RESPONSE_BYTES } from "./body.js";
export { DEFAULT_MAX_CONCURRENCY } from "./concurrency.js";
export { createEraClient, defineEra, type EraPackage } from "./client.js";
export { decodeOperations, eraOf, findOperation, previewMediaType, type FoundOperation } from "./era.js";
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
  describeServerBody,
} from "./errors.js";
export { checkBaseUrl, normaliseHeaders, type HeaderValue } from "./headers.js";
export { readRateLimit } from "./ratelimit.js";
export { backoffDelay, DEFAULT_RETRY, isRateLimited, retryDecision, serverWait, type Attempt, type RetryDecision } from "./retry.js";
export { unwrap } from "./request.js";
export { DEFAULT_TIMEOUT, raceAbort } from "./timeout.js";
export { pathSerializer } from "./path.js";
export { createPaginate, DEFAULT_MAX_PAGES, DEFAULT_PER_PAGE, nextLink, type GetOf, type InitOf, type ListData, type ListItem, type ListMap, type ListPath, type Page, type Paginate, type PaginateInit } from "./paginate.js";
export { compareVersions, featureRelease, isServed, versionMismatch, type Availability, type GhesVersionOf, type ServedMap, type ServedPaths } from "./version.js";
export { deprecationCode, warnDeprecated, warnOnce, type DeprecatedOperation } from "./deprecation.js";
export { detectGhes, type DetectedGhes, type DetectOptions } from "./detect.js";
export { eraRanges } from "./eras.js";
export { specEntries, specOperations, type SpecEntry, type SpecOperation } from "./spec.js";
export type {
  CallInit,
  ClientOptions,
  Era,
  EraAwareMiddleware,
  EraDefinition,
  EraName,
  GhesClient,
  HttpMethod,
  OperationInfo,
  Preview,
  RateLimit,
  RateLimitEvent,
  RequestOverrides,
  RetryPolicy,
} from "./types.js";
export type { Client, Middleware } from "openapi-fetch";
