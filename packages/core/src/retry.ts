import { failFor } from "./errors.js";
import type { RetryPolicy } from "./types.js";

/**
 * The defaults, chosen for a shared GHES appliance: two retries (three attempts) of idempotent methods,
 * on 429, on the 5xx a restart or an overloaded appliance answers, and on 403 rate limits; backoff from
 * 1 s to 8 s with full jitter so many clients do not come back in step; never wait more than 20 s for
 * one `Retry-After`/`X-RateLimit-Reset` nor 20 s in all — a longer wait is the caller's decision (see
 * `onRateLimit`). 400, 401, 404, 409 and 422 are never retried: the same request gets the same answer.
 * A network error (no response: a reset or refused connection) is retried like a 503, for the same methods.
 */
export const DEFAULT_RETRY: Readonly<RetryPolicy> = Object.freeze({
  limit: 2,
  methods: Object.freeze(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]),
  statusCodes: Object.freeze([429, 500, 502, 503, 504]),
  rateLimit403: true,
  networkErrors: true,
  baseDelay: 1_000,
  maxDelay: 8_000,
  maxRetryAfter: 20_000,
  maxTotalWait: 20_000,
});

/** A policy that never retries (`retry: false`). */
const NEVER: Readonly<RetryPolicy> = Object.freeze({ ...DEFAULT_RETRY, limit: 0 });

const NEVER_RETRIED = new Set([400, 401, 404, 409, 422]);
const KEYS = new Set(Object.keys(DEFAULT_RETRY));

/** `override` over `base`, checked; `where` names the option in errors ("options.retry"). */
export function resolveRetry(packageName: string, where: string, base: Readonly<RetryPolicy>, override: unknown): Readonly<RetryPolicy> {
  if (override === undefined) return base;
  if (override === false) return NEVER;
  const fail = failFor(packageName, where);
  if (typeof override !== "object" || override === null || Array.isArray(override)) fail(" must be an object or false");
  const o = override as Record<string, unknown>;
  for (const key of Object.keys(o)) if (!KEYS.has(key)) fail(` has an unknown key "${key.slice(0, 40)}"; known: ${[...KEYS].join(", ")}`);
  const policy = { ...base } as RetryPolicy;
  for (const key of ["limit", "baseDelay", "maxDelay", "maxRetryAfter", "maxTotalWait"] as const) {
    const v = o[key];
    if (v === undefined) continue;
    if (typeof v !== "number" || !(v >= 0) || (key === "limit" ? !Number.isInteger(v) || v > 10 : !Number.isFinite(v))) {
      fail(`.${key} must be ${key === "limit" ? "an integer from 0 to 10" : "a finite number of milliseconds, 0 or more"}`);
    }
    policy[key] = v as number;
  }
  if (o.methods !== undefined) {
    if (!Array.isArray(o.methods) || !o.methods.every((m) => typeof m === "string")) fail(".methods must be an array of method names");
    policy.methods = Object.freeze((o.methods as string[]).map((m) => m.toUpperCase()));
  }
  if (o.statusCodes !== undefined) {
    const codes = o.statusCodes;
    if (!Array.isArray(codes) || !codes.every((c) => Number.isInteger(c) && c >= 100 && c <= 599)) fail(".statusCodes must be an array of HTTP statuses");
    const refused = (codes as number[]).filter((c) => NEVER_RETRIED.has(c));
    if (refused.length) fail(`.statusCodes must not hold ${refused.join(", ")}: the same request gets the same answer`);
    policy.statusCodes = Object.freeze([...(codes as number[])]);
  }
  for (const key of ["rateLimit403", "networkErrors"] as const) {
    if (o[key] === undefined) continue;
    if (typeof o[key] !== "boolean") fail(`.${key} must be true or false`);
    policy[key] = o[key] as boolean;
  }
  return Object.freeze(policy);
}

/** Full jitter: a random wait in [0, min(maxDelay, baseDelay * 2^attempt)). `attempt` counts from 0. */
export function backoffDelay(attempt: number, policy: Readonly<RetryPolicy>, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(policy.maxDelay, policy.baseDelay * 2 ** attempt));
}

/**
 * How long the server asks to wait, in ms, or undefined when it does not say: `Retry-After` as seconds
 * or as an HTTP date, else `X-RateLimit-Reset` when `X-RateLimit-Remaining` is 0. Dates are measured
 * against the response's own `Date` header when it has one, so a skewed local clock does not matter.
 */
export function serverWait(headers: Headers, now = Date.now()): number | undefined {
  const serverNow = Date.parse(headers.get("date") ?? "");
  const base = Number.isNaN(serverNow) ? now : serverNow;
  const retryAfter = headers.get("retry-after")?.trim();
  if (retryAfter) {
    if (/^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - base);
  }
  if (headers.get("x-ratelimit-remaining") === "0") {
    const reset = Number(headers.get("x-ratelimit-reset"));
    if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - base);
  }
  return undefined;
}

/** Whether a 403 or 429 is a rate limit: GitHub's secondary limit (Retry-After or its message) or an exhausted primary limit. */
export function isRateLimited(status: number, headers: Headers, message: string | undefined): boolean {
  if (status === 429) return true;
  if (status !== 403) return false;
  return headers.has("retry-after") || headers.get("x-ratelimit-remaining") === "0" || /rate limit/i.test(message ?? "");
}

/** What one attempt ended with, as the retry decision sees it. */
export interface Attempt {
  readonly method: string;
  /** Retries made so far (0 after the first attempt). */
  readonly attempt: number;
  /** Milliseconds already waited between attempts of this call. */
  readonly waited: number;
  /** Milliseconds left before the call's timeout. */
  readonly remaining: number;
  /** The response, or undefined when none came (a reset or refused connection). */
  readonly response: { readonly status: number; readonly headers: Headers } | undefined;
  /** Whether the response is a rate limit (see isRateLimited). */
  readonly rateLimited: boolean;
}

/** The decision: wait `wait` ms and send again, or not; `possible` is false when no answer of onRateLimit may change it. */
export interface RetryDecision {
  readonly retry: boolean;
  readonly wait: number;
  readonly possible: boolean;
}

/**
 * Every retry decision of the SDK, in one place. Never past `limit` retries or the call's time left;
 * within those, a response is retried when the policy retries its status for the method (a 403 only when
 * it is a rate limit) and the server's `Retry-After` / `X-RateLimit-Reset` fits `maxRetryAfter` and the
 * total wait `maxTotalWait`; no response at all is retried like a 503 when `networkErrors` is on. The wait
 * is what the server asks for, else the backoff. `possible` tells the caller whether onRateLimit's `true`
 * may still retry (it may override the policy, never the limit or the time left).
 */
export function retryDecision(policy: Readonly<RetryPolicy>, a: Attempt, random: () => number = Math.random): RetryDecision {
  const asked = a.response ? serverWait(a.response.headers) : undefined;
  const wait = asked ?? backoffDelay(a.attempt, policy, random);
  const possible = a.attempt < policy.limit && wait < a.remaining;
  const { response } = a;
  const wanted = response
    ? !NEVER_RETRIED.has(response.status) &&
      policy.methods.includes(a.method) &&
      (response.status === 403 ? policy.rateLimit403 && a.rateLimited : policy.statusCodes.includes(response.status)) &&
      (asked === undefined || asked <= policy.maxRetryAfter)
    : policy.networkErrors && policy.methods.includes(a.method);
  return { retry: possible && wanted && a.waited + wait <= policy.maxTotalWait, wait, possible };
}
