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
    // Served from 2.22 (GitHub's 2.22 description has it), so the whole 3.x era has it.
    expect(row("POST /applications/{client_id}/token/scoped")).toMatch(/\| ✓ \| ✓ \|$/);
    expect(row("GET /applications/{client_id}/tokens/{access_token}")).toMatch(/\| ✓ until 3.3 deprecated \| ✓ until 3.3 deprecated \| — \|$/);
    expect(row("GET /app/hook/deliveries")).toMatch(/\| — \| ✓ since 3\.1 \| ✓ \|$/);
    expect(row("GET /app/installation-requests")).toMatch(/\| — \| ✓ since 3\.5 \| ✓ \|$/);
  });
});
