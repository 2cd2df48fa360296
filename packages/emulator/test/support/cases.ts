// One test case per operationId: which credential, which parameters, which status. The contract suites
// run every operation of every era's operations table through its era client; an operation without a case
// here fails them.
import type { Middleware } from "@ghes-sdk/core";
import type { Fixture } from "./fixture.js";

export interface Call {
  auth?: Middleware;
  path?: Record<string, string | number>;
  query?: Record<string, string | number | boolean>;
  body?: unknown;
  /** Default: the lowest 2xx status the operation documents. */
  status?: number;
}

export type Case = (f: Fixture) => Call;

const contentAttachment: Case = (f) => {
  const ref = [...f.state.contentReferences.values()][0]!;
  const repo = f.state.repositories.get(ref.repositoryId)!;
  return {
    auth: f.installation(),
    path: { content_reference_id: ref.id, owner: repo.ownerLogin, repo: repo.name },
    body: { title: "Build status", body: "All checks passed" },
  };
};

const addRepo: Case = (f) => ({ auth: f.user(), path: { installation_id: f.selectedInstallationId, repository_id: f.demo.repositories[1]!.id } });
const removeRepo: Case = (f) => {
  const repo = f.state.createRepository({ owner: f.demo.org.login, name: f.unique("to-remove") });
  f.state.installations.get(f.selectedInstallationId)!.repositoryIds.push(repo.id);
  return { auth: f.user(), path: { installation_id: f.selectedInstallationId, repository_id: repo.id } };
};

const getOrCreate = (fingerprint: boolean): Case => (f) => {
  const client = f.demo.oauthApp;
  const fp = fingerprint ? f.unique("fp") : undefined;
  return {
    auth: f.basic(),
    path: { client_id: client.clientId, ...(fp ? { fingerprint: fp } : {}) },
    body: { client_secret: client.clientSecret, scopes: ["repo"], note: f.unique("note") },
    // The demo user already has an authorization for the app without fingerprint: 200; a new fingerprint: 201.
    status: fingerprint ? 201 : 200,
  };
};

/** A new installation of the demo App, on a new organization. */
const newInstallation = (f: Fixture) => f.state.createInstallation({ appId: f.demo.app.id, account: f.state.createOrganization(f.unique("org")).login });

