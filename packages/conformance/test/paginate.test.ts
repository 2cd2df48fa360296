// paginate: every list operation of every era, 3 pages each, against node:http on 127.0.0.1, following
// the server's `Link: rel="next"`; typed cases for a plain list and both envelopes; errors and aborts.
import * as v2 from "@ghes-sdk/ghes-2.2x";
import * as v2022 from "@ghes-sdk/ghes-2022-11-28";
import * as v3 from "@ghes-sdk/ghes-3.x";
import { GhesRequestError, GhesSdkError } from "@ghes-sdk/core";
import { afterEach, describe, expect, expectTypeOf, it } from "vitest";
import { startServer, type Recorded, type Reply } from "./support/server.js";

const packages = { "ghes-2.2x": v2, "ghes-3.x": v3, "ghes-2022-11-28": v2022 } as const;
const PAGES = 3;
const PAGE_SIZE = 2;

type Server = Awaited<ReturnType<typeof startServer>>;
let server: Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/**
 * Serves any list path as PAGES pages of PAGE_SIZE items (`{ id }`), wrapped in `{ total_count, [key] }`
 * when the operation is an envelope, with GitHub's Link header on every page but the last.
 */
function pagedServer(key: string | null, overrides: (req: Recorded, page: number) => Reply | undefined = () => undefined) {
  return startServer((req) => {
    const url = new URL(req.url, "http://127.0.0.1");
    const page = Number(url.searchParams.get("page") ?? "1");
    const override = overrides(req, page);
    if (override) return override;
    const items = Array.from({ length: PAGE_SIZE }, (_, i) => ({ id: (page - 1) * PAGE_SIZE + i + 1 }));
    const links: string[] = [];
    const at = (p: number) => {
      const u = new URL(url.href);
      u.searchParams.set("page", String(p));
      return `<http://${req.headers.host}${u.pathname}${u.search}>`;
    };
    if (page < PAGES) links.push(`${at(page + 1)}; rel="next"`, `${at(PAGES)}; rel="last"`);
    if (page > 1) links.push(`${at(1)}; rel="first"`, `${at(page - 1)}; rel="prev"`);
    return {
      status: 200,
      body: key === null ? items : { total_count: PAGES * PAGE_SIZE, [key]: items },
      headers: links.length ? { link: links.join(", ") } : {},
    };
  });
}

const fill = (path: string) => Object.fromEntries([...path.matchAll(/\{([^}]+)\}/g)].map((m) => [m[1]!, m[1] === "org" ? "octo-org" : 1]));

const cases = Object.entries(packages).flatMap(([era, pkg]) =>
  Object.entries(pkg.lists as Record<string, string | null>).map(([path, key]) => [era, path, key] as const),
);

it("finds the list operations in the specs, envelopes included", () => {
  expect(cases.length).toBeGreaterThanOrEqual(20);
  for (const era of Object.keys(packages)) {
    const keys = Object.fromEntries(cases.filter((c) => c[0] === era).map((c) => [c[1], c[2]]));
    expect(keys["/app/installations"]).toBeNull();
    expect(keys["/installation/repositories"]).toBe("repositories");
    expect(keys["/user/installations"]).toBe("installations");
  }
});

describe.each(cases)("%s GET %s", (era, path, key) => {
  it(`yields the items of ${PAGES} pages, asking for 100 a page`, async () => {
    server = await pagedServer(key);
    const pkg = packages[era as keyof typeof packages];
    const client = pkg.createClient({ baseUrl: server.baseUrl, deprecationWarnings: false });
    const params = Object.keys(fill(path)).length ? { params: { path: fill(path) } } : {};
    const seen: unknown[] = [];
    for await (const item of (pkg.paginate as any)(client, path, params)) seen.push(item);
    expect(seen).toEqual(Array.from({ length: PAGES * PAGE_SIZE }, (_, i) => ({ id: i + 1 })));
    expect(server.requests).toHaveLength(PAGES);
    const queries = server.requests.map((r) => new URL(r.url, "http://127.0.0.1").searchParams);
    expect(queries.map((q) => q.get("per_page"))).toEqual(["100", "100", "100"]);
    expect(queries.map((q) => q.get("page"))).toEqual([null, "2", "3"]);
  });
});

