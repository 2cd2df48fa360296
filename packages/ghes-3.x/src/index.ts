import { defineEra } from "@ghes-sdk/core";
import { packageName, version } from "./generated/meta.js";
import type { paths } from "./generated/openapi.js";
import { operationTable } from "./generated/operations.js";

/**
 * GHES 3.0–3.8: every request asks for the v3 media type, as the pages recommend — except content
 * attachments (served until 3.3), which still need the corsair preview.
 */
export const { definition, era, createClient } = defineEra<paths>({
  name: "ghes-3.x",
  packageName,
  version,
  operations: operationTable,
  defaultHeaders: { accept: "application/vnd.github.v3+json" },
});

export { GhesSdkError, type ClientOptions, type EraPackage } from "@ghes-sdk/core";
export { GhesRequestError, unwrap, type GhesClient, type GhesRequestErrorCode, type RateLimit, type RetryPolicy } from "@ghes-sdk/core";
export type { components, operations, paths } from "./generated/openapi.js";
export { operationTable, type OperationId } from "./generated/operations.js";
