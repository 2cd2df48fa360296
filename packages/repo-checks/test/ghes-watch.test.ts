// `npm run ghes-watch -- <descriptions folder>` on a folder laid out as github/rest-api-description's:
// a newer GHES version described exactly as our facts say reports nothing; the same with one permission
// added to the App permissions and one operation removed reports those two, per operation and version.
//
// The fixture descriptions are written at test time from what the era's bundled spec serves at the newest
// GHES version with facts (plus the two edits), so they keep describing "what our spec says" whatever the
// specs and facts become; the first test checks that scripts/facts-lib.mjs reads them back as exactly that.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import yaml from "js-yaml";
import { afterAll, describe, expect, it } from "vitest";
import { operationsOf } from "../../../scripts/drift-lib.mjs";
import { factsVersions, inScopeOperations, operationFacts, servedAt } from "../../../scripts/facts-lib.mjs";
import { REPO_ROOT, rooted } from "./support.js";

type Flags = Record<string, string>;
interface Facts {
  operationId: string;
  parameters: Flags;
  responses: Record<string, Flags | null>;
  body?: Flags;
}

const ERA = "ghes-2022-11-28";
const NEWEST = factsVersions().at(-1)!;
const [major, minor] = NEWEST.split(".").map(Number) as [number, number];
const NEXT = `${major}.${minor + 1}`;
const AFTER = `${major}.${minor + 2}`;
// What the era's spec serves at the newest version with facts, as facts.
const spec = JSON.parse(readFileSync(rooted(`packages/${ERA}/openapi.json`), "utf8"));
const served = servedAt(spec, NEWEST);
const facts: Record<string, Facts> = Object.fromEntries(
  Object.entries(operationsOf(served)).map(([key, { path, op }]) => [key, operationFacts(served, path, op) as Facts]),
);
const NEW_PERMISSION = "a_permission_no_ghes_has_yet";
const REMOVED = "DELETE /authorizations/{authorization_id}";

/** A schema whose properties flatten to the given flags ("r" required, "n" nullable; "a.b", "a[].b" below). */
function schemaOf(flags: Flags): any {
  const top = Object.keys(flags).filter((k) => !k.includes("."));
  const properties: Record<string, any> = {};
  for (const name of top) {
    const below = (mark: string) =>
      Object.fromEntries(Object.entries(flags).filter(([k]) => k.startsWith(name + mark)).map(([k, v]) => [k.slice(name.length + mark.length), v]));
    const asArray = below("[].");
    const asObject = below(".");
    const nullable = flags[name]!.includes("n") ? { nullable: true } : {};
    properties[name] = Object.keys(asArray).length
      ? { type: "array", items: schemaOf(asArray), ...nullable }
      : Object.keys(asObject).length
        ? { ...schemaOf(asObject), ...nullable }
        : { type: "string", ...nullable };
  }
  const required = top.filter((name) => flags[name]!.includes("r"));
  return { type: "object", properties, ...(required.length ? { required } : {}) };
}

/** An OpenAPI 3.0 description (GitHub's dialect) of the given operations' facts. */
function describe_(ops: Record<string, Facts>): any {
  const paths: Record<string, any> = {};
  for (const [key, f] of Object.entries(ops)) {
    const [method, path] = key.split(" ") as [string, string];
    const parameters = Object.entries(f.parameters).map(([p, flag]) => {
      const [where, name] = p.split(":");
      return { name, in: where, required: flag.includes("r"), schema: { type: "string" } };
    });
    const responses = Object.fromEntries(
      Object.entries(f.responses).map(([status, flags]) => [
        status,
        flags ? { description: "", content: { "application/json": { schema: schemaOf(flags) } } } : { description: "" },
      ]),
    );
    (paths[path] ??= {})[method.toLowerCase()] = {
      operationId: f.operationId,
      parameters,
      responses,
      ...(f.body ? { requestBody: { content: { "application/json": { schema: schemaOf(f.body) } } } } : {}),
    };
  }
  return { openapi: "3.0.3", info: { title: "fixture", version: "0" }, paths };
}

