// Installations: as the App (JWT), as the installation (its token), as a user (their token), and the
// content attachments an installation creates.
import { actingUser, HttpError, intParam, need, notFound, type Context, type Handler, type Reply } from "../context.js";
import { iso } from "../render.js";
import { compareVersions } from "@ghes-sdk/core";
import { STATELESS_TOKENS_SINCE, type GitHubApp, type Installation, type Repository } from "../state.js";

function appInstallation(ctx: Context): { app: GitHubApp; installation: Installation } {
  const { app } = need(ctx, "app");
  const installation = ctx.state.installations.get(intParam(ctx, "installation_id"));
  if (!installation || installation.appId !== app.id) throw notFound();
  return { app, installation };
}

function byAccount(ctx: Context, account: string): Reply {
  const { app } = need(ctx, "app");
  const installation = [...ctx.state.installations.values()].find((i) => i.appId === app.id && i.accountLogin === account);
  if (!installation) throw notFound();
  return ctx.reply(200, ctx.render.installation(installation));
}

/** Installations a user credential may see: on accounts the user is or belongs to; a ghu_ token: its App's only. */
function userInstallations(ctx: Context): Installation[] {
  const user = actingUser(ctx);
  const p = ctx.principal;
  const appId = p.kind === "user-token" && p.token.clientId ? ctx.state.clients.get(p.token.clientId)?.appId : undefined;
  return [...ctx.state.installations.values()].filter(
    (i) => ctx.state.canAdminister(user.login, i.accountLogin) && (appId === undefined || i.appId === appId),
  );
}

function userInstallation(ctx: Context): Installation {
  const id = intParam(ctx, "installation_id");
  const installation = userInstallations(ctx).find((i) => i.id === id);
  if (!installation) throw notFound();
  return installation;
}

function repoOf(ctx: Context, installation: Installation): Repository {
  const repo = ctx.state.repositories.get(intParam(ctx, "repository_id"));
  if (!repo || repo.ownerLogin !== installation.accountLogin) throw notFound();
  return repo;
}

const repositoryList = (ctx: Context, installation: Installation, repos: Repository[]) =>
  ctx.page(repos, (page) => ({
    total_count: repos.length,
    repository_selection: installation.repositorySelection,
    repositories: page.map((r) => ctx.render.repository(r)),
  }));

/** A content reference the calling installation can reach. */
function contentReference(ctx: Context) {
  const { installation } = need(ctx, "installation");
  const ref = ctx.state.contentReferences.get(intParam(ctx, "content_reference_id"));
  const repo = ref ? ctx.state.repositories.get(ref.repositoryId) : undefined;
  if (!ref || !repo || !ctx.state.repositoriesOf(installation).includes(repo)) throw notFound();
  if (ctx.params["owner"] !== undefined && (repo.ownerLogin !== ctx.params["owner"] || repo.name !== ctx.params["repo"])) throw notFound();
  return ref;
}

const attach: Handler = (ctx) => {
  const ref = contentReference(ctx);
  const body = ctx.body as { title: string; body: string };
  const attachment = { id: ctx.state.nextId(), title: body.title, body: body.body };
  ref.attachments.push(attachment);
  return ctx.reply(200, attachment);
};

