import { checkBaseUrl, GhesSdkError, redactUrl } from "@ghes-sdk/core";
import { PACKAGE } from "./errors.js";

const EXAMPLE = "the GHES host (ghes.example.com) or its REST API root (https://ghes.example.com/api/v3)";
// GHES serves its REST API under /api/v3 of its host, on every version (the web UI owns the rest).
const API_PATH = "/api/v3";

/**
 * The REST API root of a GHES from what a person would type: `ghes.example.com`, `https://ghes.example.com`,
 * `https://ghes.example.com/` or `https://ghes.example.com/api/v3` all give `https://ghes.example.com/api/v3`.
 * A host without a scheme is https. The URL's other rules (http: or https:, no credentials, no query or
 * fragment) are createClient's own, from @ghes-sdk/core.
 */
export function apiRoot(baseUrl: unknown): string {
  const fail = (problem: string): never => {
    throw new GhesSdkError(PACKAGE, `options.baseUrl ${problem}`);
  };
  if (typeof baseUrl !== "string" || baseUrl.trim() === "") return fail(`is required: ${EXAMPLE}`);
  const text = baseUrl.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== "https" && scheme !== "http") {
    return fail(`uses ${scheme}:, which is not how GHES serves its API: use https:// (or http:// for a GHES on this machine), e.g. ${EXAMPLE}`);
  }
  const withScheme = scheme === undefined ? `https://${text}` : text;
  // Credentials, a query string or a fragment: refused here as createClient refuses them, before any parsing
  // of ours could echo them.
  const checked = checkBaseUrl(PACKAGE, "options.baseUrl", withScheme);
  let url: URL;
  try {
    url = new URL(checked);
  } catch {
    return fail(`is not a host or a URL: pass ${EXAMPLE}`);
  }
  const path = url.pathname.replace(/\/+$/, "");
  if (path === "") return `${url.origin}${API_PATH}`;
  if (path === API_PATH) return `${url.origin}${API_PATH}`;
  return fail(
    `${redactUrl(url.origin + url.pathname).slice(0, 200)} has the path ${JSON.stringify(path.slice(0, 80))}, which is neither the host's root nor ${API_PATH}: pass ${url.origin} or ${url.origin}${API_PATH}`,
  );
}
