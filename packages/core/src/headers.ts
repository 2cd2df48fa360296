import { failFor, GhesSdkError } from "./errors.js";

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// What undici sends as a header value: tab, visible ASCII, Latin-1; no NUL, CR or LF.
const VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

const SHAPES = "must be an object, a Headers or an array of [name, value] pairs";

export type HeaderValue = string | number | boolean | null | undefined | readonly (string | number | boolean)[];

/**
 * Every form `headers` may take — a plain object, a Headers, or an array of [name, value] pairs — as
 * one plain object with lower-case names (openapi-fetch runs Object.entries over what it is given, so an
 * array would be sent as headers named "0", "1", …). Names must be HTTP tokens and values must be
 * sendable (no CR, LF or NUL, Latin-1 only), checked here so a bad header fails where it was written,
 * naming the option and the entry — never echoing the value. null/undefined values are kept: they unset
 * a header per request, as in openapi-fetch.
 */
export function normaliseHeaders(packageName: string, where: string, headers: unknown): Record<string, HeaderValue> {
  const fail = failFor(packageName, `${where} `);
  let entries: [unknown, unknown][];
  if (headers instanceof Headers) entries = [...headers.entries()];
  else if (Array.isArray(headers)) {
    entries = headers.map((pair, i) => {
      if (!Array.isArray(pair) || pair.length !== 2) fail(`${SHAPES}; entry ${i} is not a pair`);
      return pair as [unknown, unknown];
    });
  } else if (typeof headers === "object" && headers !== null) entries = Object.entries(headers);
  else return fail(SHAPES);

  const out: Record<string, HeaderValue> = {};
  entries.forEach(([name, value], i) => {
    if (typeof name !== "string" || !TOKEN.test(name)) fail(`has a header name that is not a valid HTTP token (entry ${i})`);
    const key = (name as string).toLowerCase();
    if (value === null || value === undefined) {
      out[key] = value;
      return;
    }
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (!["string", "number", "boolean"].includes(typeof v)) fail(`header "${key}" must have a string value`);
      if (!VALUE.test(String(v))) fail(`header "${key}" has a value with a line break, a NUL or a character outside Latin-1`);
    }
    const previous = out[key];
    out[key] = typeof previous === "string" ? `${previous}, ${values.join(", ")}` : (value as HeaderValue);
  });
  return out;
}

/** A User-Agent must be a sendable header value: no CR, LF, NUL or characters outside Latin-1. */
export function checkUserAgent(packageName: string, value: unknown): void {
  if (value !== undefined && (typeof value !== "string" || !VALUE.test(value) || value.length > 512)) {
    throw new GhesSdkError(
      packageName,
      "options.userAgent must be a string of at most 512 characters without line breaks, NUL or characters outside Latin-1",
    );
  }
}

/** Checks a base URL (the client's or a request's) and returns it without trailing slashes. */
export function checkBaseUrl(packageName: string, where: string, baseUrl: unknown): string {
  const fail = failFor(packageName, `${where} `);
  if (typeof baseUrl !== "string" || baseUrl.trim() === "") fail("is required, e.g. https://ghes.example.com/api/v3");
  let url: URL;
  try {
    url = new URL(baseUrl as string);
  } catch {
    return fail("is not an absolute URL, e.g. https://ghes.example.com/api/v3");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") fail("must use http: or https:");
  if (url.username || url.password) fail("must not carry credentials; pass them with options.auth");
  // Checked on the text: "…/api/v3?" parses to an empty search, yet is not a base URL either.
  if (/[?#]/.test(baseUrl as string)) fail("must not have a query string or fragment");
  // openapi-fetch drops one trailing slash; drop them all so "…/api/v3//" does not produce "//app".
  return (baseUrl as string).replace(/\/+$/, "");
}
