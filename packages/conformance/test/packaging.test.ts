// What npm would publish: publint (strict) and arethetypeswrong find no problem in any public package, each
// tarball ships what the package exports (and LICENSE, README), no source map without its sources, and the
// metadata a registry page needs: repository with directory, absolute README links, access public.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "./support/specs.js";

const ROOT_PKG = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8"));
const REPO_URL = ROOT_PKG.repository.url.replace(/^git\+/, "").replace(/\.git$/, "");
const PUBLIC = readdirSync(join(REPO_ROOT, "packages")).filter((dir) => {
  const file = join(REPO_ROOT, "packages", dir, "package.json");
  return existsSync(file) && !JSON.parse(readFileSync(file, "utf8")).private;
});

it("the public packages are the ones the README lists", () => {
  expect(PUBLIC.sort()).toEqual(expect.arrayContaining(["auth", "core", "ghes-2.2x", "ghes-2022-11-28", "ghes-3.x"]));
});

// Pack every public package once, as `npm publish` would (prepack included), with one npm process.
let packDir: string;
const tarballs = new Map<string, { filename: string; files: string[] }>();
beforeAll(() => {
  packDir = mkdtempSync(join(tmpdir(), "ghes-sdk-pack-"));
  const names = PUBLIC.map((dir) => JSON.parse(readFileSync(join(REPO_ROOT, "packages", dir, "package.json"), "utf8")).name);
  const pack = spawnSync("npm", ["pack", "--json", "--pack-destination", packDir, ...names.flatMap((n) => ["--workspace", n])], {
    cwd: REPO_ROOT,
    encoding: "utf8",
  });
  if (pack.status !== 0) throw new Error(`npm pack failed:\n${pack.stderr}`);
  for (const entry of JSON.parse(pack.stdout)) {
    tarballs.set(entry.name, { filename: join(packDir, entry.filename), files: entry.files.map((f: { path: string }) => f.path) });
  }
}, 120_000);
afterAll(() => rmSync(packDir, { recursive: true, force: true }));

/** Every file path an `exports` map points at. */
const exported = (exports: unknown): string[] =>
  typeof exports === "string" ? [exports.replace(/^\.\//, "")] : Object.values(exports ?? {}).flatMap(exported);

describe.each(PUBLIC)("@ghes-sdk/%s", (name) => {
  const dir = join(REPO_ROOT, "packages", name);
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const readme = readFileSync(join(dir, "README.md"), "utf8");

  it("passes publint (strict)", async () => {
    const { messages } = await publint({ pkgDir: dir, strict: true, level: "suggestion" });
    expect(messages.map((m) => formatMessage(m, pkg) ?? m.code)).toEqual([]);
  }, 30_000);

  it("passes arethetypeswrong (ESM-only profile: node16 from ESM and bundler)", async () => {
    const tarball = tarballs.get(pkg.name)!.filename;
    const attw = await new Promise<{ status: number | null; out: string }>((resolve) => {
      const child = spawn(join(REPO_ROOT, "node_modules", ".bin", "attw"), [tarball, "--profile", "esm-only", "--format", "ascii"]);
      let out = "";
      child.stdout.on("data", (c) => (out += c));
      child.stderr.on("data", (c) => (out += c));
      child.on("close", (status) => resolve({ status, out }));
    });
    expect(attw.status, attw.out).toBe(0);
  }, 120_000);

  it("publishes from an allowlist, ESM with types first and no side effects", () => {
    expect(pkg.files).toEqual(expect.arrayContaining(["dist", "README.md", "LICENSE"]));
    expect(pkg.type).toBe("module");
    expect(pkg.sideEffects).toBe(false);
    expect(Object.keys(pkg.exports["."])[0]).toBe("types");
    expect(pkg.engines.node).toBe(">=20.19");
  });

  it("has the metadata a registry page needs, and is published publicly", () => {
    expect(pkg.publishConfig).toEqual({ access: "public" });
    expect(pkg.repository).toEqual({ type: "git", url: ROOT_PKG.repository.url, directory: `packages/${name}` });
    expect(pkg.homepage).toBe(`${REPO_URL}/tree/main/packages/${name}#readme`);
    expect(pkg.bugs).toEqual({ url: `${REPO_URL}/issues` });
    expect(pkg.license).toBe("MIT");
    expect(readFileSync(join(dir, "LICENSE"), "utf8")).toBe(readFileSync(join(REPO_ROOT, "LICENSE"), "utf8"));
  });

  it("packs a build: prepack builds (or refuses) rather than packing an empty package", () => {
    expect(pkg.scripts.prepack).toBe("node ../../scripts/prepack.mjs");
  });

  it("depends on ranges a consumer can dedupe", () => {
    for (const [dep, range] of Object.entries({ ...pkg.dependencies, ...pkg.peerDependencies })) {
      expect(range, dep).toMatch(/^\^\d/);
    }
  });

  it("ships what it exports, LICENSE and README, and no source map without its sources", () => {
    const { files } = tarballs.get(pkg.name)!;
    expect(files).toEqual(expect.arrayContaining(["LICENSE", "README.md", "package.json", ...exported(pkg.exports)]));
    for (const js of files.filter((f) => f.endsWith(".js"))) expect(files, js).toContain(js.replace(/\.js$/, ".d.ts"));
    for (const map of files.filter((f) => f.endsWith(".map"))) {
      const { sources } = JSON.parse(readFileSync(join(dir, map), "utf8")) as { sources: string[] };
      for (const source of sources) expect(files, `${map} points at ${source}`).toContain(join(map, "..", source));
    }
    expect(files.filter((f) => /^(src|test|examples)\//.test(f))).toEqual([]);
  });

  it("says it is ESM-only and which module resolutions it supports", () => {
    expect(readme).toMatch(/ESM-only/);
    expect(readme).toMatch(/`moduleResolution`.*`nodenext`.*`bundler`/s);
  });

  it("links with absolute URLs (the README is also the registry page) to files that exist", () => {
    const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
    expect(links.filter((l) => !/^(https?:|mailto:|#)/.test(l))).toEqual([]);
    for (const link of links.filter((l) => l.startsWith(`${REPO_URL}/blob/main/`) || l.startsWith(`${REPO_URL}/tree/main/`))) {
      const path = link.replace(/^.*?\/(blob|tree)\/main\//, "").replace(/#.*$/, "");
      expect(existsSync(join(REPO_ROOT, path)), link).toBe(true);
    }
  });
});
