import { execFileSync } from "node:child_process";
import { join } from "node:path";
// The generator scripts' own root (plain ESM, typed through allowJs).
import { repoRoot } from "../../../scripts/eras.mjs";

export const REPO_ROOT = repoRoot as string;

/** The repository's files, tracked or new but not ignored, as paths relative to its root. */
export function repoFiles(): string[] {
  return execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: REPO_ROOT, encoding: "utf8" })
    .split("\n")
    .filter(Boolean);
}

export const rooted = (file: string) => join(REPO_ROOT, file);
