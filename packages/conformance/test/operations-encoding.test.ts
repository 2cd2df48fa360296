// The shipped table is a compact text (scripts/operations.mjs encodeOperations) that @ghes-sdk/core decodes
// on a client's first request (issue 13: smaller bundles). The runtime must see the same facts as the spec:
// every operation found by method and path with its id, previews, deprecation, replacement, since/until,
// and the era's headers for it.
import { readFileSync } from "node:fs";
import { decodeOperations, eraOf, findOperation, previewMediaType, type EraDefinition } from "@ghes-sdk/core";
import { describe, expect, it } from "vitest";
// The generator's own functions (plain ESM, typed through allowJs).
import { encodeOperations, operations, runtimeRow } from "../../../scripts/operations.mjs";
import { bundled, ERAS, REPO_ROOT } from "./support/specs.js";

describe.each(ERAS)("%s", (era) => {
  const rows = (operations(bundled(era)) as any[]).map((row) => ({ operationId: row.operationId as string, ...runtimeRow(row) }));
  const load = async () =>
    (await import(`@ghes-sdk/${era}`)) as { definition: EraDefinition; operationTable: Record<string, unknown> };

  it("decodes what it encodes", () => {
    const text = encodeOperations(rows) as string;
    const decoded = decodeOperations(text);
    expect(decoded).toEqual(Object.fromEntries(rows.map(({ operationId, ...row }) => [operationId, row])));
    expect(decodeOperations(text)).toBe(decoded); // decoded once per text
  });

  it("finds every operation by method and path, with what the spec says of it", async () => {
    const { definition, operationTable } = await load();
    expect(definition.operations).toBe(operationTable); // one decoded table, however it is reached
    for (const row of rows) {
      expect(findOperation(definition, row.method.toUpperCase(), row.path)).toEqual(row);
      expect(findOperation(definition, row.method, row.path)?.operationId).toBe(row.operationId);
    }
    expect(findOperation(definition, "GET", "/not/an/operation")).toBeUndefined();
  });

  it("gives each operation the era's headers, its required previews as Accept", async () => {
    const { definition } = await load();
    const headersFor = eraOf(definition).headersFor;
    for (const row of rows) {
      const expected = { ...definition.defaultHeaders, ...(row.previews ? { accept: row.previews.map(previewMediaType).join(", ") } : {}) };
      expect(headersFor(row.method.toUpperCase(), row.path), row.operationId).toEqual(expected);
    }
  });

  it("ships the decoded table marked pure, so a bundle that does not use it leaves it out", () => {
    const built = readFileSync(`${REPO_ROOT}/packages/${era}/dist/generated/operations.js`, "utf8");
    expect(built).toMatch(/export const operationTable = \/\* @__PURE__ \*\/ decodeOperations\(encodedOperations\);/);
    expect(built).not.toMatch(/"method":|method: "/);
  });
});

it("encodes what the specs do not have yet: deprecated without a replacement, no since, a preview list", () => {
  const rows = [
    { operationId: "apps/a", method: "get", path: "/a", previews: ["gambit", "machine-man"], since: "2.20" },
    { operationId: "apps/b", method: "get", path: "/b", deprecated: true, since: "2.20" },
    { operationId: "apps/c", method: "post", path: "/c" },
    { operationId: "other/d", method: "put", path: "/d", deprecated: true, replacement: "a flow", since: "3.1", until: "3.9" },
    { operationId: "other/e", method: "put", path: "/e", deprecated: true, replacement: "apps/a (GET /a)", since: "2.20" },
  ];
  expect(decodeOperations(encodeOperations(rows))).toEqual(Object.fromEntries(rows.map(({ operationId, ...row }) => [operationId, row])));
  expect(() => encodeOperations([{ operationId: "apps/x", method: "get", path: "/a b" }])).toThrow(/apps\/x has a blank/);
  expect(() => encodeOperations([{ operationId: "x", method: "get", path: "/a" }])).toThrow(/x is not "<group>\/<name>"/);
});
