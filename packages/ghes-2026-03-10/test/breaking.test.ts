// REST API 2026-03-10's breaking changes for this family, as this package types them and a GHES 3.22 answers.
import { appAuth } from "@ghes-sdk/auth";
import { startEmulator } from "@ghes-sdk/emulator";
import { afterAll, expect, it } from "vitest";
import { createClient, type components } from "../src/index.js";

type Repository = components["schemas"]["repository"];
// @ts-expect-error has_downloads is gone in 2026-03-10
export const downloads = (repo: Repository) => repo.has_downloads;
// @ts-expect-error master_branch is gone in 2026-03-10
export const master = (repo: Repository) => repo.master_branch;
// @ts-expect-error use_squash_pr_title_as_default is gone in 2026-03-10
export const squash = (repo: Repository) => repo.use_squash_pr_title_as_default;

const ghes = await startEmulator({ ghesVersion: "3.22" });
afterAll(() => ghes.close());

it("deleting an installation answers 202, and repositories come without the removed properties", async () => {
  const app = ghes.state.createApp({ name: "2026" });
  const org = ghes.state.createOrganization("org-2026");
  const repo = ghes.state.createRepository({ owner: org.login, name: "r" });
  const installation = ghes.state.createInstallation({ appId: app.id, account: org.login, repositoryIds: [repo.id] });
  const github = createClient({ baseUrl: ghes.baseUrl, auth: appAuth({ appId: app.id, privateKey: app.privateKeyPem }) });
  const minted = await github.POST("/app/installations/{installation_id}/access_tokens", {
    params: { path: { installation_id: installation.id } },
    body: { repository_ids: [repo.id] },
  });
  expect(minted.response.status).toBe(201);
  expect(minted.data?.repositories?.[0]).toMatchObject({ id: repo.id, full_name: "org-2026/r" });
  expect(minted.data?.repositories?.[0]).not.toHaveProperty("has_downloads");
  const { response } = await github.DELETE("/app/installations/{installation_id}", { params: { path: { installation_id: installation.id } } });
  expect(response.status).toBe(202);
  expect(ghes.violations).toEqual([]);
});
