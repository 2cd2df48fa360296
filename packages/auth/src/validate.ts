import { invalidOption } from "./errors.js";
import type { Era } from "./types.js";

// Construction-time checks shared by every strategy. Each throws a GhesAuthError naming the option and
// describing the problem by the value's *type* only: the value may be a secret, or a secret pasted into
// the wrong option, so it is never echoed.

export function kindOf(value: unknown): string {
  // "null", "undefined", "NaN"
  if (value === null || value === undefined || Number.isNaN(value)) return String(value);
  if (Array.isArray(value)) return "an array";
  if (value === "") return "an empty string";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

export function optionsObject(strategy: string, value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw invalidOption(strategy, "options", `must be an object, got ${kindOf(value)}`);
  }
  return value as Record<string, unknown>;
}

/** TypeScript catches a misspelt option at compile time; this catches it for JavaScript callers. */
export function knownKeys(strategy: string, options: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw invalidOption(strategy, key, `is not an option of ${strategy} (known: ${allowed.join(", ")})`);
    }
  }
}

/** Any printable ASCII without spaces: what fits in an HTTP header unchanged. */
export const HEADER_TOKEN = /^[\x21-\x7e]+$/;
const CONTROL = /[\x00-\x1f\x7f]/;

function nonEmptyString(strategy: string, option: string, value: unknown): string {
  if (typeof value !== "string" || value === "") {
    throw invalidOption(strategy, option, `must be a non-empty string, got ${kindOf(value)}`);
  }
  return value;
}

/** A non-empty string that will be sent verbatim in a header (tokens, OTPs). */
export function headerToken(strategy: string, option: string, value: unknown): string {
  const text = nonEmptyString(strategy, option, value);
  if (!HEADER_TOKEN.test(text)) throw invalidOption(strategy, option, "must not contain whitespace, control or non-ASCII characters");
  return text;
}

/** A non-empty string that goes into a Basic credential (base64, so any text without control characters). */
export function basicPart(strategy: string, option: string, value: unknown, opts: { colon: boolean }): string {
  const text = nonEmptyString(strategy, option, value);
  if (CONTROL.test(text)) throw invalidOption(strategy, option, "must not contain control characters");
  // RFC 7617: the user-id of a Basic credential cannot contain a colon, the password can.
  if (!opts.colon && text.includes(":")) throw invalidOption(strategy, option, "must not contain ':'");
  return text;
}

/** A positive integer given as a number or a string of digits (ids often arrive from env vars). */
export function positiveInteger(strategy: string, option: string, value: unknown): number {
  const n = typeof value === "string" && /^[0-9]+$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n <= 0) {
    throw invalidOption(strategy, option, `must be a positive integer, got ${kindOf(value)}`);
  }
  return n;
}

export function optionalEra(strategy: string, value: unknown): Era | undefined {
  if (value === undefined) return undefined;
  return eraValue(strategy, "era", value);
}

export function eraValue(strategy: string, option: string, value: unknown): Era {
  const era = value as Partial<Era> | null;
  if (era === null || typeof era !== "object" || typeof era.name !== "string" || typeof era.headersFor !== "function") {
    throw invalidOption(strategy, option, "must be an era: { name, headersFor(method, schemaPath) }");
  }
  return era as Era;
}

/** The `allowInsecureHttp` option every strategy takes: a boolean, false unless given. */
export function allowInsecureHttp(strategy: string, options: Record<string, unknown>): { allowInsecureHttp: boolean } {
  const value = options["allowInsecureHttp"];
  if (value !== undefined && typeof value !== "boolean") {
    throw invalidOption(strategy, "allowInsecureHttp", `must be true or false, got ${kindOf(value)}`);
  }
  return { allowInsecureHttp: value === true };
}
