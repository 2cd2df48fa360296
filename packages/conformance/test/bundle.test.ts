// Tree-shaking of `@ghes-sdk/<era>/operations`: an app that imports one operation function bundles that
// function, not the others, not the operations table, not the spec. Sizes are minified esbuild output.
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { ERAS, REPO_ROOT } from "./support/specs.js";

async function bundle(code: string): Promise<string> {
  const result = await build({
    stdin: { contents: code, resolveDir: `${REPO_ROOT}/packages/conformance`, loader: "ts" },
    bundle: true,
    write: false,
    minify: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

const sizes: Record<string, Record<string, number>> = {};

describe.each(ERAS)("%s", (era) => {
  it("bundles one imported function without the others", async () => {
    const one = await bundle(`import { checkToken } from "@ghes-sdk/${era}/operations"; console.log(checkToken);`);
    const two = await bundle(`import { checkToken, listInstallations } from "@ghes-sdk/${era}/operations"; console.log(checkToken, listInstallations);`);
    const all = await bundle(`import * as ops from "@ghes-sdk/${era}/operations"; console.log(ops);`);
    const client = await bundle(`import { createClient } from "@ghes-sdk/${era}"; console.log(createClient);`);
    sizes[era] = { one: one.length, two: two.length, all: all.length, createClient: client.length };

    expect(one).toContain('"/applications/{client_id}/token"');
    for (const other of ['"/app/installations"', '"/authorizations"', "operationTable", "installations_count"]) expect(one).not.toContain(other);
    expect(two).toContain('"/app/installations"');
    expect(two).not.toContain('"/authorizations"');
    // Each function costs its own bytes only: two functions are about twice one, all are many times one.
    expect(two.length).toBeLessThan(one.length * 2.5);
    expect(all.length).toBeGreaterThan(one.length * 15);
    console.log(`bundle sizes ${era} (minified bytes): ${JSON.stringify(sizes[era])}`);
  });
});