export const cases: Record<string, Case> = {
  "apps/get-authenticated": (f) => ({ auth: f.app() }),
  // 201 in every era (GHES 2.20's page also lists 200, which the server does not send: facts/ghes-2.2x.differences.yaml).
  "apps/create-from-manifest": (f) => ({ path: { code: f.state.createManifestCode({ name: f.unique("Manifest App") }) }, status: 201 }),
  "apps/get-by-slug": (f) => ({ auth: f.user(), path: { app_slug: f.demo.app.slug } }),

  "apps/get-webhook-config-for-app": (f) => ({ auth: f.app() }),
  "apps/update-webhook-config-for-app": (f) => ({ auth: f.app(), body: { content_type: "json", insecure_ssl: "0", secret: "s3cret" } }),
  "apps/list-webhook-deliveries": (f) => ({ auth: f.app(), query: { per_page: 10 } }),
  "apps/get-webhook-delivery": (f) => ({ auth: f.app(), path: { delivery_id: f.demo.app.deliveries.at(-1)!.id } }),
  "apps/redeliver-webhook-delivery": (f) => ({ auth: f.app(), path: { delivery_id: f.demo.app.deliveries.at(-1)!.id } }),

  "apps/list-installations": (f) => ({ auth: f.app(), query: { per_page: 1 } }),
  "apps/list-installation-requests-for-authenticated-app": (f) => ({ auth: f.app() }),
  "apps/get-installation": (f) => ({ auth: f.app(), path: { installation_id: f.demo.installation.id } }),
  "apps/delete-installation": (f) => {
    return { auth: f.app(), path: { installation_id: newInstallation(f).id } };
  },
  "apps/create-installation-access-token": (f) => ({
    auth: f.app(),
    path: { installation_id: f.demo.installation.id },
    body: { repository_ids: [f.demo.repositories[0]!.id], permissions: { metadata: "read" } },
  }),
  "apps/suspend-installation": (f) => {
    return { auth: f.app(), path: { installation_id: newInstallation(f).id } };
  },
  "apps/unsuspend-installation": (f) => {
    const installation = newInstallation(f);
    installation.suspendedAt = f.state.now();
    installation.suspendedBy = f.demo.user.login;
    return { auth: f.app(), path: { installation_id: installation.id } };
  },
  "apps/get-org-installation": (f) => ({ auth: f.app(), path: { org: f.demo.org.login } }),
  "apps/get-user-installation": (f) => ({ auth: f.app(), path: { username: f.demo.user.login } }),
  "apps/get-repo-installation": (f) => ({ auth: f.app(), path: { owner: f.demo.org.login, repo: f.demo.repositories[0]!.name } }),

  "apps/list-repos-accessible-to-installation": (f) => ({ auth: f.installation(), query: { per_page: 2 } }),
  "apps/revoke-installation-access-token": (f) => ({ auth: f.installation() }),
  "apps/create-content-attachment": contentAttachment,
  "apps/create-content-attachment-for-repo": contentAttachment,

  "orgs/list-app-installations": (f) => ({ auth: f.user(), path: { org: f.demo.org.login } }),
  "apps/list-installations-for-authenticated-user": (f) => ({ auth: f.user() }),
  "apps/list-installation-repos-for-authenticated-user": (f) => ({ auth: f.user(), path: { installation_id: f.demo.installation.id } }),
  "apps/add-repo-to-installation": addRepo,
  "apps/add-repo-to-installation-for-authenticated-user": addRepo,
  "apps/remove-repo-from-installation": removeRepo,
  "apps/remove-repo-from-installation-for-authenticated-user": removeRepo,

  "apps/check-token": (f) => ({ auth: f.client(), path: { client_id: f.demo.oauthApp.clientId }, body: { access_token: f.demo.oauthToken.token } }),
  "apps/reset-token": (f) => ({ auth: f.client(), path: { client_id: f.demo.oauthApp.clientId }, body: { access_token: f.oauthToken() } }),
  "apps/delete-token": (f) => ({ auth: f.client(), path: { client_id: f.demo.oauthApp.clientId }, body: { access_token: f.oauthToken() } }),
  "apps/delete-authorization": (f) => {
    const client = f.state.createOAuthApp({ name: f.unique("Grant App") });
    const token = f.state.createToken({ kind: "oauth", user: f.demo.user.login, clientId: client.clientId }).token;
    return { auth: f.client(client), path: { client_id: client.clientId }, body: { access_token: token } };
  },
  "apps/scope-token": (f) => ({
    auth: f.client(f.demo.app),
    path: { client_id: f.demo.app.clientId },
    body: { access_token: f.demo.userToServerToken.token, target: f.demo.org.login, permissions: { metadata: "read" } },
  }),
  "apps/check-authorization": (f) => ({ auth: f.client(), path: { client_id: f.demo.oauthApp.clientId, access_token: f.demo.oauthToken.token } }),
  "apps/reset-authorization": (f) => ({ auth: f.client(), path: { client_id: f.demo.oauthApp.clientId, access_token: f.oauthToken() } }),
  "apps/revoke-authorization-for-application": (f) => ({ auth: f.client(), path: { client_id: f.demo.oauthApp.clientId, access_token: f.oauthToken() } }),
  "apps/revoke-grant-for-application": (f) => {
    const client = f.state.createOAuthApp({ name: f.unique("Grant App") });
    const token = f.state.createToken({ kind: "oauth", user: f.demo.user.login, clientId: client.clientId }).token;
    return { auth: f.client(client), path: { client_id: client.clientId, access_token: token } };
  },

  "oauth-authorizations/list-authorizations": (f) => ({ auth: f.basic(), query: { per_page: 5 } }),
  "oauth-authorizations/create-authorization": (f) => ({ auth: f.basic(), body: { note: f.unique("ci"), scopes: ["repo"] } }),
  "oauth-authorizations/get-or-create-authorization-for-app": getOrCreate(false),
  "oauth-authorizations/get-or-create-authorization-for-app-and-fingerprint": getOrCreate(true),
  "oauth-authorizations/get-authorization": (f) => ({ auth: f.basic(), path: { authorization_id: f.demo.oauthToken.id } }),
  "oauth-authorizations/update-authorization": (f) => ({ auth: f.basic(), path: { authorization_id: f.demo.oauthToken.id }, body: { add_scopes: ["gist"] } }),
  "oauth-authorizations/delete-authorization": (f) => {
    const token = f.state.createToken({ kind: "personal", user: f.demo.user.login, note: f.unique("to-delete") });
    return { auth: f.basic(), path: { authorization_id: token.id } };
  },
  "oauth-authorizations/list-grants": (f) => ({ auth: f.basic() }),
  "oauth-authorizations/get-grant": (f) => ({ auth: f.basic(), path: { grant_id: f.state.grantFor(f.demo.user.login, f.demo.oauthApp.clientId).id } }),
  "oauth-authorizations/delete-grant": (f) => {
    const client = f.state.createOAuthApp({ name: f.unique("Grant App") });
    f.state.createToken({ kind: "oauth", user: f.demo.user.login, clientId: client.clientId });
    return { auth: f.basic(), path: { grant_id: f.state.grantFor(f.demo.user.login, client.clientId).id } };
  },
};

/** The lowest 2xx status an operation documents in a bundled spec. */
export function documentedSuccess(spec: any, method: string, path: string): number {
  const responses = Object.keys(spec.paths[path][method].responses);
  return Number(responses.filter((s) => /^2\d\d$/.test(s)).sort()[0]);
}

/** Runs one case through an era client. */
export async function call(client: Record<string, (path: string, init?: unknown) => Promise<{ response: Response; data?: unknown; error?: unknown }>>, method: string, path: string, c: Call) {
  const init = {
    params: { ...(c.path ? { path: c.path } : {}), ...(c.query ? { query: c.query } : {}) },
    ...(c.body !== undefined ? { body: c.body } : {}),
  };
  return client[method.toUpperCase()]!(path, init);
}
