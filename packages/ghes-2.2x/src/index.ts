import { defineEra } from "@ghes-sdk/core";
import { packageName, version } from "./generated/meta.js";
import type { paths } from "./generated/openapi.js";
import { operationTable } from "./generated/operations.js";

/** GHES 2.20–2.22: preview operations get the media types of their required previews as Accept; the rest get the v3 media type. */
export const { definition, era, createClient } = defineEra<paths>({
  name: "ghes-2.2x",
  packageName,
  version,
  operations: operationTable,
  defaultHeaders: { accept: "application/vnd.github.v3+json" },
});

export { GhesSdkError, type ClientOptions, type EraPackage } from "@ghes-sdk/core";
export { GhesRequestError, unwrap, type GhesClient, type GhesRequestErrorCode, type RateLimit, type RetryPolicy } from "@ghes-sdk/core";
export type { components, operations, paths } from "./generated/openapi.js";
export { operationTable, type OperationId } from "./generated/operations.js";