const work = mkdtempSync(join(tmpdir(), "ghes-watch-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Writes a descriptions folder: { "3.23": doc, "3.23.2026-03-10": doc, … }; returns its path. */
function folder(name: string, files: Record<string, any>) {
  const dir = join(work, name, "descriptions");
  for (const [id, doc] of Object.entries(files)) {
    const version = id.split(".").slice(0, 2).join(".");
    const file = id === version ? `ghes-${version}.json` : `ghes-${id}.json`;
    mkdirSync(join(dir, `ghes-${version}`), { recursive: true });
    writeFileSync(join(dir, `ghes-${version}`, file), JSON.stringify(doc));
  }
  return dir;
}

function ghesWatch(dir: string, ...args: string[]) {
  const run = spawnSync(process.execPath, [join(REPO_ROOT, "scripts", "ghes-watch.mjs"), dir, ...args], { cwd: REPO_ROOT, encoding: "utf8" });
  return { status: run.status, out: run.stdout, err: run.stderr };
}

const current = describe_(facts);

it("the fixture describes exactly our current facts", () => {
  const readBack: Record<string, Facts> = {};
  for (const { key, path, op } of inScopeOperations(current)) readBack[key] = operationFacts(current, path, op) as Facts;
  expect(readBack).toEqual(facts);
});

describe("npm run ghes-watch", () => {
  it("is the script, after the build", () => {
    const scripts = JSON.parse(readFileSync(rooted("package.json"), "utf8")).scripts;
    expect(scripts["ghes-watch"]).toMatch(/^TURBO_TELEMETRY_DISABLED=1 turbo run build\b.* && node scripts\/ghes-watch\.mjs$/);
  });

  it("reports nothing on a newer version described as our current facts say", () => {
    // NEXT with both files (the era's REST API version is read), AFTER with only the plain one.
    const { status, out, err } = ghesWatch(folder("same", { [`${NEXT}.2022-11-28`]: current, [NEXT]: { paths: {} }, [AFTER]: current }));
    expect(err).toBe("");
    expect(out).toContain(`GHES ${NEXT}: ghes-${NEXT}/ghes-${NEXT}.2022-11-28.json against ${ERA}`);
    expect(out).toContain(`GHES ${AFTER}: ghes-${AFTER}/ghes-${AFTER}.json against ${ERA}`);
    expect(out).toContain("Nothing new");
    expect(out).not.toMatch(/^###/m);
    expect(status).toBe(0);
  });

  it("reports an added permission and a removed operation, per operation and version", () => {
    expect(facts[REMOVED], REMOVED).toBeDefined();
    const newer = structuredClone(facts) as Record<string, Facts>;
    delete newer[REMOVED];
    // GitHub's app-permissions schema is shared: a new permission shows in every response carrying one.
    const withPermissions: string[] = [];
    for (const [key, f] of Object.entries(newer))
      for (const [status, flags] of Object.entries(f.responses))
        if (flags && Object.keys(flags).some((k) => k.startsWith("permissions."))) {
          flags[`permissions.${NEW_PERMISSION}`] = "";
          withPermissions.push(`${key} ${status}`);
        }
    expect(withPermissions.length).toBeGreaterThan(0);

    // A REST API version no era covers (2099-01-01) is only named; versions with facts are skipped.
    const dir = folder("newer", { [`${NEWEST}.2022-11-28`]: current, [`${NEXT}.2022-11-28`]: describe_(newer), [`${NEXT}.2099-01-01`]: describe_(newer), "3.8": current });
    const out = join(work, "report.md");
    const run = ghesWatch(dir, "--out", out);
    expect(run.status, run.err).toBe(1);
    expect(readFileSync(out, "utf8")).toBe(run.out);

    // The removed operation, under its own heading, in NEXT only.
    const section = (op: string) => new RegExp(`^### \`${op.replace(/[{}/]/g, "\\$&")}\`\\n\\n((?:- .*\\n)+)`, "m").exec(run.out)?.[1];
    expect(section(REMOVED)).toBe(`- GHES ${NEXT} (${ERA}): not in GitHub's description of GHES ${NEXT}, which the spec says serves it\n`);
    // The new permission, once per operation and status that carries permissions.
    for (const entry of withPermissions) {
      const [method, path, status] = entry.split(" ");
      expect(section(`${method} ${path}`), entry).toContain(`- GHES ${NEXT} (${ERA}): property ${status}:permissions.${NEW_PERMISSION} (GitHub only)\n`);
    }
    // Nothing else: one section per operation named above.
    const sections = [...run.out.matchAll(/^### `(.*)`$/gm)].map((m) => m[1]);
    expect(sections.sort()).toEqual([...new Set([REMOVED, ...withPermissions.map((e) => e.split(" ").slice(0, 2).join(" "))])].sort());
    expect(run.out.match(/^- GHES [\d., ]+ \(ghes-/gm)).toHaveLength(withPermissions.length + 1);
    // A REST API version no era covers is said; versions our facts already hold are skipped.
    expect(run.out).toContain(`GHES ${NEXT} also describes REST API version 2099-01-01, which no era package covers.`);
    expect(run.out).toContain(`skipped: GHES 3.8, ${NEWEST}.`);
  });

  it.each([
    [[], /missing the descriptions folder/],
    [["/nonexistent/descriptions"], /\/nonexistent\/descriptions is not a folder/],
    [[REPO_ROOT + "/openapi"], new RegExp(`no description of a GHES version without facts of its own \\(ours stop at ${NEWEST.replace(".", "\\.")}\\)`)],
  ])("explains bad input %#", (args, problem) => {
    const run = spawnSync(process.execPath, [join(REPO_ROOT, "scripts", "ghes-watch.mjs"), ...args], { encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(problem);
    expect(run.stderr).toContain("usage: npm run ghes-watch -- <descriptions folder>");
  });
});

describe(".github/workflows/ghes-watch.yml", () => {
  const workflow = yaml.load(readFileSync(rooted(".github/workflows/ghes-watch.yml"), "utf8")) as any;
  const [job] = Object.values(workflow.jobs) as any[];
  const runs: string = job.steps.map((s: any) => s.run ?? "").join("\n");

  it("runs weekly (and by hand)", () => {
    const [cron] = workflow.on.schedule.map((s: any) => s.cron.split(" "));
    expect(cron).toHaveLength(5);
    // A fixed minute, hour and weekday; any day of the month and month.
    expect(cron.slice(0, 2).every((f: string) => /^\d+$/.test(f)) && cron[2] === "*" && cron[3] === "*" && /^[0-6]$/.test(cron[4])).toBe(true);
    expect(workflow.on).toHaveProperty("workflow_dispatch");
  });

  it("fetches GitHub's per-version GHES descriptions and runs `npm run ghes-watch` on them", () => {
    expect(runs).toContain("github/rest-api-description");
    expect(runs).toContain("'/descriptions/ghes-*/ghes-*.json'");
    expect(runs).toMatch(/npm run ghes-watch -- "[^"]+\/descriptions" --out "[^"]+"/);
  });

  it("files the report as an issue (and only needs to read the code)", () => {
    expect(runs).toMatch(/gh issue create [^\n]*--body-file/);
    expect(runs).toMatch(/gh issue edit [^\n]*--body-file/);
    expect({ ...workflow.permissions, ...job.permissions }).toEqual({ contents: "read", issues: "write" });
  });
});

// The workflow's own shell steps, run by bash as GitHub runs them (`bash -e`), with `npm` and `gh`
// replaced by recording stand-ins on PATH: which exit status of the watch opens an issue, fails the job or
// neither, and whether the issue is created or the open one edited.
describe("ghes-watch.yml's steps", () => {
  const workflow = yaml.load(readFileSync(rooted(".github/workflows/ghes-watch.yml"), "utf8")) as any;
  const steps: any[] = (Object.values(workflow.jobs)[0] as any).steps;
  const compare = steps.find((s) => s.id === "watch");
  const file = steps.find((s) => /gh issue create/.test(s.run ?? ""));

  function runStep(step: any, stubs: Record<string, string>, env: Record<string, string> = {}) {
    const dir = mkdtempSync(join(work, "step-"));
    const bin = join(dir, "bin");
    mkdirSync(bin);
    for (const [name, body] of Object.entries(stubs)) writeFileSync(join(bin, name), `#!/usr/bin/env bash\necho "${name} $*" >> "${dir}/calls"\n${body}\n`, { mode: 0o755 });
    const vars = { RUNNER_TEMP: dir, GITHUB_OUTPUT: join(dir, "output"), GITHUB_STEP_SUMMARY: join(dir, "summary"), GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "o/r", GITHUB_RUN_ID: "7" };
    const run = spawnSync("bash", ["-e", "-c", step.run], { cwd: dir, encoding: "utf8", env: { PATH: `${bin}:${process.env.PATH}`, ...vars, ...step.env, ...env } });
    const read = (name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), "utf8") : "");
    return { status: run.status, calls: read("calls"), output: read("output"), summary: read("summary"), body: read("body.md") };
  }
  // A stand-in for `npm run ghes-watch -- <folder> --out <file>`: writes the report, exits with `code`.
  const npm = (code: number) => `out="\${@: -1}"; echo "the report" > "$out"; exit ${code}`;

  it.each([
    [0, ""],
    [1, "found=true\n"],
  ])("the watch exiting %i: the step passes, found=%j", (code, output) => {
    const step = runStep(compare, { npm: npm(code) });
    expect(step.status).toBe(0);
    expect(step.output).toBe(output);
    expect(step.summary).toBe("the report\n");
    expect(step.calls).toMatch(/^npm run ghes-watch -- .*\/rest-api-description\/descriptions --out .*\/ghes-watch\.md$/m);
  });

  it("the watch failing (bad input, a crash): the step fails with its status", () => {
    expect(runStep(compare, { npm: "exit 2" }).status).toBe(2);
  });

  it("filing fails when the compare step left no report", () => {
    const step = runStep(file, { gh: "" });
    expect(step.status).not.toBe(0);
    expect(step.calls).not.toMatch(/^gh issue (create|edit)/m);
  });

  it.each([
    ["", /^gh issue create --title .* --label ghes-watch --body-file body\.md$/m],
    ["12", /^gh issue edit 12 --body-file body\.md$/m],
  ])("with open issue %j: %s", (open, call) => {
    const gh = `if [ "$1 $2" = "issue list" ]; then echo "${open}"; fi`;
    const step = runStepWithReport(file, gh);
    expect(step.status, step.calls).toBe(0);
    expect(step.calls).toMatch(/^gh label create ghes-watch --force/m);
    expect(step.calls).toMatch(call);
    expect(step.body).toContain("the report");
    expect(step.body).toContain("[this run](https://github.com/o/r/actions/runs/7)");
  });

  /** The filing step after a compare step that wrote a report. */
  function runStepWithReport(step: any, gh: string) {
    return runStep({ ...step, run: `echo "the report" > "$RUNNER_TEMP/ghes-watch.md"\n${step.run}` }, { gh });
  }
});
