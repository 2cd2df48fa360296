// The release workflow is the changesets flow around the same scripts a maintainer runs: `npm run
// version` for the "Version packages" pull request, `npm run release` (rehearsed against Verdaccio in
// packages/conformance/test/registry.test.ts) to publish, with provenance, only after CI passed on main.
import { readFileSync } from "node:fs";
import yaml from "js-yaml";
import { expect, it } from "vitest";
import { rooted } from "./support.js";

const load = (file: string) => yaml.load(readFileSync(rooted(file), "utf8")) as any;
const release = load(".github/workflows/release.yml");
const ci = load(".github/workflows/ci.yml");
const root = JSON.parse(readFileSync(rooted("package.json"), "utf8"));
const [job] = Object.values(release.jobs) as any[];
const steps: any[] = job.steps;
const changesets = steps.find((s) => /^changesets\/action@/.test(s.uses ?? ""));

it("runs on main once CI has passed on a push", () => {
  expect(release.on.workflow_run).toMatchObject({ workflows: [ci.name], types: ["completed"], branches: ["main"] });
  expect(job.if).toMatch(/github\.event\.workflow_run\.conclusion == 'success'/);
  expect(job.if).toMatch(/github\.event\.workflow_run\.event == 'push'/);
  // The commit CI tested, not whatever main is by now.
  expect(steps.find((s) => /^actions\/checkout@/.test(s.uses))?.with?.ref).toBe("${{ github.event.workflow_run.head_sha }}");
});

it("versions with `npm run version` and publishes with `npm run release`, the scripts the README's release loop uses", () => {
  expect(changesets, "a changesets/action step").toBeDefined();
  expect(changesets.with.version).toBe("npm run version");
  expect(changesets.with.publish).toBe("npm run release");
  expect(root.scripts.version).toMatch(/^changeset version\b/);
  expect(root.scripts.release).toMatch(/&& node scripts\/release\.mjs$/);
  expect(readFileSync(rooted("packages/conformance/test/registry.test.ts"), "utf8")).toContain('"release.mjs"');
});

it("publishes with provenance: `--provenance` for every npm publish and the OIDC token it is signed with", () => {
  expect({ ...release.env, ...job.env, ...changesets.env }.NPM_CONFIG_PROVENANCE).toBe("true");
  expect({ ...release.permissions, ...job.permissions }).toMatchObject({ "id-token": "write", contents: "write", "pull-requests": "write" });
});

it("publishes with the npm and the Node the workspace names", () => {
  const npm = /^npm@(.+)$/.exec(root.packageManager)![1];
  expect(steps.map((s) => s.run).filter(Boolean)).toContain(`npm install --global npm@${npm}`);
  // Trusted publishing (no stored token) needs npm 11.5.1 or later.
  const [major, minor, patch] = npm!.split(".").map(Number) as [number, number, number];
  expect(major * 1e6 + minor * 1e3 + patch).toBeGreaterThanOrEqual(11_005_001);
  const node = steps.find((s) => /^actions\/setup-node@/.test(s.uses))?.with?.["node-version"];
  expect(`node:${node}-bookworm`).toBe(Object.values<any>(ci.jobs)[0].container);
});
