import { defaultPathSerializer } from "openapi-fetch";
import { GhesSdkError } from "./errors.js";

const PARAM = /\{([^}]+)\}/g;
const STYLED = /\{[.;][^}]*\}|\{[^}]*\*\}/;

/**
 * Fills `{name}` placeholders with percent-encoded values.
 *
 * openapi-fetch's default serializer leaves a placeholder in the URL when its value is missing, which
 * sends a request to a wrong path. Tokens and client ids are user data: a `/`, `?` or `#` in them must
 * stay inside their path segment, so every value goes through encodeURIComponent. A segment that is
 * exactly `.` or `..` cannot be sent at all — URL parsers resolve it (also as `%2E%2E`) and the request
 * would reach another path — so it is refused, as is an empty value.
 */
export function pathSerializer(packageName: string, baseUrl = "") {
  // Each template is split once into literal text and parameter names (a client sees a handful of
  // templates, so the map stays small); a call then only encodes values and joins.
  const compiled = new Map<string, readonly string[]>();
  const compile = (pathname: string): readonly string[] => {
    const parts = pathname.split(PARAM);
    if (compiled.size < 512) compiled.set(pathname, parts); // bounded: a per-request baseUrl adds entries
    return parts;
  };
  return (pathname: string, pathParams: Record<string, unknown> | undefined): string => {
    // Label, matrix and exploded templates ({.x}, {;x}, {x*}) are not GitHub's: openapi-fetch's own serializer.
    if (STYLED.test(pathname)) return defaultPathSerializer(pathname, pathParams ?? {});
    // Even indexes are literal text, odd ones parameter names (String.split keeps the capture group).
    const parts = compiled.get(pathname) ?? compile(pathname);
    if (parts.length === 1) return pathname;
    let out = parts[0]!;
    for (let i = 1; i < parts.length; i += 2) {
      out += encodeParam(packageName, baseUrl, pathname, parts[i]!, pathParams?.[parts[i]!]) + parts[i + 1]!;
    }
    return out;
  };
}

function encodeParam(packageName: string, baseUrl: string, pathname: string, name: string, value: unknown): string {
  const text = typeof value === "number" && Number.isFinite(value) ? String(value) : value;
  if (typeof text === "string" && text !== "" && text !== "." && text !== "..") return encodeURIComponent(text);
  // openapi-fetch hands over baseUrl + path; the path alone says which operation it is.
  const where = `path parameter "${name}" of ${baseUrl && pathname.startsWith(baseUrl) ? pathname.slice(baseUrl.length) : pathname}`;
  throw new GhesSdkError(packageName, `${where} ${pathValueProblem(value)}`);
}

/** Why a path value cannot be sent. */
function pathValueProblem(value: unknown): string {
  if (value === undefined || value === null) return "is missing";
  if (typeof value === "number") return "must be a finite number";
  if (typeof value !== "string") return `must be a string or a number, not ${typeof value}`;
  return value === "" ? "is empty" : `cannot be "." or "..": it would change the URL's path`;
}
