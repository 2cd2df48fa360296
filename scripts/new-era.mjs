// npm run new-era -- <name> --from <era> [--first <x.y>] [--last <x.y>] [--api-version <yyyy-mm-dd>]
//
// Creates an era that builds and passes its tests as it is: the spec folder (a copy of --from's, with its
// own info and X-GitHub-Api-Version), the package packages/<name>/ (--from's, names rewritten, plus a test
// against the emulator), its redocly entry, the emulator's, CLI's and conformance's dependency on it, core's
// era list (packages/core/src/eras.ts, from every spec's info), the README and docs rows and lists of eras,
// a docs page and a changeset; then `npm install --package-lock-only --ignore-scripts` so `npm ci` works.
// Nothing is written until every argument has been checked.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import yaml from "js-yaml";
import { eras, repoRoot } from "./eras.mjs";

const USAGE = "usage: npm run new-era -- <name> --from <era> [--first <x.y>] [--last <x.y>] [--api-version <yyyy-mm-dd>]";

export class NewEraError extends Error {}
const fail = (message) => {
  throw new NewEraError(`new-era: ${message}`);
};

const VERSION = /^(\d+)\.(\d+)$/;
const cmp = (a, b) => {
  const [, am, an] = VERSION.exec(a);
  const [, bm, bn] = VERSION.exec(b);
  return Number(am) - Number(bm) || Number(an) - Number(bn);
};
/** `ghes-2026-03-10` → `2026-03-10` (the convention of openapi/README.md: such an era sends that API version). */
const apiVersionOf = (era) => /^ghes-(\d{4}-\d{2}-\d{2})$/.exec(era)?.[1];
const isDate = (value) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
};

/** The spec root's info of an era (what core's era list and the docs rows are made from). */
const infoOf = (root, era) => yaml.load(readFileSync(join(root, "openapi", era, "openapi.yaml"), "utf8")).info;

/** Checks the arguments against the repository; returns the plan, or throws a NewEraError naming the problem and the fix. */
export function plan(argv, root = repoRoot, known = eras) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { from: { type: "string" }, first: { type: "string" }, last: { type: "string" }, "api-version": { type: "string" } },
    });
  } catch (error) {
    fail(`${error.message}\n${USAGE}`);
  }
  const { positionals, values } = parsed;
  if (positionals.length !== 1) fail(`give exactly one era name, e.g. ghes-2026-03-10\n${USAGE}`);
  const name = positionals[0];
  if (!/^ghes-[a-z0-9][a-z0-9.-]*$/.test(name) || name.endsWith(".") || name.endsWith("-")) {
    fail(`"${name}" is not an era name: use ghes- and lower-case letters, digits, dots or dashes, e.g. ghes-2026-03-10`);
  }
  if (known.includes(name) || existsSync(join(root, "openapi", name)) || existsSync(join(root, "packages", name))) {
    fail(`era ${name} exists already (openapi/${name} or packages/${name}); pick another name`);
  }
  const from = values.from;
  if (!from) fail(`--from is required: the era to copy, one of ${known.join(", ")}`);
  if (!known.includes(from)) fail(`--from ${from} is not an era; use one of ${known.join(", ")}`);
  const fromInfo = infoOf(root, from);
  const fromApi = apiVersionOf(from);
  for (const option of ["first", "last"]) {
    if (values[option] !== undefined && !VERSION.test(values[option])) fail(`--${option} ${values[option]} is not a GHES feature release: write it as major.minor, e.g. 3.21`);
  }
  const first = values.first ?? String(fromInfo["x-ghes-first"]);
  const last = values.last;
  if (last && cmp(last, first) < 0) fail(`--last ${last} is before --first ${first}`);
  const nameApi = apiVersionOf(name);
  const apiVersion = values["api-version"] ?? nameApi;
  if (apiVersion !== undefined && !isDate(apiVersion)) fail(`--api-version ${apiVersion} is not a date: write the REST API version as yyyy-mm-dd, e.g. 2026-03-10`);
  if (nameApi && apiVersion !== nameApi) fail(`--api-version ${apiVersion} does not match the era's name ${name}: an era named after a REST API version sends that version`);
  if (apiVersion && !fromApi) fail(`--from ${from} sends no X-GitHub-Api-Version; copy an era that does (e.g. ghes-2022-11-28) for an era with --api-version`);
  if (!apiVersion && fromApi) fail(`--from ${from} sends X-GitHub-Api-Version ${fromApi}: give the new era's with --api-version yyyy-mm-dd`);
  return { root, name, from, first, last, apiVersion, fromApi, fromInfo };
}

