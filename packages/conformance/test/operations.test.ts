// The generated operation functions (`@ghes-sdk/<era>/operations`): one per operation of every era,
// named from the operationId alike in every era, typed from the spec, sending what the client sends.
import * as v2 from "@ghes-sdk/ghes-2.2x";
import * as ops2 from "@ghes-sdk/ghes-2.2x/operations";
import * as v2022 from "@ghes-sdk/ghes-2022-11-28";
import * as ops2022 from "@ghes-sdk/ghes-2022-11-28/operations";
import * as v3 from "@ghes-sdk/ghes-3.x";
import * as ops3 from "@ghes-sdk/ghes-3.x/operations";
import type { FetchResponse } from "openapi-fetch";
import { afterEach, describe, expect, expectTypeOf, it } from "vitest";
// The generator's own naming rule (plain ESM, typed through allowJs).
import { functionName } from "../../../scripts/api.mjs";
import { startServer } from "./support/server.js";

const eras = {
  "ghes-2.2x": { pkg: v2, ops: ops2 as Record<string, unknown> },
  "ghes-3.x": { pkg: v3, ops: ops3 as Record<string, unknown> },
  "ghes-2022-11-28": { pkg: v2022, ops: ops2022 as Record<string, unknown> },
};

let server: Awaited<ReturnType<typeof startServer>> | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe.each(Object.entries(eras))("%s/operations", (_era, { pkg, ops }) => {
  it("has one function per operation of the table, and nothing else", () => {
    const ids = Object.keys(pkg.operationTable);
    const names = ids.map((id) => functionName(id) as string);
    for (const name of names) expect(typeof ops[name], name).toBe("function");
    expect(Object.keys(ops).sort()).toEqual([...names].sort());
  });
});

it("names an operation alike in every era that has it", () => {
  const byId = new Map<string, Set<string>>();
  for (const { pkg } of Object.values(eras)) {
    for (const id of Object.keys(pkg.operationTable)) byId.set(id, (byId.get(id) ?? new Set()).add(functionName(id)));
  }
  for (const [id, names] of byId) expect([...names], id).toHaveLength(1);
  expect(ops2.checkToken.name).toBe("checkToken");
  expect(ops3.listInstallations.name).toBe(ops2022.listInstallations.name);
});

// Every operation of an era, type-level: its function returns the operation's success body, and takes
// (at least) its path parameters. Mismatches<…> is the union of operationIds that fail; never when none does.
type Data<Op> = Exclude<FetchResponse<Op & Record<string | number, any>, {}, "application/json">["data"], undefined>;
type FnData<F> = F extends (...args: any[]) => Promise<infer R> ? Exclude<R extends { data?: infer D } ? D : never, undefined> : never;
type PathOf<Op> = Op extends { parameters: { path: infer P } } ? P : undefined;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Mismatches<Fns, Ops> = {
  [K in keyof Ops]: K extends keyof Fns
    ? Same<FnData<Fns[K]>, Data<Ops[K]>> extends true
      ? PathOf<Ops[K]> extends undefined
        ? never
        : Fns[K] extends (client: any, params: infer P, ...rest: any[]) => any
          ? P extends PathOf<Ops[K]> ? never : K
          : K
      : K
    : K;
}[keyof Ops];

it("gives every operation of every era a function with its result and path parameter types", () => {
  expectTypeOf<Mismatches<ops2.OperationFunctions, v2.operations>>().toEqualTypeOf<never>();
  expectTypeOf<Mismatches<ops3.OperationFunctions, v3.operations>>().toEqualTypeOf<never>();
  expectTypeOf<Mismatches<ops2022.OperationFunctions, v2022.operations>>().toEqualTypeOf<never>();
  // The check can fail: checkToken's result is not listInstallations'.
  type Swapped = Omit<ops3.OperationFunctions, "apps/check-token"> & { "apps/check-token": typeof ops3.listInstallations };
  expectTypeOf<Mismatches<Swapped, v3.operations>>().toEqualTypeOf<"apps/check-token">();
});

it("types parameters and results from each era's spec", () => {
  type Auth3 = v3.components["schemas"]["authorization"];
  const github = v3.createClient({ baseUrl: "http://127.0.0.1:9/api/v3" });
  expectTypeOf(ops3.checkToken).parameter(1).toEqualTypeOf<{ client_id: string } & { access_token: string }>();
  expectTypeOf<Awaited<ReturnType<typeof ops3.checkToken>>["data"]>().toEqualTypeOf<Auth3 | undefined>();
  expectTypeOf<Awaited<ReturnType<typeof ops2.checkToken>>["data"]>().toEqualTypeOf<v2.components["schemas"]["authorization"] | undefined>();
  expectTypeOf<Awaited<ReturnType<typeof ops2022.checkToken>>["data"]>().toEqualTypeOf<v2022.components["schemas"]["authorization"] | undefined>();
  expectTypeOf<Awaited<ReturnType<typeof ops3.listInstallations>>["data"]>().toEqualTypeOf<v3.components["schemas"]["installation"][] | undefined>();
  expectTypeOf(ops2022.listInstallations).parameter(1).toEqualTypeOf<{ per_page?: number; page?: number; since?: string; outdated?: string } | undefined>();
  // @ts-expect-error -- access_token is required
  void (() => ops3.checkToken(github, { client_id: "Iv1.1" }));
  // @ts-expect-error -- per_page is a number
  void (() => ops3.listInstallations(github, { per_page: "100" }));
  // @ts-expect-error -- GET /app/hook/config is not an operation of 2.2x
  void ops2.getWebhookConfigForApp;
});

it("sends the operation's method, path, query and body", async () => {
  server = await startServer((req) => ({ status: req.method === "GET" ? 200 : 201, body: req.method === "GET" ? [] : { token: "v1.x", expires_at: "2030-01-01T00:00:00Z" } }));
  const github = v3.createClient({ baseUrl: server.baseUrl });
  const { data } = await ops3.listInstallations(github, { per_page: 5 });
  expect(data).toEqual([]);
  await ops3.createInstallationAccessToken(github, { installation_id: 42, repositories: ["hello-world"] });
  await ops3.checkToken(github, { client_id: "Iv1.a/b", access_token: "gho_16C7e42F292c6912E7710c838347Ae178B4a" });
  expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
    "GET /api/v3/app/installations?per_page=5",
    "POST /api/v3/app/installations/42/access_tokens",
    "POST /api/v3/applications/Iv1.a%2Fb/token",
  ]);
  expect(server.requests[1]!.body).toEqual({ repositories: ["hello-world"] });
  expect(server.requests[2]!.body).toEqual({ access_token: "gho_16C7e42F292c6912E7710c838347Ae178B4a" });
  expect(server.requests[0]!.headers.accept).toBe("application/vnd.github.v3+json");
});