export const installations: Record<string, Handler> = {
  "apps/list-installations": (ctx) => {
    const { app } = need(ctx, "app");
    const list = [...ctx.state.installations.values()].filter((i) => i.appId === app.id);
    return ctx.page(list, (page) => page.map((i) => ctx.render.installation(i)));
  },

  "apps/get-installation": (ctx) => ctx.reply(200, ctx.render.installation(appInstallation(ctx).installation)),

  "apps/delete-installation": (ctx) => {
    const { app, installation } = appInstallation(ctx);
    // Recorded first: the delivery describes the installation as it was.
    ctx.state.recordDelivery(app, "installation", "deleted", installation.id, null);
    ctx.state.installations.delete(installation.id);
    for (const t of ctx.state.tokens.values()) if (t.installationId === installation.id) ctx.state.revokeToken(t);
    // 204; REST API 2026-03-10 answers 202 (the lowest 2xx the era documents).
    return ctx.reply(ctx.success);
  },

  "apps/create-installation-access-token": (ctx) => {
    const { installation } = appInstallation(ctx);
    if (installation.suspendedAt !== null) throw new HttpError(403, "This installation has been suspended");
    const body = (ctx.body ?? {}) as { repositories?: string[]; repository_ids?: number[]; permissions?: Record<string, string> };
    const reachable = ctx.state.repositoriesOf(installation);
    let chosen: Repository[] | undefined;
    if (body.repositories || body.repository_ids) {
      chosen = [];
      for (const name of body.repositories ?? []) {
        const repo = reachable.find((r) => r.name === name || `${r.ownerLogin}/${r.name}` === name);
        if (!repo) throw new HttpError(422, `There is at least one repository that does not exist or is not accessible to the parent installation.`);
        chosen.push(repo);
      }
      for (const id of body.repository_ids ?? []) {
        const repo = reachable.find((r) => r.id === id);
        if (!repo) throw new HttpError(422, `There is at least one repository that does not exist or is not accessible to the parent installation.`);
        if (!chosen.includes(repo)) chosen.push(repo);
      }
    }
    const granted = installation.permissions;
    const rank = (level: string | undefined) => (level === "admin" ? 3 : level === "write" ? 2 : level === "read" ? 1 : 0);
    for (const [name, level] of Object.entries(body.permissions ?? {})) {
      if (rank(level) > rank(granted[name])) throw new HttpError(422, "The permissions requested are not granted to this installation.");
    }
    // GHES 3.20+ docs: installation tokens may come stateless (ghs_<APPID>_<JWT>); the temporary request
    // header X-GitHub-Stateless-S2S-Token forces a format for this mint ("enabled"/"disabled"; any other
    // value is ignored), else the server's rollout decides (the emulator's statelessTokens option).
    const asked = ctx.headers["x-github-stateless-s2s-token"];
    const stateless =
      compareVersions(ctx.ghesVersion, STATELESS_TOKENS_SINCE) >= 0 && (asked === "enabled" || (asked !== "disabled" && ctx.statelessTokens));
    const token = ctx.state.createToken({
      kind: "installation",
      stateless,
      installationId: installation.id,
      permissions: body.permissions ?? { ...granted },
      ...(chosen ? { repositoryIds: chosen.map((r) => r.id) } : {}),
    });
    return ctx.reply(201, {
      token: token.token,
      expires_at: iso(token.expiresAt),
      permissions: token.permissions,
      repository_selection: chosen ? "selected" : installation.repositorySelection,
      repositories: chosen ? chosen.map((r) => ctx.render.repository(r)) : undefined,
    });
  },

  "apps/suspend-installation": (ctx) => {
    const { app, installation } = appInstallation(ctx);
    installation.suspendedAt = ctx.state.now();
    installation.suspendedBy = app.ownerLogin;
    installation.updatedAt = installation.suspendedAt;
    ctx.state.recordDelivery(app, "installation", "suspend", installation.id, null);
    return ctx.reply(204);
  },

  "apps/unsuspend-installation": (ctx) => {
    const { app, installation } = appInstallation(ctx);
    if (installation.suspendedAt === null) throw notFound();
    installation.suspendedAt = null;
    installation.suspendedBy = null;
    installation.updatedAt = ctx.state.now();
    ctx.state.recordDelivery(app, "installation", "unsuspend", installation.id, null);
    return ctx.reply(204);
  },

  "apps/get-org-installation": (ctx) => byAccount(ctx, ctx.params["org"]!),
  "apps/get-user-installation": (ctx) => byAccount(ctx, ctx.params["username"]!),
  "apps/get-repo-installation": (ctx) => {
    const { app } = need(ctx, "app");
    const repo = [...ctx.state.repositories.values()].find((r) => r.ownerLogin === ctx.params["owner"] && r.name === ctx.params["repo"]);
    const installation = [...ctx.state.installations.values()].find(
      (i) => i.appId === app.id && repo !== undefined && ctx.state.repositoriesOf(i).includes(repo),
    );
    if (!installation) throw notFound();
    return ctx.reply(200, ctx.render.installation(installation));
  },

  "apps/list-installation-requests-for-authenticated-app": (ctx) => {
    const { app } = need(ctx, "app");
    return ctx.page(app.installationRequests, (page) =>
      page.map((r) => ({
        id: r.id,
        node_id: Buffer.from(`040:IntegrationInstallationRequest${r.id}`).toString("base64"),
        account: ctx.render.user(r.accountLogin),
        requester: ctx.render.user(r.requesterLogin),
        created_at: iso(r.createdAt),
      })),
    );
  },

  "apps/list-repos-accessible-to-installation": (ctx) => {
    const { installation, token } = need(ctx, "installation");
    const repos = ctx.state.repositoriesOf(installation).filter((r) => !token.repositoryIds || token.repositoryIds.includes(r.id));
    return repositoryList(ctx, installation, repos);
  },

  "apps/revoke-installation-access-token": (ctx) => {
    ctx.state.revokeToken(need(ctx, "installation").token);
    return ctx.reply(204);
  },

  "orgs/list-app-installations": (ctx) => {
    const user = actingUser(ctx);
    const org = ctx.params["org"]!;
    if (ctx.state.users.get(org)?.type !== "Organization") throw notFound();
    if (!ctx.state.canAdminister(user.login, org)) throw new HttpError(403, "You must be an organization owner to list its installations");
    const list = [...ctx.state.installations.values()].filter((i) => i.accountLogin === org);
    return ctx.page(list, (page) => ({ total_count: list.length, installations: page.map((i) => ctx.render.installation(i)) }));
  },

  "apps/list-installations-for-authenticated-user": (ctx) => {
    const list = userInstallations(ctx);
    return ctx.page(list, (page) => ({ total_count: list.length, installations: page.map((i) => ctx.render.installation(i)) }));
  },

  "apps/list-installation-repos-for-authenticated-user": (ctx) => {
    const installation = userInstallation(ctx);
    return repositoryList(ctx, installation, ctx.state.repositoriesOf(installation));
  },

  "apps/add-repo-to-installation": (ctx) => addRepo(ctx),
  "apps/add-repo-to-installation-for-authenticated-user": (ctx) => addRepo(ctx),
  "apps/remove-repo-from-installation": (ctx) => removeRepo(ctx),
  "apps/remove-repo-from-installation-for-authenticated-user": (ctx) => removeRepo(ctx),

  "apps/create-content-attachment": attach,
  "apps/create-content-attachment-for-repo": attach,
};

