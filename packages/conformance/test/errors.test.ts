// Every operation of every era has a typed error with GitHub's error body: for each row of each era's
// operations table this writes `if (error) console.log(error.message)` after a call of that operation into
// test/.errors/<era>.ts, and compiles the files with tsc --strict. An operation whose error type lacks
// `message` (or is `never`) fails to compile, and the diagnostic names it.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { ERAS } from "./support/specs.js";

const outDir = join(import.meta.dirname, ".errors");
const tables: Record<string, Record<string, { method: string; path: string }>> = {};
const diagnostics: Record<string, string[]> = {};

beforeAll(async () => {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  for (const era of ERAS) {
    const { operationTable } = (await import(`@ghes-sdk/${era}`)) as { operationTable: Record<string, { method: string; path: string }> };
    tables[era] = operationTable;
    const calls = Object.entries(operationTable).map(
      ([id, { method, path }]) =>
        `  {\n    // ${id}\n    const { error } = await client.${method.toUpperCase()}(${JSON.stringify(path)}, {} as never);\n` +
        `    if (error) console.log(error.message);\n  }`,
    );
    writeFileSync(
      join(outDir, `${era}.ts`),
      [
        `// Written by test/errors.test.ts from the ${era} operations table — do not edit.`,
        `import { createClient } from "@ghes-sdk/${era}";`,
        `const client = createClient({ baseUrl: "https://ghes.example.com/api/v3" });`,
        `export async function everyOperation(): Promise<void> {`,
        ...calls,
        `}`,
        ``,
      ].join("\n"),
    );
  }
  // One program for all eras (one type-check of the shared packages); diagnostics sorted by file.
  for (const line of compile(ERAS.map((era) => join(outDir, `${era}.ts`)))) {
    const era = ERAS.find((e) => line.startsWith(`${e}.ts:`)) ?? "unknown";
    (diagnostics[era] ??= []).push(line);
  }
}, 180_000);

/** Compiles the given files with the repository's compiler options under --strict. */
function compile(files: string[]): string[] {
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    types: ["node"],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${d.file.fileName.split("/").pop()}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : "";
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
}

it("compiles nothing but the eras' files", () => {
  expect(diagnostics.unknown ?? []).toEqual([]);
});

describe.each(ERAS)("%s", (era) => {
  it("types error.message after every operation (tsc --strict)", () => {
    expect(Object.keys(tables[era]!).length).toBeGreaterThan(0);
    expect(diagnostics[era] ?? []).toEqual([]);
  });
});
