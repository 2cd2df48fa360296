import type { Era, EraDefinition, HttpMethod, OperationInfo } from "./types.js";

/** `application/vnd.github.<name>-preview+json`, the media type GHES 2.2x previews are requested with. */
export const previewMediaType = (name: string): string => `application/vnd.github.${name}-preview+json`;

/** A table row with its operationId (the table's key). */
export type FoundOperation = OperationInfo & { readonly operationId: string };

type OperationTable = Readonly<Record<string, OperationInfo>>;
type Row = { -readonly [K in keyof OperationInfo]: K extends "previews" ? string[] : OperationInfo[K] };

const decoded = new Map<string, OperationTable>();

/**
 * An era's operations table from the compact text its package ships (scripts/operations.mjs writes it).
 * The first line is `<since>|<text>|…`: the `since` most operations share, then the texts that name what
 * replaces a deprecated operation, each once. Then one line per operation, its fields split by a space, trailing empty ones
 * left out: `<method> <path> <operationId> <previews> <deprecated> <since> <until>` — the operationId as
 * `/<name>` when it shares the previous line's `<group>/`; the required previews split by commas; deprecated
 * `!`, or the index of the header text naming its replacement; since empty for the shared one, `-` for none. Decoded once per text.
 */
export function decodeOperations<T extends OperationTable = OperationTable>(text: string): T {
  let table = decoded.get(text);
  if (!table) {
    const [head, ...lines] = text.split("\n");
    const [shared, ...texts] = head!.split("|");
    const rows: Record<string, Row> = {};
    let group = "";
    for (const line of lines) {
      const [method, path, id, previews, deprecated, since, until] = line.split(" ");
      const operationId = id![0] === "/" ? group + id : id!;
      group = operationId.slice(0, operationId.indexOf("/"));
      const row: Row = (rows[operationId] = { method: method as HttpMethod, path: path! });
      if (previews) row.previews = previews.split(",");
      if (deprecated) row.deprecated = true;
      if (deprecated && deprecated !== "!") row.replacement = texts[+deprecated];
      if (since !== "-") row.since = since || shared!;
      if (until) row.until = until;
    }
    decoded.set(text, (table = rows));
  }
  return table as T;
}

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