function addRepo(ctx: Context) {
  const installation = userInstallation(ctx);
  const repo = repoOf(ctx, installation);
  if (installation.repositorySelection === "selected" && !installation.repositoryIds.includes(repo.id)) {
    installation.repositoryIds.push(repo.id);
    ctx.state.recordDelivery(ctx.state.appOf(installation), "installation_repositories", "added", installation.id, repo.id, false, actor(ctx));
  }
  installation.updatedAt = ctx.state.now();
  return ctx.reply(204);
}

function removeRepo(ctx: Context) {
  const installation = userInstallation(ctx);
  const repo = repoOf(ctx, installation);
  if (installation.repositorySelection === "all") {
    throw new HttpError(422, "This installation has access to all repositories; choose selected repositories first");
  }
  if (installation.repositoryIds.includes(repo.id)) {
    installation.repositoryIds = installation.repositoryIds.filter((id) => id !== repo.id);
    ctx.state.recordDelivery(ctx.state.appOf(installation), "installation_repositories", "removed", installation.id, repo.id, false, actor(ctx));
  }
  installation.updatedAt = ctx.state.now();
  return ctx.reply(204);
}

/** The user a request acted as, for a delivery's `sender`. */
const actor = (ctx: Context): string | undefined => ("user" in ctx.principal ? ctx.principal.user.login : undefined);
