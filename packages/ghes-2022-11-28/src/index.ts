import { createEraClient, eraOf, type ClientOptions, type Client, type EraDefinition } from "@ghes-sdk/core";
import { packageName, version } from "./generated/meta.js";
import type { paths } from "./generated/openapi.js";
import { operationTable } from "./generated/operations.js";

/** GHES 3.9+: REST API version 2022-11-28, with the Accept the pages recommend. */
export const definition: EraDefinition = {
  name: "ghes-2022-11-28",
  packageName,
  version,
  operations: operationTable,
  defaultHeaders: { accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28" },
  previews: false,
};

/** The era's headers per operation, as `@ghes-sdk/auth` and tests see them. */
export const era = eraOf(definition);

/** A typed openapi-fetch client for GitHub Enterprise Server's ghes-2022-11-28 API. */
export function createClient(options: ClientOptions): Client<paths> {
  return createEraClient<paths>(definition, options);
}

export { GhesSdkError, type ClientOptions } from "@ghes-sdk/core";
export type { components, operations, paths } from "./generated/openapi.js";
export { operationTable, type OperationId } from "./generated/operations.js";
