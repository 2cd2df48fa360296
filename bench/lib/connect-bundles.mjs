// Bundle sizes of @ghes-sdk/connect: a program that serves every era (connect) against one that narrows to
// one era (createConnect with that era's package), bundled by esbuild (minified ESM, gzip -9), with and
// without code splitting. `node bench/lib/connect-bundles.mjs` prints the table (section (i) of
// `npm run bench`); the connect package's bundle test runs the same function and checks which eras each
// bundle holds.
import { build } from "esbuild";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const resolveDir = fileURLToPath(new URL("..", import.meta.url));

// No auth: what differs between the programs is connect and the eras; auth adds the same to each.
export const connectPrograms = {
  "every era: connect()": `import { connect } from "@ghes-sdk/connect";
    export const run = async (baseUrl) => { const gh = await connect({ baseUrl }); if (gh.era === "ghes-2022-11-28") return gh.client.GET("/app"); };`,
  "one era: createConnect({ \"ghes-2022-11-28\": ghes2022 })": `import { createConnect } from "@ghes-sdk/connect"; import * as ghes2022 from "@ghes-sdk/ghes-2022-11-28";
    const connect = createConnect({ "ghes-2022-11-28": ghes2022 });
    export const run = async (baseUrl) => (await connect({ baseUrl })).client.GET("/app");`,
  "one era, its package's definition and createClient only": `import { createConnect } from "@ghes-sdk/connect"; import { definition, createClient } from "@ghes-sdk/ghes-2022-11-28";
    const connect = createConnect({ "ghes-2022-11-28": { definition, createClient } });
    export const run = async (baseUrl) => (await connect({ baseUrl })).client.GET("/app");`,
  "one era, no detection: the era's createClient": `import { createClient } from "@ghes-sdk/ghes-2022-11-28";
    export const run = (baseUrl) => createClient({ baseUrl }).GET("/app");`,
};

const eraOf = (input) => /packages\/(ghes-[^/]+)\/dist\//.exec(input)?.[1];

/**
 * One program's bundle. Without splitting: the one file. With splitting: every file esbuild writes, and
 * what a process that meets a GHES 3.9+ server loads (the entry, the chunks it imports, the
 * ghes-2022-11-28 chunk and the chunks that imports).
 */
export async function connectBundle(source, { platform = "node", splitting = false } = {}) {
  const result = await build({
    stdin: { contents: source, resolveDir, loader: "js", sourcefile: "program.js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform,
    splitting,
    absWorkingDir: resolveDir,
    outdir: join(resolveDir, ".connect-bundle"), // never written: write is false
    write: false,
    logLevel: "silent",
    metafile: true,
  });
  // The metafile names outputs relative to absWorkingDir.
  const files = new Map(result.outputFiles.map((f) => [relative(resolveDir, f.path), f.contents]));
  const outputs = result.metafile.outputs;
  const erasIn = (out) => [...new Set(Object.entries(outputs[out].inputs).filter(([, v]) => v.bytesInOutput > 0).map(([i]) => eraOf(i)).filter(Boolean))];
  const size = (names) => {
    const bytes = Buffer.concat(names.map((n) => files.get(n)));
    return { min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  };
  const all = Object.keys(outputs);
  const entry = all.find((o) => outputs[o].entryPoint);
  // What loading `start` brings in: its static imports, recursively.
  const load = (start, seen = new Set()) => {
    if (seen.has(start)) return seen;
    seen.add(start);
    for (const i of outputs[start].imports) if (i.kind === "import-statement") load(i.path, seen);
    return seen;
  };
  const loaded = load(entry);
  const eraChunk = all.find((o) => o !== entry && erasIn(o).length === 1 && erasIn(o)[0] === "ghes-2022-11-28");
  if (eraChunk) load(eraChunk, loaded);
  return {
    files: all.length,
    total: size(all),
    eras: [...new Set(all.flatMap(erasIn))].sort(),
    loaded: { ...size([...loaded]), eras: [...new Set([...loaded].flatMap(erasIn))].sort() },
  };
}

export async function connectBundles() {
  const rows = [];
  for (const [name, source] of Object.entries(connectPrograms)) {
    for (const splitting of [false, true]) rows.push({ name, splitting, ...(await connectBundle(source, { splitting })) });
  }
  return rows;
}

const kB = ({ min, gzip }) => `${(min / 1000).toFixed(1)} kB / ${(gzip / 1000).toFixed(2)} kB`;

export function connectTable(rows) {
  const lines = ["| program | esbuild | eras in the output | all files min / gzip | loaded for a 3.9+ server min / gzip |", "|---|---|---|---|---|"];
  for (const r of rows) {
    lines.push(`| ${r.name} | ${r.splitting ? `--splitting (${r.files} files)` : "one file"} | ${r.eras.join(", ")} | ${kB(r.total)} | ${kB(r.loaded)} |`);
  }
  return lines.join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await connectBundles();
  // --json: for bench/run.mjs's section (i); otherwise the table.
  process.stdout.write(process.argv.includes("--json") ? JSON.stringify(rows) : `${connectTable(rows)}\n`);
}
