// packages/core/src/eras.ts (what detectGhes maps versions with) is generated from the specs' info and
// committed; this fails while it is stale. Refresh: `node scripts/api.mjs eras`.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { erasModule } from "../../../scripts/api.mjs";
import { bundled, ERAS, REPO_ROOT } from "./support/specs.js";

it("core's era ranges match the specs' x-ghes-first/x-ghes-last", () => {
  const specs = Object.fromEntries(ERAS.map((era) => [era, bundled(era)]));
  expect(readFileSync(join(REPO_ROOT, "packages/core/src/eras.ts"), "utf8")).toBe(erasModule(specs));
});