/** "3.21 and later (REST API version 2026-03-10)", "3.0 – 3.8": an era's range as the READMEs write it. */
export const rangeText = ({ first, last, apiVersion }) =>
  `${last ? `${first} – ${last}` : `${first} and later`}${apiVersion ? ` (REST API version ${apiVersion})` : ""}`;

const fromRange = (p) => ({
  first: String(p.fromInfo["x-ghes-first"]),
  last: p.fromInfo["x-ghes-last"] === undefined ? undefined : String(p.fromInfo["x-ghes-last"]),
  apiVersion: p.fromApi,
});

/** Rewrites --from's names (and its API version, and its range sentence) into the new era's. */
function rename(p, text) {
  let out = text.split(p.from).join(p.name);
  const oldRange = rangeText(fromRange(p));
  out = out.split(oldRange).join(rangeText(p));
  if (p.fromApi && p.apiVersion) out = out.split(p.fromApi).join(p.apiVersion);
  const old = fromRange(p);
  if (!old.last) {
    // "GHES 3.9+" and "GHES 3.9 and later", the open era's range in prose.
    const now = p.last ? `${p.first} to ${p.last}` : `${p.first} and later`;
    const at = (suffix) => new RegExp(`(?<![\\d.])${old.first.replace(".", "\\.")}${suffix}`, "g");
    out = out.replace(at("\\+"), p.last ? `${p.first}–${p.last}` : `${p.first}+`).replace(at(" and later"), now);
  }
  return out;
}

const write = (p, file, text, done) => {
  writeFileSync(join(p.root, file), text);
  done.push(file);
};
const edit = (p, file, change, done) => {
  const path = join(p.root, file);
  if (!existsSync(path)) return;
  const before = readFileSync(path, "utf8");
  const after = change(before);
  if (after !== before) write(p, file, after, done);
};

// ---- the spec

function createSpec(p, done) {
  const dir = join("openapi", p.name);
  cpSync(join(p.root, "openapi", p.from), join(p.root, dir), { recursive: true });
  done.push(`${dir}/`);
  const root = join(dir, "openapi.yaml");
  const range = rangeText(p);
  edit(p, root, (text) => {
    const info = /^info:\n((?: {2}.*\n|\n)*)/m.exec(text);
    if (!info) fail(`${root} has no info block`);
    let block = info[1]
      .replace(/^( {2}version: ).*$/m, `$1"${p.name}"`)
      .replace(/^ {2}x-ghes-last: .*\n/m, "")
      .replace(/^( {2}x-ghes-first: ).*$/m, `$1"${p.first}"${p.last ? `\n  x-ghes-last: "${p.last}"` : ""}`);
    block = rename(p, block).replace(/^( {2}description: \|\n)/m, `$1    Created by \`npm run new-era\` from ${p.from}: its operations and schemas are that era's until edited.\n`);
    return text.replace(info[1], block);
  }, done);
  // The X-GitHub-Api-Version parameter: the one value this era sends.
  for (const file of findFiles(p.root, join(dir, "components", "parameters"))) {
    edit(p, file, (text) => {
      const param = yaml.load(text);
      if (String(param?.name).toLowerCase() !== "x-github-api-version") return text;
      return `name: ${param.name}\nin: header\ndescription: |\n  The REST API version. GHES ${p.last ? `${p.first} to ${p.last}` : `${p.first} and later`} serve version \`${p.apiVersion}\`${
        p.first === String(p.fromInfo["x-ghes-first"]) ? "" : ` (next to ${p.fromApi}, which requests without the header get)`
      }; this era's client sends it with every request.\nschema:\n  type: string\n  enum:\n    - "${p.apiVersion}"\n  default: "${p.apiVersion}"\n`;
    }, done);
  }
  // Where the spec deliberately differs from GitHub's descriptions: the same spec, the same differences
  // (the drift test fails for an entry that no longer occurs, so the list stays true as the era changes).
  const differences = join("openapi", "facts", `${p.from}.differences.yaml`);
  if (existsSync(join(p.root, differences))) {
    write(p, join("openapi", "facts", `${p.name}.differences.yaml`), `# Copied from ${p.from}'s by npm run new-era.\n${readFileSync(join(p.root, differences), "utf8")}`, done);
  }
  edit(p, "redocly.yaml", (text) => {
    const entry = new RegExp(`^( {2}${p.from.replace(/\./g, "\\.")}:\n {4}root: .*\n)`, "m");
    if (!entry.test(text)) fail(`redocly.yaml has no entry for ${p.from} to copy`);
    return text.replace(entry, `$1  ${p.name}:\n    root: openapi/${p.name}/openapi.yaml\n`);
  }, done);
}

