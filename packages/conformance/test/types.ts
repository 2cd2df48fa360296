// Type behaviour of the era clients, checked by `tsc --noEmit` (the package's test script runs it first):
// every `@ts-expect-error` must sit on a line that really fails to compile, or tsc fails the tests.
import * as v2 from "@ghes-sdk/ghes-2.2x";
import * as v3 from "@ghes-sdk/ghes-3.x";
import * as v2022 from "@ghes-sdk/ghes-2022-11-28";
import { expectTypeOf } from "vitest";
import type { Client, MethodResponse } from "openapi-fetch";

const path = { client_id: "Iv1.8a61f9b3a7aba766" };
const body = { access_token: "e72e16c7e42f292c6912e7710c838347ae178b4a" };

export async function ghes22x(client = v2.createClient({ baseUrl: "https://ghes.example.com/api/v3" })) {
  const ok = await client.POST("/applications/{client_id}/token", { params: { path }, body });
  expectTypeOf(ok.data).toEqualTypeOf<v2.components["schemas"]["authorization"] | undefined>();
  // @ts-expect-error -- client_id is a required path parameter
  await client.POST("/applications/{client_id}/token", { params: { path: {} }, body });
  // @ts-expect-error -- access_token is a required body property
  await client.POST("/applications/{client_id}/token", { params: { path }, body: {} });
  // @ts-expect-error -- installation_id is required
  await client.DELETE("/app/installations/{installation_id}", { params: { path: {} } });
  // @ts-expect-error -- title and body are required
  await client.POST("/content_references/{content_reference_id}/attachments", { params: { path: { content_reference_id: 1 } }, body: { title: "t" } });
  // @ts-expect-error -- the scoped-token endpoint does not exist before GHES 3.1
  await client.POST("/applications/{client_id}/token/scoped", { params: { path }, body });
}

export async function ghes3x(client = v3.createClient({ baseUrl: "https://ghes.example.com/api/v3" })) {
  const ok = await client.POST("/applications/{client_id}/token", { params: { path }, body });
  expectTypeOf(ok.data).toEqualTypeOf<v3.components["schemas"]["authorization"] | undefined>();
  // @ts-expect-error -- client_id is a required path parameter
  await client.POST("/applications/{client_id}/token", { params: { path: {} }, body });
  // @ts-expect-error -- access_token is a required body property
  await client.PATCH("/applications/{client_id}/token", { params: { path }, body: {} });
  // @ts-expect-error -- access_token is a required path parameter of the deprecated endpoint
  await client.GET("/applications/{client_id}/tokens/{access_token}", { params: { path } });
}

export async function ghes20221128(client = v2022.createClient({ baseUrl: "https://ghes.example.com/api/v3" })) {
  const ok = await client.POST("/applications/{client_id}/token", { params: { path }, body });
  expectTypeOf(ok.data).toEqualTypeOf<v2022.components["schemas"]["authorization"] | undefined>();
  // @ts-expect-error -- client_id is a required path parameter
  await client.DELETE("/applications/{client_id}/token", { params: { path: {} }, body });
  // @ts-expect-error -- access_token is a required body property
  await client.DELETE("/applications/{client_id}/grant", { params: { path }, body: {} });
  // @ts-expect-error -- client_secret is a required body property
  await client.PUT("/authorizations/clients/{client_id}", { params: { path }, body: { scopes: ["repo"] } });
  // @ts-expect-error -- the token-in-path endpoints are gone in this era
  await client.GET("/applications/{client_id}/tokens/{access_token}", { params: { path: { ...path, ...body } } });
}

/**
 * An era client is openapi-fetch's Client: assignable to it, its helper types apply. Per-call `timeout`
 * and `retry` pass through openapi-fetch's init (checked at the call, see core's tests) and are typed on
 * paginate and the operation functions.
 */
export async function requestOverrides(client = v3.createClient({ baseUrl: "https://ghes.example.com/api/v3" })) {
  const plain: Client<v3.paths> = client;
  type AppResponse = MethodResponse<typeof plain, "get", "/app">;
  expectTypeOf<AppResponse["id"]>().toEqualTypeOf<number>();
  const ok = await client.GET("/app", { timeout: 5_000, retry: { limit: 1, methods: ["GET"] } });
  expectTypeOf(ok.data?.id).toEqualTypeOf<number | undefined>();
  await client.POST("/applications/{client_id}/token", { params: { path }, body, timeout: 2_000, retry: false });
  await client.request("get", "/app", { timeout: 1_000 });
  // @ts-expect-error -- still checks the operation: client_id is required
  await client.POST("/applications/{client_id}/token", { params: { path: {} }, body, timeout: 2_000 });
  for await (const installation of v3.paginate(client, "/app/installations", { timeout: 5_000 })) expectTypeOf(installation.id).toBeNumber();
  // @ts-expect-error -- paginate's timeout is a number of milliseconds
  v3.paginate(client, "/app/installations", { timeout: "5s" });
  const narrowed = v3.createClient({ baseUrl: "https://ghes.example.com/api/v3", ghesVersion: "3.4" });
  await narrowed.GET("/app", { timeout: 5_000 });
}
