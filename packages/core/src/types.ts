import type { Middleware } from "openapi-fetch";

export type HttpMethod = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";

/** A preview media type an operation of GHES 2.2x needs (`application/vnd.github.<name>-preview+json`). */
export interface Preview {
  readonly name: string;
  readonly required: boolean;
}

/**
 * One row of an era's generated operations table (keyed by operationId): what the runtime reads. Summaries,
 * security requirements and optional previews are in the generated types and the bundled openapi.json, so
 * they are not shipped in every bundle.
 */
export interface OperationInfo {
  readonly method: HttpMethod;
  readonly path: string;
  /** Names of the preview media types the operation requires (GHES 2.2x; content attachments on 3.x). */
  readonly previews?: readonly string[];
  readonly deprecated?: true;
  /** First GHES version that serves the operation (2.20 for anything older). */
  readonly since?: string;
  /** Last GHES version that served the operation, when it went away. */
  readonly until?: string;
}

export type EraName = "ghes-2.2x" | "ghes-3.x" | "ghes-2022-11-28";

/** What an era package knows about itself; passed to createEraClient. */
export interface EraDefinition {
  readonly name: EraName;
  readonly packageName: string;
  readonly version: string;
  readonly operations: Readonly<Record<string, OperationInfo>>;
  /** Headers every request of the era carries unless the caller sets them. */
  readonly defaultHeaders: Readonly<Record<string, string>>;
}

/**
 * The era as auth strategies see it: which headers the era sends for an operation. `@ghes-sdk/auth` uses
 * it to mint installation tokens with the right media type (machine-man on 2.2x).
 */
export interface Era {
  readonly name: EraName;
  headersFor(method: string, schemaPath: string): Record<string, string>;
}

/**
 * An auth strategy that wants to know the era of the client it is installed in: the client installs
 * `forEra(era)` instead of the object itself.
 */
export interface EraAwareMiddleware {
  forEra(era: Era): Middleware;
}

export interface ClientOptions {
  /** Where the REST API lives, e.g. `https://ghes.example.com/api/v3` (a trailing slash is fine). */
  baseUrl: string;
  /** A fetch implementation; defaults to the global fetch. */
  fetch?: (input: Request) => Promise<Response>;
  /** Headers sent with every request; they win over the era's defaults. */
  headers?: HeadersInit;
  /** Prepended to the SDK's own User-Agent (`my-app/1.2 @ghes-sdk/ghes-3.x/0.1.0`). */
  userAgent?: string;
  /** Authentication: any openapi-fetch middleware, such as the strategies of `@ghes-sdk/auth`. */
  auth?: Middleware | EraAwareMiddleware;
}