function findFiles(root, dir) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile())
    .map((d) => relative(root, join(d.parentPath ?? d.path, d.name)));
}

// ---- the package

/** The test every era package gets: the client against the emulator at both ends of the era's range. */
function eraTest(p) {
  return `// Written by \`npm run new-era\`: ${p.name}'s client against the emulator at the GHES versions the era serves —
// the headers it sends, an App's JWT, an installation token and a list, and core's era list naming it.
import { readFileSync } from "node:fs";
import { appAuth, installationAuth } from "@ghes-sdk/auth";
import { eraRanges } from "@ghes-sdk/core";
import { startEmulator, type Emulator } from "@ghes-sdk/emulator";
import { afterAll, describe, expect, it } from "vitest";
import { createClient, definition, operationTable } from "../src/index.js";

const spec = JSON.parse(readFileSync(new URL("../openapi.json", import.meta.url), "utf8"));
const first: string = spec.info["x-ghes-first"];
const last: string | undefined = spec.info["x-ghes-last"];

it("is in core's era list with its spec's range", () => {
  expect(eraRanges.find((range) => range.era === definition.name)).toMatchObject({ packageName: "@ghes-sdk/${p.name}", since: first, ...(last ? { until: last } : {}) });
  expect(Object.keys(operationTable).length).toBeGreaterThan(0);
});

describe.each([...new Set([first, last ?? first])])("against an emulated GHES %s", (version) => {
  let ghes: Emulator;
  afterAll(() => ghes?.close());

  it("authenticates as the App, mints an installation token and lists its repositories, with the era's headers", async () => {
    ghes = await startEmulator({ era: definition.name, ghesVersion: version });
    const app = ghes.state.createApp({ name: "new-era check" });
    const owner = ghes.state.createOrganization("new-era-org");
    const repo = ghes.state.createRepository({ owner: owner.login, name: "hello" });
    const installation = ghes.state.createInstallation({ appId: app.id, account: owner.login, repositoryIds: [repo.id] });
    const sent: Headers[] = [];
    const fetch = (request: Request) => {
      sent.push(request.headers);
      return globalThis.fetch(request);
    };
    const asApp = createClient({ baseUrl: ghes.baseUrl, fetch, auth: appAuth({ appId: app.id, privateKey: app.privateKeyPem }) });
    const me = await asApp.GET("/app");
    expect(me.response.status).toBe(200);
    expect(me.data?.id).toBe(app.id);
    for (const [name, value] of Object.entries(definition.defaultHeaders)) expect(sent[0]!.get(name)).toBe(value);

    const github = createClient({ baseUrl: ghes.baseUrl, fetch, auth: installationAuth({ appId: app.id, privateKey: app.privateKeyPem, installationId: installation.id }) });
    const repos = await github.GET("/installation/repositories");
    expect(repos.response.status).toBe(200);
    expect(repos.data?.repositories.map((r) => r.full_name)).toEqual([\`\${owner.login}/hello\`]);
    // Answered by this era (from GHES 3.21 on, the X-GitHub-Api-Version sent chooses it), valid against its spec.
    expect(ghes.served.map((s) => s.era)).toEqual(ghes.served.map(() => definition.name));
    expect(ghes.violations).toEqual([]);
  });
});
`;
}

