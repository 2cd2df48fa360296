// What npm would publish: publint finds no problem in any public package, and each ships what it exports.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./support/specs.js";

const PUBLIC = ["core", "auth", "ghes-2.2x", "ghes-3.x", "ghes-2022-11-28"];

describe.each(PUBLIC)("@ghes-sdk/%s", (name) => {
  const dir = join(REPO_ROOT, "packages", name);
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));

  it("passes publint (strict)", async () => {
    const { messages } = await publint({ pkgDir: dir, strict: true, level: "suggestion" });
    expect(messages.map((m) => formatMessage(m, pkg) ?? m.code)).toEqual([]);
  }, 30_000);

  it("publishes from an allowlist, ESM with types first and no side effects", () => {
    expect(pkg.files).toEqual(expect.arrayContaining(["dist", "README.md"]));
    expect(pkg.type).toBe("module");
    expect(pkg.sideEffects).toBe(false);
    expect(Object.keys(pkg.exports["."])[0]).toBe("types");
    expect(pkg.engines.node).toBe(">=20.19");
  });
});
