// `npm run new-era` in a temporary copy of the repository: the era it makes builds and its `npm test` passes,
// untouched. The copy has the repository's files (tracked and new) and its built packages; node_modules is
// linked to this checkout's (external packages) and to the copy's own workspaces (@ghes-sdk/*), which is
// what `npm install` would do after new-era — so only core (whose era list changed) and the new era build.
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { REPO_ROOT } from "./support/specs.js";

const NAME = "ghes-2099-01-01";
const work = mkdtempSync(join(tmpdir(), "ghes-sdk-new-era-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const { FORCE_COLOR: _color, ...env } = process.env;
const run = (command: string, args: string[], cwd = work): SpawnSyncReturns<string> =>
  spawnSync(command, args, { cwd, encoding: "utf8", env: { ...env, NO_COLOR: "1", TURBO_TELEMETRY_DISABLED: "1", npm_config_update_notifier: "false" } });
const ok = (result: SpawnSyncReturns<string>) => expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);

function copyRepository(): void {
  const listed = run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], REPO_ROOT);
  ok(listed);
  for (const file of listed.stdout.split("\0").filter(Boolean)) {
    if (!existsSync(join(REPO_ROOT, file))) continue;
    mkdirSync(dirname(join(work, file)), { recursive: true });
    cpSync(join(REPO_ROOT, file), join(work, file));
  }
  const workspaces = readdirSync(join(REPO_ROOT, "packages"));
  for (const pkg of workspaces) {
    // Built outputs (not committed), so only what new-era changes is built again.
    for (const built of ["dist", "openapi.json", "src/generated"]) {
      const from = join(REPO_ROOT, "packages", pkg, built);
      if (existsSync(from)) cpSync(from, join(work, "packages", pkg, built), { recursive: true });
    }
    const nested = join(REPO_ROOT, "packages", pkg, "node_modules");
    if (existsSync(nested)) symlinkSync(nested, join(work, "packages", pkg, "node_modules"), "dir");
  }
  mkdirSync(join(work, "node_modules", "@ghes-sdk"), { recursive: true });
  for (const entry of readdirSync(join(REPO_ROOT, "node_modules"))) {
    if (entry !== "@ghes-sdk") symlinkSync(join(REPO_ROOT, "node_modules", entry), join(work, "node_modules", entry));
  }
  for (const pkg of workspaces) symlinkSync(`../../packages/${pkg}`, join(work, "node_modules", "@ghes-sdk", pkg), "dir");
}

it("makes an era whose npm test passes, and lists it everywhere the eras are listed", () => {
  const started = performance.now();
  copyRepository();
  const copied = performance.now();

  const created = run(process.execPath, ["scripts/new-era.mjs", NAME, "--from", "ghes-2022-11-28", "--first", "3.23", "--api-version", "2099-01-01"]);
  ok(created);
  expect(created.stdout).toContain(`new-era: created ${NAME} (GHES 3.23 and later (REST API version 2099-01-01)) from ghes-2022-11-28`);
  const made = performance.now();
  // npm ci would install it: the lockfile has the new workspace and its link.
  const lock = JSON.parse(readFileSync(join(work, "package-lock.json"), "utf8"));
  expect(lock.packages[`packages/${NAME}`]).toMatchObject({ name: `@ghes-sdk/${NAME}`, version: "0.0.0" });
  expect(lock.packages[`node_modules/@ghes-sdk/${NAME}`]).toEqual({ resolved: `packages/${NAME}`, link: true });
  symlinkSync(`../../packages/${NAME}`, join(work, "node_modules", "@ghes-sdk", NAME), "dir");

  const read = (file: string) => readFileSync(join(work, file), "utf8");
  expect(read("packages/core/src/eras.ts")).toContain(`"apiVersion": "2099-01-01"`);
  expect(read("README.md")).toContain(`| 2099-01-01 | 3.23 and later (REST API version 2099-01-01) | [\`@ghes-sdk/${NAME}\`](packages/${NAME}) | [\`openapi/${NAME}\`](openapi/${NAME}) | `);
  expect(read("openapi/README.md")).toContain(`| \`${NAME}/\` | 3.23 and later (REST API version 2099-01-01) |`);
  expect(read("packages/auth/README.md")).toContain(`\`@ghes-sdk/ghes-2026-03-10\`, \`@ghes-sdk/${NAME}\`)`);
  expect(read(`docs/eras/${NAME}.md`)).toContain(`\`X-GitHub-Api-Version: 2099-01-01\``);
  expect(read(`.changeset/${NAME}.md`)).toContain(`"@ghes-sdk/${NAME}": minor`);
  expect(read("redocly.yaml")).toContain(`  ${NAME}:\n    root: openapi/${NAME}/openapi.yaml`);
  expect(read(`openapi/${NAME}/openapi.yaml`)).toMatch(/x-ghes-first: "3\.23"/);
  // Its tests start emulators: their timeout is for a loaded machine, not vitest's 5 s.
  expect(read(`packages/${NAME}/vitest.config.ts`)).toContain("testTimeout: 60_000");
  expect(JSON.parse(read("packages/emulator/package.json")).dependencies[`@ghes-sdk/${NAME}`]).toBe("^0.0.0");
  expect(read("packages/cli/src/connect.ts")).toContain(`  "${NAME}": ghes20990101.createClient as unknown as`);
  expect(JSON.parse(read("packages/connect/package.json")).dependencies[`@ghes-sdk/${NAME}`]).toBe("^0.0.0");
  expect(read("packages/connect/src/eras.ts")).toContain(`  "${NAME}": () => import("@ghes-sdk/${NAME}"),\n`);

  // The era package as a contributor would run it: build core (its era list changed), generate, build, npm test.
  ok(run("npm", ["run", "build", "-w", "@ghes-sdk/core"]));
  for (const script of ["generate", "build"]) ok(run("npm", ["run", script], join(work, "packages", NAME)));
  // connect's table has every era of core's list, or it does not compile.
  ok(run("npm", ["run", "build", "-w", "@ghes-sdk/connect"]));
  // The CLI's createClient table has it too, and compiles.
  ok(run(process.execPath, [join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "packages/cli/tsconfig.build.json", "--noEmit"]));
  const built = performance.now();
  const tested = run("npm", ["test"], join(work, "packages", NAME));
  ok(tested);
  expect(tested.stdout).toMatch(/Tests\s+2 passed/);
  const header = JSON.parse(read(`packages/${NAME}/openapi.json`)).components.parameters["api-version"];
  expect(header.schema.enum).toEqual(["2099-01-01"]);

  // Running it again is refused, naming the era; nothing else is touched.
  const again = run(process.execPath, ["scripts/new-era.mjs", NAME, "--from", "ghes-2022-11-28", "--api-version", "2099-01-01"]);
  expect(again.status).toBe(2);
  expect(again.stderr).toContain(`new-era: era ${NAME} exists already`);

  const s = (a: number, b: number) => `${((b - a) / 1000).toFixed(1)} s`;
  console.log(`new-era in a copy: copy ${s(started, copied)}, new-era ${s(copied, made)}, build ${s(made, built)}, npm test ${s(built, performance.now())}`);
}, 600_000);
