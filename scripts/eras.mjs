// The eras are the folders of openapi/ that hold an openapi.yaml root: the one list everything derives from.
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export const eras = readdirSync(join(repoRoot, "openapi"), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(repoRoot, "openapi", d.name, "openapi.yaml")))
  .map((d) => d.name)
  .sort();
