// The README's vitest example, as written: its two files are compiled with --strict and run by vitest in
// their own directory, importing the packages by name as a user would.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const pkg = fileURLToPath(new URL("../", import.meta.url));
const dir = fileURLToPath(new URL(".readme/", import.meta.url));
const bin = (name: string) => fileURLToPath(new URL(`../../../node_modules/.bin/${name}`, import.meta.url));
const readme = readFileSync(`${pkg}README.md`, "utf8");
const files = [...readme.matchAll(/<!-- readme: ([\w.-]+) -->\n```ts\n([\s\S]*?)```/g)].map((m) => [m[1]!, m[2]!] as const);

it("shows a user's code and its vitest test, the test in under 15 lines", () => {
  expect(files.map(([name]) => name)).toEqual(["my-code.ts", "my-code.test.ts", "versions.test.ts"]);
  const lines = files[1]![1].trimEnd().split("\n").filter((l) => l.trim() !== "");
  expect(lines.length).toBeLessThan(15);
});

it("compiles under --strict and passes, and fails when the user's code is wrong", () => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [name, code] of files) writeFileSync(`${dir}${name}`, code);
  const tsc = spawnSync(
    bin("tsc"),
    ["--strict", "--noEmit", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "--skipLibCheck", "--types", "node", ...files.map(([n]) => `${dir}${n}`)],
    { encoding: "utf8" },
  );
  expect(tsc.stdout + tsc.stderr).toBe("");
  const vitest = () => spawnSync(bin("vitest"), ["run", "--root", dir], { encoding: "utf8", cwd: dir, env: { ...process.env, CI: "1" } });
  const ok = vitest();
  expect(ok.status, ok.stdout + ok.stderr).toBe(0);
  expect(ok.stdout).toMatch(/2 passed/);
  // The same test against code that calls every token valid must fail: the emulator really revoked it.
  writeFileSync(`${dir}my-code.ts`, files[0]![1].replace("if (response.status === 404) return false;", ""));
  expect(vitest().status).toBe(1);
}, 120_000);
