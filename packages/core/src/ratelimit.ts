import type { RateLimit } from "./types.js";

/** The `X-RateLimit-*` values of a response, or undefined when it has none (rate limiting off on the appliance). */
export function readRateLimit(headers: Headers): RateLimit | undefined {
  /** `X-RateLimit-<name>` as a finite number, or undefined when it is missing or not one. */
  const num = (name: string): number | undefined => {
    const value = headers.get(`x-ratelimit-${name}`);
    const n = Number(value);
    return value === null || !Number.isFinite(n) ? undefined : n;
  };
  const limit = num("limit");
  if (limit === undefined) return undefined;
  const remaining = num("remaining");
  const reset = num("reset");
  if (remaining === undefined || reset === undefined) return undefined;
  const resource = headers.get("x-ratelimit-resource");
  return {
    limit,
    remaining,
    used: num("used"),
    reset,
    resource: resource && /^[\w-]{1,40}$/.test(resource) ? resource : undefined,
  };
}
