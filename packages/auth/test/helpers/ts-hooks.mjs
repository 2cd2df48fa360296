// Module hooks that let a child `node` run the TypeScript examples exactly as written: "@ghes-sdk/auth"
// resolves to this package's src/ (no build needed), "./x.js" imports inside src/ find "./x.ts", and .ts
// files are transpiled with the TypeScript compiler the workspace already has. Test-only.
import { readFile } from "node:fs/promises";
import ts from "typescript";

const AUTH_ENTRY = new URL("../../src/index.ts", import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === "@ghes-sdk/auth") return { url: AUTH_ENTRY, format: "module", shortCircuit: true };
  if (specifier.startsWith(".") && specifier.endsWith(".js") && context.parentURL?.endsWith(".ts")) {
    const asTs = new URL(specifier.replace(/\.js$/, ".ts"), context.parentURL);
    try {
      await readFile(asTs);
      return { url: asTs.href, format: "module", shortCircuit: true };
    } catch {
      /* a real .js file: fall through */
    }
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (!url.endsWith(".ts")) return nextLoad(url, context);
  const source = await readFile(new URL(url), "utf8");
  const { outputText } = ts.transpileModule(source, {
    fileName: url,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  return { format: "module", source: outputText, shortCircuit: true };
}
