// Each era's spec is exactly its pages' operations plus what issue 3 adds — nothing missing, nothing extra.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { specEntries } from "@ghes-sdk/core";
import { describe, expect, it } from "vitest";
import { bundled, deref, ERAS, fixture } from "./support/specs.js";

const lists = JSON.parse(readFileSync(join(import.meta.dirname, "fixtures/issue-3-operations.json"), "utf8")) as Record<
  string,
  { total: number; add: string[] }
>;

const operationsOf = (spec: any) => specEntries(spec).map(({ method, path, op }) => ({ key: `${method.toUpperCase()} ${path}`, op, path }));

it("has a list for every era", () => {
  expect(Object.keys(lists).filter((k) => !k.startsWith("_")).sort()).toEqual([...ERAS].sort());
});

describe.each(ERAS)("%s", (era) => {
  const spec = bundled(era);
  const ops = operationsOf(spec);
  const pages = fixture<{ method: string; path: string }[]>(era, "seed-inventory.json").map(
    (p) => `${p.method.toUpperCase()} ${p.path}`,
  );
  const wanted = [...new Set([...pages, ...lists[era]!.add])].sort();

  it(`holds exactly its pages' operations and issue 3's additions (${lists[era]!.total})`, () => {
    expect(ops.map((o) => o.key).sort()).toEqual(wanted);
    expect(ops).toHaveLength(lists[era]!.total);
  });

  it("has unique operationIds in GitHub's style", () => {
    const ids = ops.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z-]+\/[a-z0-9-]+$/);
  });

  it.each(ops.map((o) => [o.key, o] as const))("%s is complete", (_key, { op, path }) => {
    expect(op.summary, "summary").toBeTruthy();
    expect(op.description?.length ?? 0, "description").toBeGreaterThan(20);
    expect(op.tags?.length ?? 0, "tags").toBeGreaterThan(0);
    expect(Array.isArray(op.security), "security").toBe(true);
    expect(op["x-ghes-since"], "x-ghes-since").toMatch(/^[23]\.\d+$/);
    if (op["x-ghes-until"] !== undefined) {
      expect(op["x-ghes-until"]).toMatch(/^[23]\.\d+$/);
      const [s, u] = [op["x-ghes-since"], op["x-ghes-until"]].map((v: string) => v.split(".").map(Number));
      expect(s![0]! * 1000 + s![1]!, "since must not come after until").toBeLessThanOrEqual(u![0]! * 1000 + u![1]!);
    }
    const codes = Object.keys(op.responses);
    expect(codes.some((c) => c.startsWith("2")), "a 2xx response").toBe(true);
    // Any status the operation does not list is typed with GitHub's error body (issue 7).
    const fallback = deref(spec, deref(spec, op.responses.default)?.content?.["application/json"]?.schema);
    expect(fallback?.properties?.message, "a default response with GitHub's error body").toBeTruthy();
    for (const code of codes) {
      const response = deref(spec, op.responses[code]);
      expect(response.description, `${code} description`).toBeTruthy();
      const media = response.content?.["application/json"];
      // 202 Accepted (a redelivery is queued) documents an open object and no example on every page.
      if (code.startsWith("2") && code !== "202" && media) {
        // A body that is documented has a complete schema and the page's example.
        const schema = deref(spec, media.schema);
        expect(schema && (schema.type || schema.oneOf || schema.anyOf || schema.allOf), `${code} schema`).toBeTruthy();
        if (schema.type === "object") expect(Object.keys(schema.properties ?? {}).length, `${code} properties`).toBeGreaterThan(0);
        expect(Object.keys(media.examples ?? {}).length + (media.example ? 1 : 0), `${code} example`).toBeGreaterThan(0);
      }
    }
    for (const name of path.match(/\{([^}]+)\}/g) ?? []) {
      const params = [...(spec.paths[path].parameters ?? []), ...(op.parameters ?? [])].map((p: any) => deref(spec, p));
      expect(params.find((p: any) => p.in === "path" && `{${p.name}}` === name)?.required, `${name} required`).toBe(true);
    }
  });
});

describe("differences between eras are written down", () => {
  it("only the eras named after a REST API version (2022-11-28, 2026-03-10) take X-GitHub-Api-Version", () => {
    for (const era of ERAS) {
      const spec = bundled(era); // parsed once: the bundles are large
      const takesVersion = operationsOf(spec).every(({ op }) =>
        (op.parameters ?? []).map((p: any) => deref(spec, p)).some((p: any) => p.name === "X-GitHub-Api-Version"),
      );
      expect(takesVersion, era).toBe(/^ghes-\d{4}-\d{2}-\d{2}$/.test(era));
    }
  });

  it("preview media types: many on 2.2x, only content attachments on 3.x, none on 2022-11-28", () => {
    const withPreviews = (era: string) =>
      operationsOf(bundled(era)).filter(({ op }) => (op["x-github-previews"] ?? []).length > 0).map((o) => o.key);
    expect(withPreviews("ghes-2.2x").length).toBeGreaterThan(20);
    expect(withPreviews("ghes-3.x")).toEqual(["POST /repos/{owner}/{repo}/content_references/{content_reference_id}/attachments"]);
    expect(withPreviews("ghes-2022-11-28")).toEqual([]);
  });

  it("the token-in-path endpoints are gone in 2022-11-28", () => {
    expect(Object.keys(bundled("ghes-2022-11-28").paths).filter((p) => p.includes("{access_token}"))).toEqual([]);
    expect(Object.keys(bundled("ghes-3.x").paths).filter((p) => p.includes("{access_token}")).length).toBe(2);
  });
});
