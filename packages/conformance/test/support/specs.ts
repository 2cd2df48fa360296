import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
// The generator scripts' own list of eras (plain ESM, typed through allowJs).
import { eras, repoRoot } from "../../../../scripts/eras.mjs";

export const ERAS = eras as string[];
export const REPO_ROOT = repoRoot as string;

const require = createRequire(import.meta.url);

/** The bundled spec an era package ships as `@ghes-sdk/<era>/openapi.json`. */
export function bundled(era: string): any {
  return JSON.parse(readFileSync(require.resolve(`@ghes-sdk/${era}/openapi.json`), "utf8"));
}

export function fixture<T>(era: string, name: string): T {
  return JSON.parse(readFileSync(`${REPO_ROOT}/packages/${era}/test/fixtures/${name}`, "utf8")) as T;
}

/** Follows a local `#/components/…` reference of a bundled spec. */
export function deref(spec: any, node: any): any {
  let seen = 0;
  while (node && typeof node.$ref === "string") {
    if (++seen > 20) throw new Error(`reference cycle at ${node.$ref}`);
    node = node.$ref
      .replace(/^#\//, "")
      .split("/")
      .reduce((at: any, key: string) => at?.[key.replace(/~1/g, "/").replace(/~0/g, "~")], spec);
  }
  return node;
}
