import { GhesSdkError } from "./errors.js";

const PARAM = /\{([^}]+)\}/g;

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
  return (pathname: string, pathParams: Record<string, unknown> | undefined): string =>
    pathname.replace(PARAM, (_match, name: string) => {
      const value = pathParams?.[name];
      // openapi-fetch hands over baseUrl + path; the path alone says which operation it is.
      const where = `path parameter "${name}" of ${baseUrl && pathname.startsWith(baseUrl) ? pathname.slice(baseUrl.length) : pathname}`;
      if (value === undefined || value === null) {
        throw new GhesSdkError(packageName, `${where} is missing`);
      }
      if (typeof value === "number") {
        if (!Number.isFinite(value)) throw new GhesSdkError(packageName, `${where} must be a finite number`);
      } else if (typeof value !== "string") {
        throw new GhesSdkError(packageName, `${where} must be a string or a number, not ${typeof value}`);
      }
      const text = String(value);
      if (text === "") throw new GhesSdkError(packageName, `${where} is empty`);
      if (text === "." || text === "..") {
        throw new GhesSdkError(packageName, `${where} cannot be "." or "..": it would change the URL's path`);
      }
      return encodeURIComponent(text);
    });
}
