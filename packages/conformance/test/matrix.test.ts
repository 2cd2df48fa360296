// The compatibility matrix in openapi/COMPATIBILITY.md must be what the specs say now.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
// The generator's own renderer (plain ESM, typed through allowJs).
import { matrixPath, renderMatrix } from "../../../scripts/matrix.mjs";
import { bundled, ERAS } from "./support/specs.js";

const specs = Object.fromEntries(ERAS.map((era) => [era, bundled(era)]));

describe("openapi/COMPATIBILITY.md", () => {
  it("is current (run `npm run matrix` after changing a spec)", () => {
    expect(readFileSync(matrixPath, "utf8")).toBe(renderMatrix(specs));
  });

  it("shows availability the specs record", () => {
    const text = renderMatrix(specs);
    const row = (key: string) => text.split("\n").find((l) => l.startsWith(`| \`${key}\``)) ?? "";
    // The first three eras' columns (a newer era adds columns after them).
    // GitHub's 3.0 description already has it (issue 7): served by the whole 3.x era.
    expect(row("POST /applications/{client_id}/token/scoped")).toMatch(/\| — \| ✓ \| ✓ \|/);
    expect(row("PUT /app/installations/{installation_id}/suspended")).toMatch(/\| ✓ since 2\.22 \| ✓ \| ✓ \|/);
    expect(row("GET /applications/{client_id}/tokens/{access_token}")).toMatch(/\| ✓ until 3.3 deprecated \| ✓ until 3.3 deprecated \| — \|/);
    expect(row("GET /app/hook/deliveries")).toMatch(/\| — \| ✓ since 3\.2 \| ✓ \|/);
    expect(row("GET /app/installation-requests")).toMatch(/\| — \| ✓ since 3\.5 \| ✓ \|/);
  });
});
