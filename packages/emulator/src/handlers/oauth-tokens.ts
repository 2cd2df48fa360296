// An OAuth app (or a GitHub App's OAuth side) managing its users' tokens with Basic client_id:client_secret:
// check, reset, scope, delete, delete the grant, and the token-in-path forms GHES served until 3.3.
import { HttpError, need, notFound, type Context, type Handler } from "../context.js";
import type { OAuthClient, Token } from "../state.js";

/** The client the Basic credentials are for; it must be the `{client_id}` of the path. */
function client(ctx: Context): OAuthClient {
  const { client } = need(ctx, "client");
  if (client.clientId !== ctx.params["client_id"]) throw notFound();
  return client;
}

/** A live token of this client, from the body (`access_token`) or the path; missing: 404 as GHES answers. */
function tokenOf(ctx: Context, c: OAuthClient): Token {
  const value = ctx.params["access_token"] ?? (ctx.body as { access_token?: string } | undefined)?.access_token;
  const token = typeof value === "string" ? ctx.state.liveToken(value) : undefined;
  if (!token || token.clientId !== c.clientId) throw notFound();
  return token;
}

const withUser = (ctx: Context, token: Token, reveal = true) =>
  ctx.render.authorization(token, reveal, { user: token.userLogin ? ctx.render.user(token.userLogin) : null, installation: null });

const check: Handler = (ctx) => ctx.reply(200, withUser(ctx, tokenOf(ctx, client(ctx))));
const reset: Handler = (ctx) => ctx.reply(200, withUser(ctx, ctx.state.resetToken(tokenOf(ctx, client(ctx)))));
const revoke: Handler = (ctx) => {
  ctx.state.revokeToken(tokenOf(ctx, client(ctx)));
  return ctx.reply(204);
};
const deleteGrant: Handler = (ctx) => {
  const token = tokenOf(ctx, client(ctx));
  ctx.state.deleteGrant(ctx.state.grantFor(token.userLogin!, token.clientId!));
  return ctx.reply(204);
};

export const oauthTokens: Record<string, Handler> = {
  "apps/check-token": check,
  "apps/reset-token": reset,
  "apps/delete-token": revoke,
  "apps/delete-authorization": deleteGrant,
  "apps/check-authorization": check,
  "apps/reset-authorization": reset,
  "apps/revoke-authorization-for-application": revoke,
  "apps/revoke-grant-for-application": deleteGrant,

  // A user-to-server token of a GitHub App, limited to one account's installation and to some repositories
  // and permissions: a new token, the original keeps working.
  "apps/scope-token": (ctx) => {
    const c = client(ctx);
    const token = tokenOf(ctx, c);
    if (c.appId === undefined) throw new HttpError(422, "Only GitHub Apps can scope user-to-server tokens");
    const body = ctx.body as { target?: string; target_id?: number; repositories?: string[]; repository_ids?: number[]; permissions?: Record<string, string> };
    if (body.repositories && body.repository_ids) throw new HttpError(422, "Give repositories or repository_ids, not both");
    const target = [...ctx.state.users.values()].find((u) => u.login === body.target || u.id === body.target_id);
    if (!target) throw new HttpError(422, "target or target_id must name an account the app is installed on");
    const installation = [...ctx.state.installations.values()].find((i) => i.appId === c.appId && i.accountLogin === target.login);
    if (!installation) throw notFound();
    const reachable = ctx.state.repositoriesOf(installation);
    const repos = [
      ...(body.repositories ?? []).map((name) => reachable.find((r) => r.name === name)),
      ...(body.repository_ids ?? []).map((id) => reachable.find((r) => r.id === id)),
    ];
    if (repos.some((r) => r === undefined)) throw new HttpError(422, "There is at least one repository that does not exist or is not accessible to the installation.");
    const scoped = ctx.state.createToken({
      kind: token.kind,
      user: token.userLogin!,
      clientId: c.clientId,
      scopes: token.scopes,
      installationId: installation.id,
      permissions: body.permissions ?? installation.permissions,
      ...(repos.length > 0 ? { repositoryIds: repos.map((r) => r!.id) } : {}),
    });
    const selected = repos.length > 0;
    return ctx.reply(200, {
      ...withUser(ctx, scoped),
      installation: {
        permissions: scoped.permissions,
        repository_selection: selected ? "selected" : installation.repositorySelection,
        single_file_name: null,
        repositories_url: `${ctx.render.baseUrl}/user/installations/${installation.id}/repositories`,
        account: ctx.render.user(installation.accountLogin),
        ...(selected ? {} : {}),
      },
    });
  },
};
