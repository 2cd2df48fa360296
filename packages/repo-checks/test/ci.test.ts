// GitHub's CI does what .ci/run does: the same commands in the same order, in Debian as root (so the
// script's apt-get lines work as written), on the Node the workspace asks for, with turbo's cache kept.
// .ci/run is read at test time — a package another change adds there must reach ci.yml too.
import { readFileSync } from "node:fs";
import yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { rooted } from "./support.js";

const CI_RUN = ".ci/run";

/**
 * The simple commands a shell script runs, in order, one string each with its spacing normalised:
 * comments, `set`, `cd` and the keywords of `if`/`for` are left out (they steer, they run nothing the two
 * files could disagree on); `export NAME=value` is an environment variable, returned apart.
 * `run(.ci/run)` inside a workflow step stands for the script's own commands.
 */
export function commands(script: string, expand: (path: string) => string[] = () => []) {
  const out: string[] = [];
  const env: Record<string, string> = {};
  const lines = script.replace(/\\\n/g, " ").split("\n");
  for (const raw of lines) {
    const line = raw.replace(/\s+/g, " ").trim();
    if (!line || line.startsWith("#")) continue;
    for (const part of line.split(/\s*(?:&&|;)\s*/).filter(Boolean)) {
      const [word, ...rest] = part.split(" ");
      if (["set", "cd", "if", "then", "else", "elif", "fi", "for", "do", "done", "while", "}", "{"].includes(word!)) continue;
      if (word === "export") {
        for (const assignment of rest) {
          const [name, ...value] = assignment.split("=");
          env[name!] = value.join("=");
        }
        continue;
      }
      const script = /^(?:bash |sh |\.\/)?(\.ci\/run)$/.exec(part)?.[1];
      if (script) out.push(...expand(script));
      else out.push(part);
    }
  }
  return { commands: out, env };
}

const ciRun = commands(readFileSync(rooted(CI_RUN), "utf8"));
const workflow = yaml.load(readFileSync(rooted(".github/workflows/ci.yml"), "utf8")) as any;
const jobs = Object.values(workflow.jobs) as any[];

/** What the workflow's jobs run, in order, with a call of .ci/run replaced by its commands. */
function workflowCommands() {
  const out: string[] = [];
  const env: Record<string, string> = { ...workflow.env };
  for (const job of jobs) {
    Object.assign(env, job.env);
    for (const step of job.steps ?? []) {
      Object.assign(env, step.env);
      if (typeof step.run !== "string") continue;
      const found = commands(step.run, (path) => {
        Object.assign(env, commands(readFileSync(rooted(path), "utf8")).env);
        return commands(readFileSync(rooted(path), "utf8")).commands;
      });
      out.push(...found.commands);
      Object.assign(env, found.env);
    }
  }
  return { commands: out, env: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])) };
}

describe("reading a script", () => {
  it("keeps the commands in order and leaves out the shell's steering", () => {
    const script = [
      "#!/usr/bin/env bash",
      "set -euo pipefail",
      'cd "$(dirname "$0")/.."',
      "export TURBO_TELEMETRY_DISABLED=1",
      "if [ ! -x /usr/bin/redis-server ]; then",
      "  apt-get update -qq",
      "  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \\",
      "    chromium redis-server >/dev/null",
      "fi",
      "npm ci && npm test",
    ].join("\n");
    expect(commands(script)).toEqual({
      commands: ["apt-get update -qq", "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium redis-server >/dev/null", "npm ci", "npm test"],
      env: { TURBO_TELEMETRY_DISABLED: "1" },
    });
  });

  it("replaces a call of .ci/run by the script's commands", () => {
    expect(commands("echo a\nbash .ci/run\necho b", () => ["x", "y"]).commands).toEqual(["echo a", "x", "y", "echo b"]);
  });
});

describe("ci.yml", () => {
  it("runs the same commands as .ci/run, in the same order, with the same environment", () => {
    expect(ciRun.commands.length).toBeGreaterThan(0);
    const ours = workflowCommands();
    expect(ours.commands).toEqual(ciRun.commands);
    expect(ours.env).toMatchObject(ciRun.env);
  });

  it("ends with `npm ci` then the README's test command", () => {
    const readmeTest = /^(npm test) +#/m.exec(readFileSync(rooted("README.md"), "utf8"))?.[1];
    expect(readmeTest).toBe("npm test");
    expect(workflowCommands().commands.slice(-2)).toEqual(["npm ci", readmeTest]);
  });

  it("runs on pull requests and on pushes", () => {
    expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(["pull_request", "push"]));
  });

  it("runs in Debian as root, on a Node the workspace accepts", () => {
    const [job] = jobs;
    const image: string = typeof job.container === "string" ? job.container : job.container?.image;
    // The official Node images are Debian; root is their default user, so apt-get needs no sudo.
    const [, major, minor, debian] = /^node:(\d+)\.(\d+)\.\d+-(bookworm|trixie|bullseye)$/.exec(image ?? "") ?? [];
    expect(debian, `container ${image}`).toBeDefined();
    expect(job.container?.options ?? "").not.toMatch(/--user/);
    const engines = /^>=(\d+)\.(\d+)$/.exec(JSON.parse(readFileSync(rooted("package.json"), "utf8")).engines.node)!;
    expect(Number(major) * 1000 + Number(minor)).toBeGreaterThanOrEqual(Number(engines[1]) * 1000 + Number(engines[2]));
  });

  it("keeps turbo's cache between runs, restored before the tests run", () => {
    const steps: any[] = jobs[0].steps;
    const cache = steps.findIndex((s) => /^actions\/cache(\/restore)?@/.test(s.uses ?? "") && /(^|\n)\.turbo\/cache\s*$/m.test(s.with?.path ?? ""));
    const test = steps.findIndex((s) => typeof s.run === "string");
    expect(cache, "an actions/cache step for .turbo/cache").toBeGreaterThanOrEqual(0);
    expect(cache).toBeLessThan(test);
    // A key that changes every run, so each run saves what it built; the restore keys find the last one.
    expect(steps[cache].with.key).toMatch(/github\.sha/);
    expect(steps[cache].with["restore-keys"]).toBeTruthy();
  });
});
