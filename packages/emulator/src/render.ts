// State objects as GHES writes them in JSON. Only what the state decides is written here; every other
// field an era's schema has comes from that operation's documented example (see `fillFrom`), so a
// response keeps validating as the specs grow fuller, without a second copy of the schemas here.
import type { EmulatorState, GitHubApp, Grant, Installation, OAuthClient, Repository, Token, User } from "./state.js";
import { hashToken } from "./state.js";

export const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z"));

/** Marks an object written in full (a user): filling it from an example could make it match two oneOf branches. */
const COMPLETE = Symbol("complete");
const complete = <T extends object>(value: T): T => Object.defineProperty(value, COMPLETE, { value: true, enumerable: false });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * `value` with the fields it lacks taken from `template` (the documented example), recursively; arrays
 * take each item's missing fields from the template's first item. A field set to `undefined` is left out.
 */
export function fillFrom(value: unknown, template: unknown): unknown {
  if (Array.isArray(value)) {
    const item = Array.isArray(template) ? template[0] : undefined;
    return value.map((v) => fillFrom(v, item));
  }
  if (!isObject(value) || COMPLETE in value) return value;
  const out: Record<string, unknown> = {};
  if (isObject(template)) for (const [k, v] of Object.entries(template)) if (!(k in value)) out[k] = v;
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    out[k] = isObject(template) ? fillFrom(v, template[k]) : v;
  }
  return out;
}

export class Renderer {
  constructor(
    readonly state: EmulatorState,
    readonly baseUrl: string,
  ) {}

  get origin(): string {
    return this.baseUrl.replace(/\/api\/v3$/, "");
  }

  user(login: string): Record<string, unknown> {
    const user: User | undefined = this.state.users.get(login);
    const api = `${this.baseUrl}/users/${login}`;
    return complete({
      login,
      id: user?.id ?? 0,
      node_id: Buffer.from(`04:User${user?.id ?? 0}`).toString("base64"),
      avatar_url: `${this.origin}/avatars/u/${user?.id ?? 0}`,
      gravatar_id: "",
      url: api,
      html_url: `${this.origin}/${login}`,
      followers_url: `${api}/followers`,
      following_url: `${api}/following{/other_user}`,
      gists_url: `${api}/gists{/gist_id}`,
      starred_url: `${api}/starred{/owner}{/repo}`,
      subscriptions_url: `${api}/subscriptions`,
      organizations_url: `${api}/orgs`,
      repos_url: `${api}/repos`,
      events_url: `${api}/events{/privacy}`,
      received_events_url: `${api}/received_events`,
      type: user?.type ?? "User",
      site_admin: user?.siteAdmin ?? false,
    });
  }

  app(app: GitHubApp, withCount = false): Record<string, unknown> {
    const count = [...this.state.installations.values()].filter((i) => i.appId === app.id).length;
    return {
      id: app.id,
      slug: app.slug,
      node_id: Buffer.from(`03:Integration${app.id}`).toString("base64"),
      owner: this.user(app.ownerLogin),
      name: app.name,
      description: app.description,
      external_url: app.externalUrl,
      html_url: `${this.origin}/apps/${app.slug}`,
      created_at: iso(app.createdAt),
      updated_at: iso(app.createdAt),
      permissions: app.permissions,
      events: app.events,
      ...(withCount ? { installations_count: count } : {}),
    };
  }

  installation(installation: Installation): Record<string, unknown> {
    const app = this.state.appOf(installation);
    return {
      id: installation.id,
      account: this.user(installation.accountLogin),
      repository_selection: installation.repositorySelection,
      access_tokens_url: `${this.baseUrl}/app/installations/${installation.id}/access_tokens`,
      repositories_url: `${this.baseUrl}/installation/repositories`,
      html_url: `${this.origin}/organizations/${installation.accountLogin}/settings/installations/${installation.id}`,
      app_id: app.id,
      app_slug: app.slug,
      // The app's client ID: described from GHES 3.14 (x-ghes-since), left out for older versions.
      client_id: app.clientId,
      target_id: this.state.users.get(installation.accountLogin)?.id ?? 0,
      target_type: this.state.users.get(installation.accountLogin)?.type ?? "Organization",
      permissions: installation.permissions,
      events: installation.events,
      created_at: iso(installation.createdAt),
      updated_at: iso(installation.updatedAt),
      single_file_name: null,
      suspended_at: iso(installation.suspendedAt),
      suspended_by: installation.suspendedBy ? this.user(installation.suspendedBy) : null,
    };
  }

  repository(repo: Repository): Record<string, unknown> {
    const full = `${repo.ownerLogin}/${repo.name}`;
    const api = `${this.baseUrl}/repos/${full}`;
    return {
      id: repo.id,
      node_id: Buffer.from(`010:Repository${repo.id}`).toString("base64"),
      name: repo.name,
      full_name: full,
      owner: this.user(repo.ownerLogin),
      private: repo.private,
      html_url: `${this.origin}/${full}`,
      url: api,
      created_at: iso(repo.createdAt),
      updated_at: iso(repo.createdAt),
      pushed_at: iso(repo.createdAt),
    };
  }

  client(client: OAuthClient | undefined): Record<string, unknown> {
    return client
      ? { client_id: client.clientId, name: client.name, url: client.url }
      : { client_id: "00000000000000000000", name: "GitHub API", url: `${this.origin}/settings/tokens` };
  }

  /** An authorization: `reveal` writes the token in full (create, reset, check); otherwise "". */
  authorization(token: Token, reveal: boolean, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      id: token.id,
      url: `${this.baseUrl}/authorizations/${token.id}`,
      scopes: token.scopes,
      token: reveal ? token.token : "",
      token_last_eight: token.token.slice(-8),
      hashed_token: hashToken(token.token),
      app: this.client(this.state.clientOf(token)),
      note: token.note,
      note_url: token.noteUrl,
      updated_at: iso(token.updatedAt),
      created_at: iso(token.createdAt),
      fingerprint: token.fingerprint,
      expires_at: iso(token.expiresAt),
      ...extra,
    };
  }

  grant(grant: Grant): Record<string, unknown> {
    return {
      id: grant.id,
      url: `${this.baseUrl}/applications/grants/${grant.id}`,
      app: this.client(this.state.clients.get(grant.clientId)),
      created_at: iso(grant.createdAt),
      updated_at: iso(grant.updatedAt),
      scopes: this.state.grantScopes(grant),
    };
  }
}
