import { createEraClient, eraOf, type ClientOptions, type Client, type EraDefinition } from "@ghes-sdk/core";
import { packageName, version } from "./generated/meta.js";
import type { paths } from "./generated/openapi.js";
import { operationTable } from "./generated/operations.js";

/**
 * GHES 3.0–3.8: every request asks for the v3 media type, as the pages recommend — except content
 * attachments (served until 3.3), which still need the corsair preview.
 */
export const definition: EraDefinition = {
  name: "ghes-3.x",
  packageName,
  version,
  operations: operationTable,
  defaultHeaders: { accept: "application/vnd.github.v3+json" },
  previews: true,
};

/** The era's headers per operation, as `@ghes-sdk/auth` and tests see them. */
export const era = eraOf(definition);

/** A typed openapi-fetch client for GitHub Enterprise Server's ghes-3.x API. */
export function createClient(options: ClientOptions): Client<paths> {
  return createEraClient<paths>(definition, options);
}

export { GhesSdkError, type ClientOptions } from "@ghes-sdk/core";
export type { components, operations, paths } from "./generated/openapi.js";
export { operationTable, type OperationId } from "./generated/operations.js";
