// The operations table each era package ships holds only what the runtime reads (issue 13: smaller
// bundles): method, path, required previews, deprecation, since/until — the same facts as the spec.
import { describe, expect, it } from "vitest";
import { operationTable as ops22x } from "@ghes-sdk/ghes-2.2x";
import { operationTable as ops2022 } from "@ghes-sdk/ghes-2022-11-28";
import { operationTable as ops3x } from "@ghes-sdk/ghes-3.x";
// The generator's own functions (plain ESM, typed through allowJs).
import { operations } from "../../../scripts/operations.mjs";
import { bundled } from "./support/specs.js";

const tables: Record<string, Record<string, unknown>> = { "ghes-2.2x": ops22x, "ghes-3.x": ops3x, "ghes-2022-11-28": ops2022 };

describe.each(Object.keys(tables))("%s operationTable", (era) => {
  const table = tables[era]!;
  const rows = operations(bundled(era)) as any[];

  it("has one row per operation of the spec, keyed by operationId", () => {
    expect(Object.keys(table).sort()).toEqual(rows.map((r) => r.operationId).sort());
  });

  it.each(rows.map((r) => [r.operationId, r] as const))("%s: method, path, required previews, availability only", (id, row) => {
    const required = row.previews.filter((p: any) => p.required).map((p: any) => p.name);
    expect(table[id]).toEqual({
      method: row.method,
      path: row.path,
      ...(required.length ? { previews: required } : {}),
      ...(row.deprecated ? { deprecated: true } : {}),
      ...(row.replacement ? { replacement: row.replacement } : {}),
      ...(row.since ? { since: row.since } : {}),
      ...(row.until ? { until: row.until } : {}),
    });
  });
});
