import type { RateLimit } from "./types.js";

/** The `X-RateLimit-*` values of a response, or undefined when it has none (rate limiting off on the appliance). */
export function readRateLimit(headers: Headers): RateLimit | undefined {
  const limit = headers.get("x-ratelimit-limit");
  if (limit === null) return undefined;
  const num = (name: string): number | undefined => {
    const value = headers.get(name);
    if (value === null) return undefined;
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  };
  const parsedLimit = Number(limit);
  const remaining = num("x-ratelimit-remaining");
  const reset = num("x-ratelimit-reset");
  if (!Number.isFinite(parsedLimit) || remaining === undefined || reset === undefined) return undefined;
  const resource = headers.get("x-ratelimit-resource");
  return {
    limit: parsedLimit,
    remaining,
    used: num("x-ratelimit-used"),
    reset,
    resource: resource && /^[\w-]{1,40}$/.test(resource) ? resource : undefined,
  };
}
