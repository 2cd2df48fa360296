// Generated from the specs' info.x-ghes-first/x-ghes-last by `node scripts/api.mjs eras` — do not edit.
// packages/conformance/test/eras.test.ts fails while it is stale.

/** The API generations the era packages cover, one package each. */
export type EraName = "ghes-2.2x" | "ghes-3.x" | "ghes-2022-11-28" | "ghes-2026-03-10";

/**
 * Every era package and the GHES feature releases it serves, oldest first (`until` absent: current), and
 * the REST API version it sends as `X-GitHub-Api-Version` for eras named after one. Eras may overlap (GHES
 * 3.21+ serves 2022-11-28 and 2026-03-10); of those, the first is what a request without the header gets.
 */
export const eraRanges: readonly { readonly era: EraName; readonly packageName: string; readonly since: string; readonly until?: string; readonly apiVersion?: string }[] = [
  {
    "era": "ghes-2.2x",
    "packageName": "@ghes-sdk/ghes-2.2x",
    "since": "2.20",
    "until": "2.22"
  },
  {
    "era": "ghes-3.x",
    "packageName": "@ghes-sdk/ghes-3.x",
    "since": "3.0",
    "until": "3.8"
  },
  {
    "era": "ghes-2022-11-28",
    "packageName": "@ghes-sdk/ghes-2022-11-28",
    "since": "3.9",
    "apiVersion": "2022-11-28"
  },
  {
    "era": "ghes-2026-03-10",
    "packageName": "@ghes-sdk/ghes-2026-03-10",
    "since": "3.21",
    "apiVersion": "2026-03-10"
  }
];
