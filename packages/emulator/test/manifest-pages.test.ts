// The App manifest flow's web pages: a form POST registers the App and redirects with a code the
// conversion endpoint accepts once.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../src/index.js";

let ghes: Emulator;
let web: string;
beforeAll(async () => {
  ghes = await startEmulator({ era: "ghes-2022-11-28" });
  ghes.state.createOrganization("octo-org");
  web = ghes.baseUrl.replace(/\/api\/v3$/, "");
});
afterAll(() => ghes.close());

const post = (path: string, manifest: unknown, type = "application/x-www-form-urlencoded") =>
  fetch(`${web}${path}`, { method: "POST", body: new URLSearchParams({ manifest: JSON.stringify(manifest) }).toString(), headers: { "content-type": type }, redirect: "manual" });

it("an organization's page registers the App for the organization and redirects with code and state", async () => {
  const manifest = { name: "Pages Bot", url: "https://example.com", redirect_url: "http://127.0.0.1:9/callback?x=1", default_permissions: { issues: "write" } };
  const response = await post("/organizations/octo-org/settings/apps/new?state=abc", manifest);
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get("location")!);
  expect(`${location.origin}${location.pathname}`).toBe("http://127.0.0.1:9/callback");
  expect(location.searchParams.get("x")).toBe("1");
  expect(location.searchParams.get("state")).toBe("abc");
  expect(ghes.state.manifestRegistrations).toEqual([{ owner: "octo-org", page: "/organizations/octo-org/settings/apps/new", manifest }]);

  const code = location.searchParams.get("code")!;
  const conversion = () => fetch(`${ghes.baseUrl}/app-manifests/${code}/conversions`, { method: "POST", headers: { accept: "application/vnd.github+json" } });
  const converted = await conversion();
  expect(converted.status).toBe(201);
  expect(await converted.json()).toMatchObject({ name: "Pages Bot", owner: { login: "octo-org" }, permissions: { issues: "write" } });
  expect((await conversion()).status).toBe(404);
});

it("the user page registers the App for state.webUser", async () => {
  const response = await post("/settings/apps/new", { name: "Mine", url: "https://example.com", redirect_url: "http://127.0.0.1:9/cb" });
  expect(response.status).toBe(302);
  expect(ghes.state.manifestRegistrations.at(-1)!.owner).toBe("octocat");
});

it("refuses what GHES refuses: not a form, an unknown organization, a manifest without url or redirect_url", async () => {
  const ok = { url: "https://example.com", redirect_url: "http://127.0.0.1:9/cb" };
  expect((await post("/settings/apps/new", ok, "application/json")).status).toBe(415);
  expect((await post("/organizations/nobody/settings/apps/new", ok)).status).toBe(404);
  expect((await post("/settings/apps/new", { redirect_url: ok.redirect_url })).status).toBe(422);
  expect((await post("/settings/apps/new", { url: ok.url })).status).toBe(422);
});
