// Compiled by `npm test`'s tsc (strict): each @ts-expect-error must be on a line that fails to compile.
import type { EraName, GhesClient } from "@ghes-sdk/core";
import type { paths as Paths22x } from "@ghes-sdk/ghes-2.2x";
import type { paths as Paths2022 } from "@ghes-sdk/ghes-2022-11-28";
import type { paths as Paths2026 } from "@ghes-sdk/ghes-2026-03-10";
import type { paths as Paths3x } from "@ghes-sdk/ghes-3.x";
import * as ghes2022 from "@ghes-sdk/ghes-2022-11-28";
import { describe, expectTypeOf, it } from "vitest";
import { connect, createConnect } from "../src/index.js";

// Never called: only compiled.
async function narrowing() {
  const gh = await connect({ baseUrl: "ghes.example.com" });
  // Every era core knows (connect's table must have them all, or it does not compile).
  expectTypeOf(gh.era).toEqualTypeOf<EraName>();
  if (gh.era === "ghes-2.2x") {
    expectTypeOf(gh.client).toEqualTypeOf<GhesClient<Paths22x>>();
    expectTypeOf(gh.apiVersion).toEqualTypeOf<undefined>();
    await gh.client.GET("/app");
    // @ts-expect-error -- webhook deliveries came with GHES 3.x: the 2.2x client does not have the path
    await gh.client.GET("/app/hook/deliveries");
    // @ts-expect-error -- installation requests are a path of the 2022-11-28 era (and 3.x from 3.5), not of 2.2x
    await gh.client.GET("/app/installation-requests");
  } else if (gh.era === "ghes-3.x") {
    expectTypeOf(gh.client).toEqualTypeOf<GhesClient<Paths3x>>();
    await gh.client.GET("/app/hook/deliveries");
  } else if (gh.era === "ghes-2022-11-28") {
    expectTypeOf(gh.client).toEqualTypeOf<GhesClient<Paths2022>>();
    expectTypeOf(gh.apiVersion).toEqualTypeOf<"2022-11-28">();
    await gh.client.GET("/app/installation-requests");
  } else if (gh.era === "ghes-2026-03-10") {
    expectTypeOf(gh.client).toEqualTypeOf<GhesClient<Paths2026>>();
    expectTypeOf(gh.apiVersion).toEqualTypeOf<"2026-03-10">();
  }
  // @ts-expect-error -- before narrowing, gh.client is one of several clients, not callable as one: narrow on gh.era first
  await gh.client.GET("/app");
}

async function apiVersion() {
  const gh = await connect({ baseUrl: "ghes.example.com", apiVersion: "2022-11-28" });
  // Asking for an API version narrows the answer to the eras named by it (any other server is an error).
  expectTypeOf(gh.era).toEqualTypeOf<"ghes-2022-11-28">();
  const next = await connect({ baseUrl: "ghes.example.com", apiVersion: "2026-03-10" });
  expectTypeOf(next.era).toEqualTypeOf<"ghes-2026-03-10">();
  expectTypeOf(next.client).toEqualTypeOf<GhesClient<Paths2026>>();
  // @ts-expect-error -- not an API version of any era
  await connect({ baseUrl: "ghes.example.com", apiVersion: "2021-01-01" });
  // @ts-expect-error -- connect detects the version itself
  await connect({ baseUrl: "ghes.example.com", ghesVersion: "3.4" });
}

async function chosenEras() {
  const only = createConnect({ "ghes-2022-11-28": ghes2022 });
  const gh = await only({ baseUrl: "ghes.example.com" });
  expectTypeOf(gh.era).toEqualTypeOf<"ghes-2022-11-28">();
  expectTypeOf(gh.client).toEqualTypeOf<GhesClient<Paths2022>>();
  const parts = createConnect({ "ghes-2022-11-28": { definition: ghes2022.definition, createClient: ghes2022.createClient } });
  expectTypeOf((await parts({ baseUrl: "ghes.example.com" })).client).toEqualTypeOf<GhesClient<Paths2022>>();
  const lazy = createConnect({ "ghes-3.x": () => import("@ghes-sdk/ghes-3.x") });
  expectTypeOf((await lazy({ baseUrl: "ghes.example.com" })).client).toEqualTypeOf<GhesClient<Paths3x>>();
  // @ts-expect-error -- not an era
  createConnect({ "ghes-4.x": ghes2022 });
}

describe("types", () => {
  it("compile (tsc --strict runs over this file in npm test)", () => {
    expectTypeOf(narrowing).toBeFunction();
    expectTypeOf(apiVersion).toBeFunction();
    expectTypeOf(chosenEras).toBeFunction();
  });
});
