import type { Era, EraDefinition, OperationInfo } from "./types.js";

/** `application/vnd.github.<name>-preview+json`, the media type GHES 2.2x previews are requested with. */
export const previewMediaType = (name: string): string => `application/vnd.github.${name}-preview+json`;

/** A table row with its operationId (the table's key). */
export type FoundOperation = OperationInfo & { readonly operationId: string };

const tables = new WeakMap<EraDefinition, Map<string, FoundOperation>>();

/** The operation a request is for, from its method and the spec's path template. */
export function findOperation(def: EraDefinition, method: string, schemaPath: string): FoundOperation | undefined {
  let table = tables.get(def);
  if (!table) {
    table = new Map(
      Object.entries(def.operations).map(([operationId, op]) => [`${op.method.toUpperCase()} ${op.path}`, { ...op, operationId }]),
    );
    tables.set(def, table);
  }
  return table.get(`${method.toUpperCase()} ${schemaPath}`);
}

/**
 * The era's headers for one operation. An operation whose spec names required previews (most of 2.2x,
 * content attachments on 3.x) gets their media types as Accept — the server answers 415 without them;
 * everything else gets the era's default Accept.
 */
export function eraOf(def: EraDefinition): Era {
  return {
    name: def.name,
    headersFor(method, schemaPath) {
      const headers: Record<string, string> = { ...def.defaultHeaders };
      const required = findOperation(def, method, schemaPath)?.previews ?? [];
      if (required.length > 0) headers.accept = required.map(previewMediaType).join(", ");
      return headers;
    },
  };
}
