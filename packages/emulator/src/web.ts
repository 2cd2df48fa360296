// The two web pages of GHES's App manifest flow (not REST API routes): a form POST of `manifest` to
// /settings/apps/new (an App of the signed-in user) or /organizations/{org}/settings/apps/new (of the
// organization) registers the App and redirects to the manifest's redirect_url with a one-time `code` (and
// the `state` the form was posted with), which POST /app-manifests/{code}/conversions then turns into the
// App's credentials. GHES asks the user to confirm in between; the emulator registers at once.
// https://docs.github.com/en/enterprise-server@3.9/apps/sharing-github-apps/registering-a-github-app-from-a-manifest
import type { EmulatorState } from "./state.js";

export interface WebReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const USER_PAGE = /^\/settings\/apps\/new\/?$/;
const ORG_PAGE = /^\/organizations\/([^/]+)\/settings\/apps\/new\/?$/;

/** Whether a request is for the manifest registration pages. */
export const isManifestPage = (pathname: string): boolean => USER_PAGE.test(pathname) || ORG_PAGE.test(pathname);

const page = (status: number, text: string): WebReply => ({
  status,
  headers: { "Content-Type": "text/html; charset=utf-8" },
  body: `<!doctype html><title>GitHub Enterprise</title><p>${text.replace(/[<>&]/g, (c) => `&#${c.charCodeAt(0)};`)}</p>`,
});

/** A manifest page's answer: the redirect with the code, or GHES-like error pages. */
export function manifestPage(state: EmulatorState, method: string, url: URL, form: string, contentType: string | undefined): WebReply {
  const org = ORG_PAGE.exec(url.pathname)?.[1];
  if (method === "GET") return page(200, "Register a new GitHub App: post a manifest to this page.");
  if (method !== "POST") return page(405, "Method not allowed");
  if (!contentType?.startsWith("application/x-www-form-urlencoded")) return page(415, "Post the manifest as a form (application/x-www-form-urlencoded)");
  const owner = org === undefined ? state.webUser : decodeURIComponent(org);
  if (org !== undefined && state.users.get(owner)?.type !== "Organization") return page(404, "Not Found");
  if (org === undefined && !state.users.has(owner)) state.createUser({ login: owner });
  let manifest: Record<string, any>;
  try {
    manifest = JSON.parse(new URLSearchParams(form).get("manifest") ?? "");
    if (typeof manifest !== "object" || manifest === null || Array.isArray(manifest)) throw new Error("not an object");
  } catch {
    return page(422, "Invalid GitHub App configuration: the manifest is not a JSON object");
  }
  if (typeof manifest["url"] !== "string") return page(422, "Invalid GitHub App configuration: url is required");
  let redirect: URL;
  try {
    redirect = new URL(String(manifest["redirect_url"]));
  } catch {
    return page(422, "Invalid GitHub App configuration: redirect_url must be a URL");
  }
  const name = typeof manifest["name"] === "string" && manifest["name"] !== "" ? manifest["name"] : `${owner}'s App`;
  const code = state.createManifestCode({
    name,
    owner,
    ...(manifest["default_permissions"] ? { permissions: manifest["default_permissions"] } : {}),
    ...(Array.isArray(manifest["default_events"]) ? { events: manifest["default_events"] } : {}),
    ...(typeof manifest["hook_attributes"]?.url === "string" ? { webhookUrl: manifest["hook_attributes"].url } : {}),
  });
  state.manifestRegistrations.push({ owner, page: url.pathname, manifest });
  redirect.searchParams.set("code", code);
  const stateParam = url.searchParams.get("state");
  if (stateParam !== null) redirect.searchParams.set("state", stateParam);
  return { status: 302, headers: { Location: redirect.href, "Content-Type": "text/html; charset=utf-8" }, body: "" };
}
