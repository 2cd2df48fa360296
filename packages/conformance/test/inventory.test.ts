// Each era's spec against the operations its documentation pages show (test/fixtures/seed-inventory.json in
// the era's package: written by reading the pages, independently of the specs).
import { describe, expect, it } from "vitest";
import { ERA_VERSIONS, eraRange, loadVersionFacts } from "../../../scripts/facts-lib.mjs";
import { bundled, deref, ERAS, fixture } from "./support/specs.js";

interface PageOperation {
  seed: string;
  method: string;
  path: string;
  summary: string;
  statuses: number[];
  pathParams: string[];
  queryParams: string[];
  requiredBody: string[];
  deprecated: boolean;
  previews: { name: string; required: boolean }[];
  auth: string | string[];
  notes?: string;
}

const schemesOf = (security: Record<string, string[]>[]): string[] => security.flatMap((req) => Object.keys(req));

describe.each(ERAS)("%s spec holds every operation of its pages", (era) => {
  const spec = bundled(era);
  const pages = fixture<PageOperation[]>(era, "seed-inventory.json");
  // The status codes GitHub's descriptions record per operation, at any version the era covers
  // (openapi/facts/versions, issue 7).
  const { api } = eraRange(era);
  const recordedBy = new Map<string, Set<number>>();
  for (const version of ERA_VERSIONS[era] ?? [])
    for (const [key, f] of Object.entries(loadVersionFacts(version, api) as Record<string, { responses: Record<string, unknown> }>))
      for (const status of Object.keys(f.responses)) recordedBy.set(key, (recordedBy.get(key) ?? new Set()).add(Number(status)));

  it("has pages to check against", () => {
    expect(pages.length).toBeGreaterThan(0);
  });

  describe.each(pages.map((p) => [`${p.method.toUpperCase()} ${p.path}`, p] as const))("%s", (_name, page) => {
    const op = spec.paths?.[page.path]?.[page.method];
    const parameters = (): any[] => [...(spec.paths[page.path].parameters ?? []), ...(op.parameters ?? [])].map((p: any) => deref(spec, p));

    it("exists with an operationId, a summary and a description", () => {
      expect(op, `${page.method} ${page.path} is missing`).toBeDefined();
      expect(op.operationId).toMatch(/^[a-z-]+\/[a-z0-9-]+$/);
      expect(op.summary).toBe(page.summary);
      expect(op.description?.length ?? 0).toBeGreaterThan(20);
    });

    it("answers with every status code the page lists, each described", () => {
      // `default` is the error body for any other status, not a code a page lists.
      const codes = Object.keys(op.responses).filter((c) => c !== "default").map(Number);
      expect(codes).toEqual(expect.arrayContaining(page.statuses));
      // A code the page's table does not list may only come from GitHub's description of the operation
      // (openapi/facts/versions) or from the page's prose ("Invalid tokens will return 404"), which the description
      // then quotes.
      const recorded = [...(recordedBy.get(`${page.method.toUpperCase()} ${page.path}`) ?? [])];
      for (const extra of codes.filter((c) => !page.statuses.includes(c) && !recorded.includes(c))) {
        expect(`${op.description} ${page.notes ?? ""}`, `status ${extra} is not on the page`).toContain(String(extra));
      }
    });

    it("has the page's path and query parameters", () => {
      const params = parameters();
      const inPath = params.filter((p) => p.in === "path");
      expect(inPath.map((p) => p.name).sort()).toEqual([...page.pathParams].sort());
      for (const p of inPath) expect(p.required, `${p.name} must be required`).toBe(true);
      const inQuery = params.filter((p) => p.in === "query").map((p) => p.name);
      expect(inQuery).toEqual(expect.arrayContaining(page.queryParams));
    });

    it.runIf(page.requiredBody.length > 0)("requires the body properties the page marks required", () => {
      const body = deref(spec, op.requestBody);
      expect(body?.required, "the request body must be required").toBe(true);
      const schema = deref(spec, body.content["application/json"].schema);
      expect(schema.required ?? []).toEqual(expect.arrayContaining(page.requiredBody));
    });

    it("is deprecated exactly when the page says so", () => {
      expect(op.deprecated === true).toBe(page.deprecated);
    });

    it("names the credential the page demands", () => {
      const wanted = ([] as string[]).concat(page.auth);
      const security: Record<string, string[]>[] = op.security ?? spec.security ?? [];
      if (wanted.length === 0) {
        // No credential on the page: anonymous access must be allowed.
        expect(security.length === 0 || security.some((req) => Object.keys(req).length === 0)).toBe(true);
      } else {
        expect(schemesOf(security)).toEqual(expect.arrayContaining(wanted));
      }
    });

    it("needs the preview media types the page names", () => {
      const previews = (op["x-github-previews"] ?? []).map((p: any) => ({ name: p.name, required: p.required === true }));
      const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
      expect(previews.sort(byName)).toEqual([...page.previews].sort(byName));
    });
  });
});