function createPackage(p, done) {
  const from = join(p.root, "packages", p.from);
  const dir = join("packages", p.name);
  mkdirSync(join(p.root, dir, "src"), { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (["node_modules", "dist", "openapi.json", "CHANGELOG.md", ".turbo"].includes(entry.name)) continue;
    if (entry.isDirectory() && entry.name !== "src" && entry.name !== "test") continue;
    if (entry.isDirectory()) {
      for (const file of findFiles(from, entry.name)) {
        if (file.startsWith(join("src", "generated"))) continue;
        mkdirSync(join(p.root, dir, file, ".."), { recursive: true });
        write(p, join(dir, file), rename(p, readFileSync(join(from, file), "utf8")), done);
      }
    } else write(p, join(dir, entry.name), rename(p, readFileSync(join(from, entry.name), "utf8")), done);
  }
  // package.json: a new package, with the test script and the test's workspace tools.
  const pkgFile = join(dir, "package.json");
  const pkg = JSON.parse(readFileSync(join(p.root, pkgFile), "utf8"));
  pkg.version = "0.0.0";
  pkg.scripts = { ...pkg.scripts, test: "tsc -p tsconfig.json --noEmit && vitest run" };
  write(p, pkgFile, `${JSON.stringify(pkg, null, 2)}\n`, done);
  // turbo: the test runs the emulator and auth (workspace packages that depend on this one or on its
  // siblings, so they are task dependencies, not package dependencies: no cycle).
  const turboFile = join(dir, "turbo.json");
  const turbo = JSON.parse(readFileSync(join(p.root, turboFile), "utf8"));
  turbo.tasks.test = {
    dependsOn: ["build", "@ghes-sdk/emulator#build", "@ghes-sdk/auth#build"],
    inputs: ["src/**", "!src/generated/**", "test/**", "tsconfig.json", "package.json", "vitest.config.*"],
    outputs: [],
  };
  write(p, turboFile, `${JSON.stringify(turbo, null, 2)}\n`, done);
  const testFile = join(dir, "test", "era.test.ts");
  if (!existsSync(join(p.root, testFile))) {
    mkdirSync(join(p.root, dir, "test"), { recursive: true });
    write(p, testFile, eraTest(p), done);
  }
  // The test starts emulators: on a loaded 2-core machine that takes longer than vitest's 5 s default.
  const configFile = join(dir, "vitest.config.ts");
  if (!existsSync(join(p.root, configFile))) write(p, configFile, VITEST_CONFIG, done);
}

const VITEST_CONFIG = `import { defineConfig } from "vitest/config";

// The tests start emulators on 127.0.0.1; on a shared 2-core machine under load that takes longer than
// vitest's 5 s default. They wait for events, never for a time.
export default defineConfig({
  test: { testTimeout: 60_000, hookTimeout: 60_000 },
});
`;

// ---- the packages that know every era

function addDependency(p, file, field, version, done) {
  edit(p, file, (text) => {
    const pkg = JSON.parse(text);
    if (!pkg[field]?.[`@ghes-sdk/${p.from}`]) return text;
    const spec = pkg[field][`@ghes-sdk/${p.from}`].startsWith("^") ? `^${version}` : version;
    pkg[field] = Object.fromEntries(Object.entries({ ...pkg[field], [`@ghes-sdk/${p.name}`]: spec }).sort(([a], [b]) => a.localeCompare(b)));
    return `${JSON.stringify(pkg, null, 2)}\n`;
  }, done);
}

function wireDependents(p, done) {
  // The emulator serves every era from its bundled spec; the CLI creates any era's client; conformance checks them all.
  addDependency(p, "packages/emulator/package.json", "dependencies", "0.0.0", done);
  addDependency(p, "packages/cli/package.json", "dependencies", "0.0.0", done);
  addDependency(p, "packages/conformance/package.json", "devDependencies", "0.0.0", done);
  // The CLI's table of createClient functions, one import per era.
  const id = (era) => era.replace(/[^a-zA-Z0-9]/g, "");
  edit(p, "packages/cli/src/connect.ts", (text) => {
    const importLine = new RegExp(`^import \\* as (\\w+) from "@ghes-sdk/${p.from.replace(/\./g, "\\.")}";$`, "m");
    const m = importLine.exec(text);
    if (!m) return text;
    const alias = `ghes${id(p.name.slice(5))}`;
    const entry = new RegExp(`^( {2}"${p.from.replace(/\./g, "\\.")}": .*\n)`, "m");
    return text
      .replace(importLine, `${m[0]}\nimport * as ${alias} from "@ghes-sdk/${p.name}";`)
      .replace(entry, `$1  "${p.name}": ${alias}.createClient as unknown as (options: EraOptions) => EraClient,\n`);
  }, done);
  // @ghes-sdk/connect's table of era loaders, one row per era (it does not compile while an era lacks its row).
  addDependency(p, "packages/connect/package.json", "dependencies", "0.0.0", done);
  edit(p, "packages/connect/src/eras.ts", (text) => {
    const row = new RegExp(`^ {2}"${p.from.replace(/\./g, "\\.")}": \\(\\) => import\\("@ghes-sdk/${p.from.replace(/\./g, "\\.")}"\\),\n`, "m");
    return text.replace(row, (m) => `${m}  "${p.name}": () => import("@ghes-sdk/${p.name}"),\n`);
  }, done);
}

// ---- core's era list

async function writeEraList(p, done) {
  const { erasModule } = await import("./api.mjs");
  const all = [...eras, p.name];
  const specs = Object.fromEntries(all.map((era) => [era, { info: infoOf(p.root, era) }]));
  write(p, "packages/core/src/eras.ts", erasModule(specs), done);
}

// ---- READMEs and docs

/**
 * Extends every backticked list that names all `known` eras in order (`ghes-2.2x`, `ghes-3.x` and
 * `ghes-2022-11-28`; with or without `@ghes-sdk/`) with `name`: "a, b and c" → "a, b, c and name".
 */
export function extendEraLists(text, known, name) {
  const esc = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  const SEP = "(?:, and |, or |, | and | or |,\\s+| and\\s+| or\\s+)";
  // Every item alike: with or without @ghes-sdk/, and with the same entry point (`/webhooks`) or none.
  const first = `\`((?:@ghes-sdk/)?)${esc(known[0])}((?:/[\\w-]+)?)\``;
  const rest = known.slice(1).map((era) => `\`\\1${esc(era)}\\2\``);
  const source = [first, ...rest].join(SEP);
  return text.replace(new RegExp(source, "g"), (match, prefix, suffix, offset) => {
    const item = (era) => `\`${prefix}${era}${suffix}\``;
    // Already listed (a list extended before): leave it.
    if (new RegExp(`^${SEP}${esc(item(name))}`).test(text.slice(offset + match.length))) return match;
    const lastItem = item(known.at(-1));
    const before = match.slice(0, match.lastIndexOf(lastItem));
    const finalSep = /(, and |, or |, | and | or |,\s+| and\s+| or\s+)$/.exec(before)?.[1] ?? ", ";
    if (/^,\s+$/.test(finalSep)) return `${match}, ${item(name)}`;
    return `${before.slice(0, -finalSep.length)}, ${lastItem}${finalSep}${item(name)}`;
  });
}

/** The eras oldest first (by their first GHES version, then name), as the READMEs list them. */
const byRange = (root, known) =>
  [...known].sort((a, b) => cmp(String(infoOf(root, a)["x-ghes-first"]), String(infoOf(root, b)["x-ghes-first"])) || a.localeCompare(b));

function docsRows(p, done) {
  const ops = findFiles(p.root, join("openapi", p.name, "paths")).reduce((n, f) => n + (readFileSync(join(p.root, f), "utf8").match(/^ {2}operationId:/gm) ?? []).length, 0);
  const short = p.name.replace(/^ghes-/, "");
  // The root README's packages table: after the last era row.
  edit(p, "README.md", (text) => {
    const lines = text.split("\n");
    const fromRow = lines.findIndex((l) => l.startsWith("| ") && l.includes(`[\`@ghes-sdk/${p.from}\`]`));
    if (fromRow < 0) return text;
    const lastEra = lines.reduce((at, l, i) => (l.startsWith("| ") && /\[`@ghes-sdk\/ghes-[^`]+`\]\(packages\/ghes-/.test(l) ? i : at), fromRow);
    const row = `| ${short} | ${rangeText(p)} | [\`@ghes-sdk/${p.name}\`](packages/${p.name}) | [\`openapi/${p.name}\`](openapi/${p.name}) | ${ops} |`;
    lines.splice(lastEra + 1, 0, row);
    return lines.join("\n");
  }, done);
  edit(p, "openapi/README.md", (text) => {
    const lines = text.split("\n");
    const fromRow = lines.findIndex((l) => l.startsWith(`| \`${p.from}/\``));
    if (fromRow < 0) return text;
    const lastEra = lines.reduce((at, l, i) => (/^\| `ghes-[^`]+\/` \|/.test(l) ? i : at), fromRow);
    lines.splice(lastEra + 1, 0, `| \`${p.name}/\` | ${rangeText(p)} | created from \`${p.from}/\` by \`npm run new-era\`; GHES ${p.first}+ REST pages |`);
    return lines.join("\n");
  }, done);
  // Every README and docs page that lists the eras.
  const ordered = byRange(p.root, eras);
  const pages = ["README.md", "CONTRIBUTING.md", "openapi/README.md", ...findFiles(p.root, "docs").filter((f) => f.endsWith(".md")), ...readdirSync(join(p.root, "packages")).map((d) => `packages/${d}/README.md`)];
  for (const page of pages) if (!page.startsWith(`packages/${p.name}/`)) edit(p, page, (text) => extendEraLists(text, ordered, p.name), done);
  // The era's docs page.
  mkdirSync(join(p.root, "docs", "eras"), { recursive: true });
  write(p, `docs/eras/${p.name}.md`, eraPage(p, ops), done);
}

function eraPage(p, ops) {
  return `# ${p.name}

[\`@ghes-sdk/${p.name}\`](../../packages/${p.name}) — GitHub Enterprise Server ${rangeText(p)}; spec in
[\`openapi/${p.name}\`](../../openapi/${p.name}), ${ops} operations.

${p.apiVersion ? `Every request sends \`X-GitHub-Api-Version: ${p.apiVersion}\`. ` : ""}The era was created with
\`npm run new-era -- ${p.name} --from ${p.from} --first ${p.first}${p.last ? ` --last ${p.last}` : ""}${p.apiVersion ? ` --api-version ${p.apiVersion}` : ""}\`:
its operations and schemas start as \`${p.from}\`'s. What it changes from \`${p.from}\` is listed here as the spec
learns it.

## Differences from ${p.from}

- The GHES versions it serves: ${rangeText(p)}.
${p.apiVersion ? `- The \`X-GitHub-Api-Version\` it sends: \`${p.apiVersion}\` (${p.from} sends \`${p.fromApi}\`).\n` : ""}
## Install

\`\`\`sh
npm install @ghes-sdk/${p.name} @ghes-sdk/auth
\`\`\`

The [repository README](../../README.md) shows the client, and [openapi/COMPATIBILITY.md](../../openapi/COMPATIBILITY.md)
which GHES version serves what.
`;
}

function changeset(p, done) {
  // The new package, and every published package whose code or manifest new-era changed (core's era list,
  // the emulator's, CLI's and connect's dependency on the era; README lists need no release): minor.
  const touched = [...new Set(done.filter((f) => !f.endsWith("README.md")).map((f) => /^packages\/([^/]+)\//.exec(f)?.[1]).filter(Boolean))];
  const published = touched
    .map((dir) => JSON.parse(readFileSync(join(p.root, "packages", dir, "package.json"), "utf8")))
    .filter((pkg) => !pkg.private)
    .map((pkg) => pkg.name)
    .sort((a, b) => (a === `@ghes-sdk/${p.name}` ? -1 : b === `@ghes-sdk/${p.name}` ? 1 : a.localeCompare(b)));
  const text = `---
${published.map((name) => `"${name}": minor`).join("\n")}
---

New era \`@ghes-sdk/${p.name}\`: GHES ${rangeText(p)}${p.apiVersion ? `, sending \`X-GitHub-Api-Version: ${p.apiVersion}\`` : ""} (created from ${p.from}); core's era list, the emulator, the CLI and connect serve it.
`;
  write(p, `.changeset/${p.name}.md`, text, done);
}

export async function newEra(argv, { root = repoRoot, install = true, log = console.log } = {}) {
  const p = plan(argv, root);
  const done = [];
  createSpec(p, done);
  createPackage(p, done);
  wireDependents(p, done);
  await writeEraList(p, done);
  docsRows(p, done);
  changeset(p, done);
  if (install) {
    const run = spawnSync("npm", ["install", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund"], { cwd: root, encoding: "utf8" });
    if (run.status !== 0) fail(`npm install --package-lock-only failed:\n${run.stderr}`);
    done.push("package-lock.json");
  }
  log(`new-era: created ${p.name} (GHES ${rangeText(p)}) from ${p.from}. Wrote:\n${[...new Set(done)].map((f) => `  ${f}`).join("\n")}`);
  log(
    `Next: npm install (links the new workspace), npx turbo run test --filter=@ghes-sdk/${p.name}, npm run matrix; then edit openapi/${p.name}/ for what the era changes, and give it facts, drift figures and request cases (openapi/README.md, "Adding an era").`,
  );
  return p;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop())) {
  try {
    await newEra(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof NewEraError)) throw error;
    console.error(error.message);
    process.exitCode = 2;
  }
}
