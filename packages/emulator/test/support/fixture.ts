// Test data on an emulator's state and the credentials to use it, one per emulator.
import { appAuth, basicAuth, oauthAppAuth, tokenAuth } from "@ghes-sdk/auth";
import { eraRanges, type EraName, type Middleware } from "@ghes-sdk/core";
import { seedDemo, type DemoData, type EmulatorState, type GitHubApp } from "../../src/index.js";

/** Every era package's createClient (core's era list, loaded by name). */
const CREATE = Object.fromEntries(
  await Promise.all(eraRanges.map(async ({ era, packageName }) => [era, ((await import(packageName)) as { createClient: (options: object) => unknown }).createClient] as const)),
) as Record<EraName, (options: object) => unknown>;

/** An era client whose methods take any path: the contract cases are data, keyed by operationId. */
export type AnyClient = Record<"GET" | "POST" | "PUT" | "PATCH" | "DELETE", (path: string, init?: unknown) => Promise<{ response: Response; data?: unknown; error?: unknown }>>;

export function eraClient(era: EraName, baseUrl: string, auth?: Middleware | { forEra: unknown }): AnyClient {
  return CREATE[era]({ baseUrl, ...(auth ? { auth: auth as Middleware } : {}) }) as unknown as AnyClient;
}

export class Fixture {
  readonly demo: DemoData;
  /** A second App whose installation on the organization has selected repositories. */
  readonly selectedApp: GitHubApp;
  readonly selectedInstallationId: number;
  #n = 0;

  constructor(readonly state: EmulatorState) {
    this.demo = seedDemo(state);
    state.createInstallation({ appId: this.demo.app.id, account: this.demo.user.login });
    this.selectedApp = state.createApp({ name: "Selected Repos App", owner: this.demo.org.login });
    this.selectedInstallationId = state.createInstallation({
      appId: this.selectedApp.id,
      account: this.demo.org.login,
      repositoryIds: [this.demo.repositories[0]!.id],
    }).id;
  }

  unique(prefix: string): string {
    return `${prefix}-${++this.#n}`;
  }

  // Prism checks the scheme against the spec's `http: bearer`, so tokens go as "Bearer".
  app(app = this.demo.app): Middleware {
    return appAuth({ appId: app.id, privateKey: app.privateKeyPem }) as unknown as Middleware;
  }
  installationToken(installationId = this.demo.installation.id): string {
    return this.state.createToken({ kind: "installation", installationId }).token;
  }
  installation(installationId?: number): Middleware {
    return tokenAuth(this.installationToken(installationId), { scheme: "bearer" }) as unknown as Middleware;
  }
  user(): Middleware {
    return tokenAuth(this.demo.oauthToken.token, { scheme: "bearer" }) as unknown as Middleware;
  }
  basic(): Middleware {
    const login = this.demo.user.login;
    return basicAuth({ username: login, password: this.demo.password, otp: this.state.otp(login) }) as unknown as Middleware;
  }
  client(client: { clientId: string; clientSecret: string } = this.demo.oauthApp): Middleware {
    return oauthAppAuth({ clientId: client.clientId, clientSecret: client.clientSecret }) as unknown as Middleware;
  }
  /** A fresh gho_ token of the demo user for the OAuth app. */
  oauthToken(): string {
    return this.state.createToken({ kind: "oauth", user: this.demo.user.login, clientId: this.demo.oauthApp.clientId, scopes: ["repo"] }).token;
  }
}
