import { defineEra } from "@ghes-sdk/core";
import { packageName, version } from "./generated/meta.js";
import type { paths } from "./generated/openapi.js";
import { operationTable } from "./generated/operations.js";

/** GHES 3.9+: REST API version 2022-11-28, with the Accept the pages recommend. */
export const { definition, era, createClient } = defineEra<paths>({
  name: "ghes-2022-11-28",
  packageName,
  version,
  operations: operationTable,
  defaultHeaders: { accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28" },
});

export { GhesSdkError, type ClientOptions, type EraPackage } from "@ghes-sdk/core";
export { GhesRequestError, unwrap, type GhesClient, type GhesRequestErrorCode, type RateLimit, type RetryPolicy } from "@ghes-sdk/core";
export type { components, operations, paths } from "./generated/openapi.js";
export { operationTable, type OperationId } from "./generated/operations.js";
