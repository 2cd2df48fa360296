// CONTRIBUTING.md, SECURITY.md and the issue and pull-request templates stay true to the repository: every
// file and folder they name exists (for every era where they say <era>), every command they give is one
// the repository has, their links land, and every template asks for the GHES version.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { eras } from "../../../scripts/eras.mjs";
import { REPO_ROOT, rooted } from "./support.js";

const ROOTS = ["openapi", "packages", "scripts", "docs", "bench", ".changeset", ".github", ".ci"];
const scripts = JSON.parse(readFileSync(rooted("package.json"), "utf8")).scripts as Record<string, string>;

/** The repository paths a Markdown text names in backticks or table cells, relative to the root. */
function namedPaths(text: string): string[] {
  const found = new Set<string>();
  for (const [, code] of text.matchAll(/`([^`\n]+)`/g)) {
    for (const word of code!.split(/[\s,]+/)) {
      const path = word.replace(/[.,;:)]+$/, "");
      if (ROOTS.some((root) => path === root || path.startsWith(`${root}/`))) found.add(path);
    }
  }
  return [...found];
}

/** A named path exists: `<era>` in every era, another `<placeholder>` as its folder. */
function missing(path: string): string[] {
  const variants = path.includes("<era>") ? (eras as string[]).map((era) => path.replaceAll("<era>", era)) : [path];
  return variants.filter((p) => {
    const at = p.indexOf("<");
    return !existsSync(rooted(at < 0 ? p : dirname(p.slice(0, at) + "x")));
  });
}

/** Relative Markdown links ([text](target#anchor)) and whether each target and anchor exist. */
function brokenLinks(file: string): string[] {
  const text = readFileSync(rooted(file), "utf8");
  const broken: string[] = [];
  for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/.test(target!)) continue;
    const [path, anchor] = target!.split("#") as [string, string | undefined];
    const full = join(dirname(rooted(file)), path);
    if (!existsSync(full)) broken.push(target!);
    else if (anchor && path.endsWith(".md")) {
      const slugs = [...readFileSync(full, "utf8").matchAll(/^#+ (.+)$/gm)].map((m) =>
        m[1]!.toLowerCase().replace(/[^\p{L}\p{N} -]/gu, "").replace(/ /g, "-"),
      );
      if (!slugs.includes(anchor)) broken.push(target!);
    }
  }
  return broken;
}

describe.each(["CONTRIBUTING.md", "SECURITY.md", ".github/pull_request_template.md"])("%s", (file) => {
  const text = readFileSync(rooted(file), "utf8");

  it("names only files and folders that exist", () => {
    expect(namedPaths(text).flatMap(missing)).toEqual([]);
  });

  it("gives only commands the repository has", () => {
    const runs = [...text.matchAll(/\bnpm run ([\w:-]+)/g)].map((m) => m[1]!);
    expect(runs.filter((name) => !(name in scripts))).toEqual([]);
    const nodeScripts = [...text.matchAll(/\bnode (scripts\/[\w.-]+\.mjs)/g)].map((m) => m[1]!);
    expect(nodeScripts.filter((p) => !existsSync(rooted(p)))).toEqual([]);
  });

  it("links only to files and headings that exist", () => {
    expect(brokenLinks(file)).toEqual([]);
  });
});

describe("CONTRIBUTING.md", () => {
  const text = readFileSync(rooted("CONTRIBUTING.md"), "utf8");

  it("gives the README's two commands", () => {
    const readme = readFileSync(rooted("README.md"), "utf8");
    const commands = (md: string) => [...md.matchAll(/^(npm [^#\n]+?)\s+#/gm)].map((m) => m[1]);
    const two = ["npm ci && npm run demo", "npm test"];
    expect(commands(readme)).toEqual(expect.arrayContaining(two));
    // The first block of commands on the page is the two.
    expect(commands(text).slice(0, 2)).toEqual(two);
    expect(text.indexOf("npm ci && npm run demo")).toBeLessThan(text.indexOf("## How long"));
  });

  it("says where to change a spec, a retry rule, an auth strategy, an emulator endpoint and a webhook event", () => {
    const headings = [...text.matchAll(/^### (.+)$/gm)].map((m) => m[1]);
    for (const topic of [/^A spec/, /^A retry rule/, /^An auth strategy/, /^An emulator endpoint/, /^A webhook event/])
      expect(headings.some((h) => topic.test(h!)), String(topic)).toBe(true);
  });

  it("its walkthrough's differences entry and changeset are valid", () => {
    const [entry, changeset] = [...text.matchAll(/```(yaml|md)\n([\s\S]*?)```/g)].filter((m) => /^- op:|^---/.test(m[2]!.trim().replace(/^ +/gm, ""))).map((m) => m[2]!.replace(/^ {3}/gm, ""));
    const [difference] = yaml.load(entry!) as any[];
    expect(difference).toMatchObject({ op: "*", kind: "property", item: expect.any(String) });
    expect(difference.reason.length).toBeGreaterThan(10);
    expect(changeset).toMatch(/^---\n"@ghes-sdk\/ghes-3\.x": minor\n---\n\n.+\n$/);
  });
});

describe("issue and pull-request templates", () => {
  const forms = readdirSync(rooted(".github/ISSUE_TEMPLATE")).filter((f) => /\.ya?ml$/.test(f) && f !== "config.yml");

  it.each(forms)("%s asks for the GHES version, required", (file) => {
    const form = yaml.load(readFileSync(rooted(`.github/ISSUE_TEMPLATE/${file}`), "utf8")) as any;
    expect(form.name && form.description).toBeTruthy();
    const ids = form.body.filter((b: any) => b.id).map((b: any) => b.id);
    expect(new Set(ids).size, "unique ids").toBe(ids.length);
    for (const item of form.body) expect(["markdown", "input", "textarea", "dropdown", "checkboxes"]).toContain(item.type);
    const version = form.body.find((b: any) => /GHES version/.test(b.attributes?.label ?? ""));
    expect(version?.validations?.required).toBe(true);
  });

  it("the pull-request template asks for the GHES versions", () => {
    expect(readFileSync(rooted(".github/pull_request_template.md"), "utf8")).toMatch(/\*\*GHES versions:\*\*/);
  });

  it("a vulnerability is pointed to the private report, not an issue", () => {
    const config = yaml.load(readFileSync(rooted(".github/ISSUE_TEMPLATE/config.yml"), "utf8")) as any;
    const security = readFileSync(rooted("SECURITY.md"), "utf8");
    const link = config.contact_links.find((l: any) => /vulnerab/i.test(l.name)).url;
    expect(security).toContain(`(${link})`);
    expect(link).toBe(`${JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")).homepage.replace(/#readme$/, "")}/security/advisories/new`);
  });
});
