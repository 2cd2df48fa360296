// A small, believable GHES for the CLI and the demo: an organization with repositories, a GitHub App
// installed on it, an OAuth app, and a user with a password and two-factor authentication.
import type { EmulatorState, GitHubApp, Installation, OAuthClient, Repository, Token, User } from "./state.js";

export interface DemoData {
  user: User;
  /** The user's password (demo data, served only by this emulator). */
  password: string;
  org: User;
  app: GitHubApp;
  installation: Installation;
  repositories: Repository[];
  oauthApp: OAuthClient;
  /** A gho_ token of the user for the OAuth app. */
  oauthToken: Token;
  /** A ghu_ token of the user for the GitHub App (what "scope a token" works on). */
  userToServerToken: Token;
}

export function seedDemo(state: EmulatorState): DemoData {
  const password = "correct-horse-battery-staple";
  const user = state.createUser({ login: "octocat", password, twoFactor: true });
  const org = state.createOrganization("octo-org", [user.login]);
  const repositories = ["api", "web", "docs"].map((name) => state.createRepository({ owner: org.login, name }));
  const app = state.createApp({ name: "Octo Demo App", owner: org.login });
  const installation = state.createInstallation({ appId: app.id, account: org.login });
  state.createInstallationRequest(app.id, user.login, user.login);
  state.createContentReference(repositories[0]!.id);
  const oauthApp = state.createOAuthApp({ name: "Octo OAuth App", url: "https://example.com/octo-oauth" });
  const oauthToken = state.createToken({ kind: "oauth", user: user.login, clientId: oauthApp.clientId, scopes: ["repo", "user"], note: "demo" });
  const userToServerToken = state.createToken({ kind: "user-to-server", user: user.login, clientId: app.clientId });
  return { user, password, org, app, installation, repositories, oauthApp, oauthToken, userToServerToken };
}
