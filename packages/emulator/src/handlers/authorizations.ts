// The (deprecated) OAuth Authorizations API: a user with Basic login:password (and the 2FA code) manages
// their authorizations and grants. Get-or-create answers 200 for an existing authorization, 201 for a new one.
import { actingUser, HttpError, intParam, notFound, type Context, type Handler } from "../context.js";
import type { Grant, Token } from "../state.js";

interface AuthorizationBody {
  scopes?: string[] | null;
  note?: string;
  note_url?: string;
  client_id?: string;
  client_secret?: string;
  fingerprint?: string;
  add_scopes?: string[];
  remove_scopes?: string[];
}

function authorization(ctx: Context): Token {
  const user = actingUser(ctx);
  const id = intParam(ctx, "authorization_id");
  const token = ctx.state.authorizationsOf(user.login).find((t) => t.id === id);
  if (!token) throw notFound();
  return token;
}

function grant(ctx: Context): Grant {
  const user = actingUser(ctx);
  const found = ctx.state.grants.get(intParam(ctx, "grant_id"));
  if (!found || found.userLogin !== user.login) throw notFound();
  return found;
}

const validationFailed = (field: string, code: string) =>
  new HttpError(422, "Validation Failed", {}, { errors: [{ resource: "OauthAccess", field, code }] });

/** PUT /authorizations/clients/{client_id}[/{fingerprint}]: the user's authorization for an app, made if missing. */
const getOrCreate: Handler = (ctx) => {
  const user = actingUser(ctx);
  const body = (ctx.body ?? {}) as AuthorizationBody;
  const client = ctx.state.clients.get(ctx.params["client_id"]!);
  if (!client || body.client_secret !== client.clientSecret) throw validationFailed("client_secret", "invalid");
  const fingerprint = ctx.params["fingerprint"] ?? body.fingerprint ?? null;
  const existing = ctx.state
    .authorizationsOf(user.login)
    .find((t) => t.clientId === client.clientId && t.fingerprint === fingerprint);
  if (existing) return ctx.reply(200, ctx.render.authorization(existing, false));
  const token = ctx.state.createToken({
    kind: "oauth",
    user: user.login,
    clientId: client.clientId,
    scopes: body.scopes ?? [],
    note: body.note ?? null,
    noteUrl: body.note_url ?? null,
    fingerprint,
  });
  return ctx.reply(201, ctx.render.authorization(token, true));
};

export const authorizations: Record<string, Handler> = {
  "oauth-authorizations/list-authorizations": (ctx) => {
    const user = actingUser(ctx);
    const clientId = ctx.query["client_id"];
    const list = ctx.state.authorizationsOf(user.login).filter((t) => clientId === undefined || t.clientId === clientId);
    return ctx.page(list, (page) => page.map((t) => ctx.render.authorization(t, false)));
  },

  "oauth-authorizations/create-authorization": (ctx) => {
    const user = actingUser(ctx);
    const body = (ctx.body ?? {}) as AuthorizationBody;
    if (!body.note) throw validationFailed("note", "missing_field");
    let clientId: string | undefined;
    if (body.client_id !== undefined) {
      const client = ctx.state.clients.get(body.client_id);
      if (!client || body.client_secret !== client.clientSecret) throw validationFailed("client_secret", "invalid");
      clientId = client.clientId;
    }
    const duplicate = ctx.state.authorizationsOf(user.login).some((t) => t.clientId === clientId && t.note === body.note && t.fingerprint === (body.fingerprint ?? null));
    if (duplicate) throw validationFailed("description", "already_exists");
    const token = ctx.state.createToken({
      kind: clientId ? "oauth" : "personal",
      user: user.login,
      ...(clientId ? { clientId } : {}),
      scopes: body.scopes ?? [],
      note: body.note,
      noteUrl: body.note_url ?? null,
      fingerprint: body.fingerprint ?? null,
    });
    return ctx.reply(201, ctx.render.authorization(token, true));
  },

  "oauth-authorizations/get-or-create-authorization-for-app": getOrCreate,
  "oauth-authorizations/get-or-create-authorization-for-app-and-fingerprint": getOrCreate,

  "oauth-authorizations/get-authorization": (ctx) => ctx.reply(200, ctx.render.authorization(authorization(ctx), false)),

  "oauth-authorizations/update-authorization": (ctx) => {
    const token = authorization(ctx);
    const body = (ctx.body ?? {}) as AuthorizationBody;
    if (body.scopes && (body.add_scopes || body.remove_scopes)) throw validationFailed("scopes", "invalid");
    if (body.scopes) token.scopes = [...body.scopes];
    if (body.add_scopes) token.scopes = [...new Set([...token.scopes, ...body.add_scopes])];
    if (body.remove_scopes) token.scopes = token.scopes.filter((s) => !body.remove_scopes!.includes(s));
    if (body.note !== undefined) token.note = body.note;
    if (body.note_url !== undefined) token.noteUrl = body.note_url;
    if (body.fingerprint !== undefined) token.fingerprint = body.fingerprint;
    token.updatedAt = ctx.state.now();
    return ctx.reply(200, ctx.render.authorization(token, false));
  },

  "oauth-authorizations/delete-authorization": (ctx) => {
    ctx.state.revokeToken(authorization(ctx));
    return ctx.reply(204);
  },

  "oauth-authorizations/list-grants": (ctx) => {
    const user = actingUser(ctx);
    const clientId = ctx.query["client_id"];
    const list = [...ctx.state.grants.values()].filter((g) => g.userLogin === user.login && (clientId === undefined || g.clientId === clientId));
    return ctx.page(list, (page) => page.map((g) => ctx.render.grant(g)));
  },

  "oauth-authorizations/get-grant": (ctx) => ctx.reply(200, ctx.render.grant(grant(ctx))),

  "oauth-authorizations/delete-grant": (ctx) => {
    ctx.state.deleteGrant(grant(ctx));
    return ctx.reply(204);
  },
};
