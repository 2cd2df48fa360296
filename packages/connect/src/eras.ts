import { createConnect } from "./connect.js";

/**
 * Every era, each imported when a server of that era is found: Node loads only that era's package, and a
 * bundler that splits code puts each era in a chunk of its own. A new era is one row (the `satisfies`
 * check fails to compile while core knows an era this table lacks).
 */
const everyEra = {
  "ghes-2.2x": () => import("@ghes-sdk/ghes-2.2x"),
  "ghes-3.x": () => import("@ghes-sdk/ghes-3.x"),
  "ghes-2022-11-28": () => import("@ghes-sdk/ghes-2022-11-28"),
  "ghes-2026-03-10": () => import("@ghes-sdk/ghes-2026-03-10"),
} satisfies Required<Parameters<typeof createConnect>[0]>;

/**
 * Detects the GHES at `baseUrl` (a bare host, the host's URL or its `/api/v3` root) and answers the era
 * that serves it with that era's client — `gh.era` tells them apart, and narrows `gh.client` to the era's
 * paths. `apiVersion` picks the REST API version where a server serves several (GHES 3.21+).
 */
export const connect = /* @__PURE__ */ createConnect(everyEra);
