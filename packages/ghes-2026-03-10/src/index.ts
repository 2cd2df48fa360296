import { createPaginate, decodeOperations, defineEra } from "@ghes-sdk/core";
import { ghesRange, type ServedBy } from "./generated/availability.js";
import { lists } from "./generated/lists.js";
import { packageName, version } from "./generated/meta.js";
import type { operations as GeneratedOperations, paths } from "./generated/openapi.js";
import { encodedOperations } from "./generated/operations.js";

/** GHES 3.21+: REST API version 2026-03-10, with the Accept the pages recommend. */
export const { definition, era, createClient } = defineEra<paths, ServedBy>({
  name: "ghes-2026-03-10",
  packageName,
  version,
  // Decoded on first use (the client's first request), so a bundle carries only the compact text.
  get operations() {
    return decodeOperations(encodedOperations);
  },
  ghes: ghesRange,
  defaultHeaders: { accept: "application/vnd.github+json", "x-github-api-version": "2026-03-10" },
});

/** Every item of a list operation of this era, following `Link: rel="next"` (see `paginate.pages` for whole pages). */
export const paginate = /* @__PURE__ */ createPaginate(packageName, lists);

export { detectGhes, GhesSdkError, type ClientOptions, type DetectedGhes, type EraPackage, type Page } from "@ghes-sdk/core";
export { GhesRequestError, unwrap, type GhesClient, type GhesRequestErrorCode, type RateLimit, type RetryPolicy } from "@ghes-sdk/core";
export type { GhesVersion, ServedBy } from "./generated/availability.js";
export { lists } from "./generated/lists.js";
export type { components, paths } from "./generated/openapi.js";
/**
 * The operations you call, by operationId. The spec's `webhooks` (the deliveries GHES sends) are generated
 * as operations too; they are left out here and typed in `@ghes-sdk/ghes-2026-03-10/webhooks`.
 */
export type operations = Omit<GeneratedOperations, `webhooks/${string}`>;
export { operationTable, type OperationId } from "./generated/operations.js";
