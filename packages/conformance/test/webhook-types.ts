// Type behaviour of the era webhooks entry points, checked by `tsc --noEmit` (the package's test script
// runs it first): every `@ts-expect-error` must sit on a line that really fails to compile.
import * as w2 from "@ghes-sdk/ghes-2.2x/webhooks";
import * as w3 from "@ghes-sdk/ghes-3.x/webhooks";
import * as w2022 from "@ghes-sdk/ghes-2022-11-28/webhooks";
import { expectTypeOf } from "vitest";

export function handlers3x(webhooks = w3.createWebhooks({ secret: "s" })) {
  webhooks.on("installation_repositories.added", ({ id, name, payload }) => {
    expectTypeOf(id).toEqualTypeOf<string>();
    expectTypeOf(name).toEqualTypeOf<"installation_repositories">();
    expectTypeOf(payload.action).toEqualTypeOf<"added">();
    expectTypeOf(payload.repositories_added[0]!.full_name).toEqualTypeOf<string>();
    // GHES sends epoch seconds in created/added deliveries, ISO strings elsewhere.
    expectTypeOf(payload.installation.created_at).toEqualTypeOf<string | number>();
    expectTypeOf(payload.installation.permissions.repository_pre_receive_hooks).toEqualTypeOf<"read" | "write" | undefined>();
  });
  // The bare event is the union of its actions.
  webhooks.on("installation", ({ payload }) => {
    expectTypeOf(payload.action).toEqualTypeOf<"created" | "deleted" | "new_permissions_accepted" | "suspend" | "unsuspend">();
  });
  webhooks.on("ping", ({ payload }) => expectTypeOf(payload.zen).toEqualTypeOf<string>());
  webhooks.on("*", ({ name }) => expectTypeOf(name).toEqualTypeOf<"github_app_authorization" | "installation" | "installation_repositories" | "integration_installation" | "integration_installation_repositories" | "meta" | "ping">());
  expectTypeOf<w3.WebhookPayload<"integration_installation.created">>().toEqualTypeOf<w3.WebhookPayload<"installation.created">>();
  // @ts-expect-error -- installation_target is delivered from GHES 3.9 on (the 2022-11-28 era), not by 3.x
  webhooks.on("installation_target.renamed", () => {});
  // @ts-expect-error -- no such action
  webhooks.on("installation.renamed", () => {});
  webhooks.on("installation.created", ({ payload }) => {
    // @ts-expect-error -- a created delivery is not a repositories one
    void payload.repositories_added;
  });
}

export function eras() {
  w2022.createWebhooks({ secret: ["new", "old"] }).on("installation_target.renamed", ({ payload }) => expectTypeOf(payload.changes.login?.from).toEqualTypeOf<string | undefined>());
  // @ts-expect-error -- the integration_installation twins are not in the 2022-11-28 era's spec
  w2022.createWebhooks({ secret: "s" }).on("integration_installation.created", () => {});
  w2.createWebhooks({ secret: "s" }).on("integration_installation_repositories.removed", ({ payload }) => expectTypeOf(payload.action).toEqualTypeOf<"removed">());
  // @ts-expect-error -- secret is required
  w2.createWebhooks({});
}

export function byGhesVersion() {
  // Narrowed to one release: GHES 2.20 does not send installation.suspend (it is delivered from 2.21 on).
  const at220 = w2.createWebhooks({ secret: "s", ghesVersion: "2.20" });
  // @ts-expect-error -- installation.suspend is delivered from GHES 2.21 on
  at220.on("installation.suspend", () => {});
  at220.on("installation", ({ payload }) => expectTypeOf(payload.action).toEqualTypeOf<"created" | "deleted" | "new_permissions_accepted">());
  w2.createWebhooks({ secret: "s", ghesVersion: "2.21" }).on("installation.suspend", () => {});
  // @ts-expect-error -- 3.9 is not a release of the 3.x era
  w3.createWebhooks({ secret: "s", ghesVersion: "3.9" });
  w2022.createWebhooks({ secret: "s", ghesVersion: "3.14" }).on("installation_target.renamed", () => {});
}
