// Type behaviour of the App permission sets, checked by `tsc --noEmit` (the package's test script runs it
// first): the permission keys GitHub's descriptions add within an era are in that era's types (with
// `x-ghes-since` in the spec), so an App can ask a newer server of the era for them.
import * as v3 from "@ghes-sdk/ghes-3.x";
import * as v2022 from "@ghes-sdk/ghes-2022-11-28";
import { expectTypeOf } from "vitest";

const params = { path: { installation_id: 1 } };

export async function installationTokenPermissions2022(client = v2022.createClient({ baseUrl: "https://ghes.example.com/api/v3" })) {
  // Account permissions from GHES 3.9 (the era's first version), custom properties from 3.12,
  // enterprise administration from 3.15.
  const { data } = await client.POST("/app/installations/{installation_id}/access_tokens", {
    params,
    body: {
      repositories: ["Hello-World"],
      permissions: {
        contents: "read",
        profile: "write",
        starring: "read",
        followers: "read",
        organization_events: "read",
        repository_custom_properties: "write",
        organization_custom_properties: "admin",
        enterprise_administration: "read",
        code_quality: "read",
      },
    },
  });
  // openapi-fetch's generic init does not reject unknown keys in a nested literal, so the keys are
  // checked on the type itself.
  type Permissions = v2022.components["schemas"]["app-permissions"];
  expectTypeOf<Permissions["profile"]>().toEqualTypeOf<"write" | undefined>();
  expectTypeOf<Permissions["starring"]>().toEqualTypeOf<"read" | "write" | undefined>();
  expectTypeOf<Permissions["organization_custom_properties"]>().toEqualTypeOf<"read" | "write" | "admin" | undefined>();
  if (data) {
    expectTypeOf(data.permissions?.gpg_keys).toEqualTypeOf<"read" | "write" | undefined>();
    expectTypeOf(data.repositories?.[0]?.has_pull_requests).toEqualTypeOf<boolean | undefined>();
  }
  await client.POST("/app/installations/{installation_id}/access_tokens", {
    params,
    // @ts-expect-error -- GitHub's descriptions of every version grant `profile` at `write` only
    body: { permissions: { profile: "read" } },
  });
  await client.POST("/app/installations/{installation_id}/access_tokens", {
    params,
    // @ts-expect-error -- `organization_events` is read-only
    body: { permissions: { organization_events: "write" } },
  });
  // The installation's own client ID (GHES 3.14 and later): optional, older servers leave it out.
  const installation = await client.GET("/app/installations/{installation_id}", { params });
  expectTypeOf(installation.data?.client_id).toEqualTypeOf<string | undefined>();
}

export async function installationTokenPermissions3x(client = v3.createClient({ baseUrl: "https://ghes.example.com/api/v3" })) {
  // GHES 3.8 adds the account permissions; `content_references` stays for 3.0–3.3.
  await client.POST("/app/installations/{installation_id}/access_tokens", {
    params,
    body: { permissions: { profile: "write", codespaces: "read", content_references: "read" } },
  });
  type Permissions3x = v3.components["schemas"]["app-permissions"];
  expectTypeOf<Permissions3x>().toHaveProperty("gpg_keys");
  // Custom properties arrive in GHES 3.12, in the 2022-11-28 era; team discussions end there with 3.16.
  expectTypeOf<Permissions3x>().not.toHaveProperty("repository_custom_properties");
  expectTypeOf<v2022.components["schemas"]["app-permissions"]>().toHaveProperty("repository_custom_properties");
  expectTypeOf<v2022.components["schemas"]["app-permissions"]>().toHaveProperty("team_discussions");
}

/**
 * A property required only from a later version of the era (x-ghes-since) is optional in the types: 3.x's
 * `expires_at` is required from GHES 3.2, and 3.0/3.1 leave it out; on 2022-11-28 every version sends it.
 */
export function versionScopedRequired() {
  expectTypeOf<v3.components["schemas"]["authorization"]["expires_at"]>().toEqualTypeOf<string | null | undefined>();
  expectTypeOf<v2022.components["schemas"]["authorization"]["expires_at"]>().toEqualTypeOf<string | null>();
}
