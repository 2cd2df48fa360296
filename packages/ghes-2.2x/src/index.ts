import { createEraClient, eraOf, type ClientOptions, type Client, type EraDefinition } from "@ghes-sdk/core";
import { packageName, version } from "./generated/meta.js";
import type { paths } from "./generated/openapi.js";
import { operationTable } from "./generated/operations.js";

/** GHES 2.20–2.22: preview operations get the media types of their required previews as Accept; the rest get the v3 media type. */
export const definition: EraDefinition = {
  name: "ghes-2.2x",
  packageName,
  version,
  operations: operationTable,
  defaultHeaders: { accept: "application/vnd.github.v3+json" },
  previews: true,
};

/** The era's headers per operation, as `@ghes-sdk/auth` and tests see them. */
export const era = eraOf(definition);

/** A typed openapi-fetch client for GitHub Enterprise Server's ghes-2.2x API. */
export function createClient(options: ClientOptions): Client<paths> {
  return createEraClient<paths>(definition, options);
}

export { GhesSdkError, type ClientOptions } from "@ghes-sdk/core";
export type { components, operations, paths } from "./generated/openapi.js";
export { operationTable, type OperationId } from "./generated/operations.js";