describe("typed pagination", () => {
  it("a plain list yields installations", async () => {
    server = await pagedServer(null);
    const github = v3.createClient({ baseUrl: server.baseUrl });
    const it = v3.paginate(github, "/app/installations");
    expectTypeOf(it).toEqualTypeOf<AsyncGenerator<v3.components["schemas"]["installation"], void, undefined>>();
    let n = 0;
    for await (const installation of it) n += installation.id;
    expect(n).toBe(1 + 2 + 3 + 4 + 5 + 6);
  });

  it("the { total_count, repositories } envelope yields repositories", async () => {
    server = await pagedServer("repositories");
    const github = v2022.createClient({ baseUrl: server.baseUrl });
    const ids: number[] = [];
    for await (const repo of v2022.paginate(github, "/installation/repositories", { params: { query: { per_page: 2 } } })) {
      expectTypeOf(repo).toEqualTypeOf<v2022.components["schemas"]["repository"]>();
      ids.push(repo.id);
    }
    expect(ids).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new URL(server.requests[0]!.url, "http://x").searchParams.get("per_page")).toBe("2");
  });

  it("the { total_count, installations } envelope yields installations; path parameters are required", async () => {
    server = await pagedServer("installations");
    const github = v2.createClient({ baseUrl: server.baseUrl });
    // @ts-expect-error -- /orgs/{org}/installations needs params.path.org
    expect(() => v2.paginate(github, "/orgs/{org}/installations")).toBeDefined();
    // @ts-expect-error -- GET /app is not a list operation
    expect(() => v2.paginate(github, "/app")).toBeDefined();
    const pages = [];
    for await (const page of v2.paginate.pages(github, "/orgs/{org}/installations", { params: { path: { org: "octo-org" } } })) {
      // The items are the spec's installations as openapi-fetch reads them (Readable<>): assignable both ways.
      expectTypeOf(page.items).toExtend<v2.components["schemas"]["installation"][]>();
      expectTypeOf<v2.components["schemas"]["installation"][]>().toExtend<typeof page.items>();
      expectTypeOf(page.items).not.toExtend<v2.components["schemas"]["repository"][]>();
      expectTypeOf(page.data.total_count).toEqualTypeOf<number>();
      expectTypeOf(page.response).toEqualTypeOf<Response>();
      pages.push(page);
    }
    expect(pages.map((p) => p.items.length)).toEqual([2, 2, 2]);
    expect(pages.map((p) => p.response.status)).toEqual([200, 200, 200]);
    expect(server.requests.map((r) => new URL(r.url, "http://x").pathname)).toEqual(Array(3).fill("/api/v3/orgs/octo-org/installations"));
  });
});

describe("errors and aborts", () => {
  it("a failed page throws a GhesRequestError with its status", async () => {
    server = await pagedServer(null, (_req, page) => (page === 2 ? { status: 502, body: { message: "Bad gateway" } } : undefined));
    const github = v3.createClient({ baseUrl: server.baseUrl });
    const seen: number[] = [];
    const run = async () => {
      for await (const i of v3.paginate(github, "/app/installations")) seen.push(i.id);
    };
    const error = await run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GhesRequestError);
    expect(error).toMatchObject({ code: "HTTP_ERROR", status: 502, operationId: "apps/list-installations" });
    expect((error as Error).message).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/api\/v3\/app\/installations\?per_page=100&page=2 \(apps\/list-installations\) failed with 502.*: Bad gateway/);
    expect(seen).toEqual([1, 2]);
  });

  it("an abort between pages stops with code ABORTED", async () => {
    server = await pagedServer(null);
    const github = v3.createClient({ baseUrl: server.baseUrl });
    const controller = new AbortController();
    const run = async () => {
      for await (const i of v3.paginate(github, "/app/installations", { signal: controller.signal })) if (i.id === 2) controller.abort();
    };
    const error = await run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GhesRequestError);
    expect(error).toMatchObject({ code: "ABORTED" });
    expect(server.requests).toHaveLength(1);
  });

  it("refuses a next link to another origin", async () => {
    server = await pagedServer(null, (_req, page) =>
      page === 1 ? { status: 200, body: [{ id: 1 }], headers: { link: '<https://attacker.example/api/v3/app/installations?page=2>; rel="next"' } } : undefined,
    );
    const github = v3.createClient({ baseUrl: server.baseUrl });
    const run = async () => {
      for await (const _ of v3.paginate(github, "/app/installations"));
    };
    await expect(run()).rejects.toThrow(GhesSdkError);
    await expect(run()).rejects.toThrow(/leaves http:\/\/127\.0\.0\.1:\d+\/api\/v3\/app\/installations; refusing/);
    expect(server.requests.every((r) => !r.url.includes("attacker"))).toBe(true);
  });

  it("an empty list is one request and no items", async () => {
    server = await startServer(() => ({ status: 200, body: { total_count: 0, repositories: [] } }));
    const github = v3.createClient({ baseUrl: server.baseUrl });
    const seen = [];
    for await (const r of v3.paginate(github, "/installation/repositories")) seen.push(r);
    expect(seen).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });
});
