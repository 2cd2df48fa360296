// Runs the CLI as a user would: the packed tarballs of @ghes-sdk/cli and the packages it depends on,
// installed into a fresh project (test/.project) — once, before every test file.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../../../", import.meta.url));
const project = fileURLToPath(new URL("../.project/", import.meta.url));
// The CLI's own @ghes-sdk dependencies (core, auth, every era package) and what the era packages depend on.
const cli = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { dependencies: Record<string, string> };
const PACKAGES = [...new Set([...Object.keys(cli.dependencies).filter((name) => name.startsWith("@ghes-sdk/")), "@ghes-sdk/webhooks", "@ghes-sdk/cli"])];

export default function setup(): void {
  rmSync(project, { recursive: true, force: true });
  mkdirSync(`${project}tarballs`, { recursive: true });
  const npm = (args: string[], cwd: string) => execFileSync("npm", args, { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_update_notifier: "false" } });
  npm(["pack", ...PACKAGES.flatMap((p) => ["--workspace", p]), "--pack-destination", `${project}tarballs`, "--silent"], root);
  writeFileSync(`${project}package.json`, JSON.stringify({ name: "fresh-project", private: true, type: "module" }));
  const tarballs = readdirSync(`${project}tarballs`).map((f) => `./tarballs/${f}`);
  // --offline: what the tarballs need from the registry (openapi-fetch, undici) is in npm's cache after npm ci.
  npm(["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", ...tarballs], project);
}
