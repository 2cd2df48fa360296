// What the emulated GHES holds, apart from HTTP: users, OAuth apps, GitHub Apps (with RSA key pairs),
// installations, repositories, tokens, grants, webhook deliveries. Tests and the demo create things here
// and read back what the server did; the handlers in ./handlers/ change it.
import { createHash, createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, timingSafeEqual, type KeyObject } from "node:crypto";

export type TokenKind = "oauth" | "user-to-server" | "installation" | "personal";

/** GitHub's token prefixes (https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/). */
export const TOKEN_PREFIX: Record<TokenKind, string> = {
  oauth: "gho_",
  "user-to-server": "ghu_",
  installation: "ghs_",
  personal: "ghp_",
};

export interface User {
  id: number;
  login: string;
  type: "User" | "Organization";
  password: string | undefined;
  /** Base32 TOTP secret; a user with one must send `X-GitHub-OTP` with Basic auth. */
  totpSecret: string | undefined;
  siteAdmin: boolean;
}

/** An OAuth app — or the OAuth side of a GitHub App: both have a client id and secret. */
export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  name: string;
  url: string;
  /** Set when this is a GitHub App's client. */
  appId: number | undefined;
}

export interface WebhookConfig {
  url: string;
  content_type: "json" | "form";
  secret: string | undefined;
  insecure_ssl: string;
  /** Set by `PATCH /app/hook/config`: this config, not the emulator's `webhook` option, says where deliveries go. */
  configured?: boolean;
}

export interface Delivery {
  id: number;
  guid: string;
  deliveredAt: number;
  redelivery: boolean;
  event: string;
  action: string | null;
  statusCode: number;
  installationId: number | null;
  repositoryId: number | null;
  /** Who caused it (the payload's `sender`), when not the App's owner. */
  sender?: string | undefined;
  /** The payload as sent, built when the delivery is first sent; a redelivery sends it again unchanged. */
  payload?: unknown;
}

export interface GitHubApp {
  id: number;
  slug: string;
  name: string;
  ownerLogin: string;
  description: string;
  externalUrl: string;
  clientId: string;
  clientSecret: string;
  webhookSecret: string | undefined;
  /** PKCS#1 PEM, as GitHub hands an App's private key out. */
  privateKeyPem: string;
  publicKey: KeyObject;
  permissions: Record<string, string>;
  events: string[];
  createdAt: number;
  webhook: WebhookConfig;
  deliveries: Delivery[];
  installationRequests: { id: number; accountLogin: string; requesterLogin: string; createdAt: number }[];
}

export interface Installation {
  id: number;
  appId: number;
  accountLogin: string;
  repositorySelection: "all" | "selected";
  /** Only meaningful when repositorySelection is "selected". */
  repositoryIds: number[];
  permissions: Record<string, string>;
  events: string[];
  createdAt: number;
  updatedAt: number;
  suspendedAt: number | null;
  suspendedBy: string | null;
}

export interface Repository {
  id: number;
  ownerLogin: string;
  name: string;
  private: boolean;
  createdAt: number;
}

export interface Token {
  id: number;
  token: string;
  kind: TokenKind;
  /** Whose token it is (user tokens, authorizations). */
  userLogin: string | undefined;
  /** The OAuth/GitHub App client it was issued to (undefined: a personal token). */
  clientId: string | undefined;
  installationId: number | undefined;
  scopes: string[];
  note: string | null;
  noteUrl: string | null;
  fingerprint: string | null;
  permissions: Record<string, string> | undefined;
  repositoryIds: number[] | undefined;
  createdAt: number;
  updatedAt: number;
  expiresAt: number | null;
  revoked: boolean;
}

export interface Grant {
  id: number;
  userLogin: string;
  clientId: string;
  createdAt: number;
  updatedAt: number;
}

export interface ContentReference {
  id: number;
  repositoryId: number;
  reference: string;
  attachments: { id: number; title: string; body: string }[];
}

/** An installation token lives one hour, as on GHES. */
export const INSTALLATION_TOKEN_TTL_MS = 60 * 60_000;

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function randomString(length: number, alphabet = BASE62): string {
  const bytes = randomBytes(length);
  let out = "";
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}

function base32Decode(text: string): Buffer {
  let bits = "";
  for (const char of text.replace(/=+$/, "").toUpperCase()) {
    const value = BASE32.indexOf(char);
    if (value < 0) throw new Error(`@ghes-sdk/emulator: a TOTP secret must be base32, found "${char}"`);
    bits += value.toString(2).padStart(5, "0");
  }
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** RFC 6238 TOTP (SHA-1, 30 s, 6 digits), what authenticator apps compute. */
export function totp(secret: string, atMs: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(atMs / 30_000)));
  const mac = createHmac("sha1", base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(code).padStart(6, "0");
}

/** GitHub's `hashed_token`: the SHA-256 of the token, hex. */
export const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex");

export interface CreateUserOptions {
  login: string;
  password?: string;
  /** true: generate a TOTP secret; a string: use that base32 secret. */
  twoFactor?: boolean | string;
  type?: "User" | "Organization";
  siteAdmin?: boolean;
}

export interface CreateAppOptions {
  name: string;
  /** A fixed id (default: the next free one). */
  id?: number;
  /** The App's private key as PEM (PKCS#1 or PKCS#8); default: a new 2048-bit RSA key pair. */
  privateKeyPem?: string;
  slug?: string;
  owner?: string;
  permissions?: Record<string, string>;
  events?: string[];
  webhookUrl?: string;
}

export interface CreateInstallationOptions {
  /** A fixed id (default: the next free one). */
  id?: number;
  appId: number;
  account: string;
  /** Repository ids; omitted: every repository of the account ("all"). */
  repositoryIds?: number[];
  permissions?: Record<string, string>;
}

export interface CreateTokenOptions {
  kind: TokenKind;
  /** A fixed value (default: the kind's prefix and 36 random characters). */
  token?: string;
  user?: string;
  clientId?: string;
  scopes?: string[];
  note?: string | null;
  noteUrl?: string | null;
  fingerprint?: string | null;
  installationId?: number;
  permissions?: Record<string, string>;
  repositoryIds?: number[];
  expiresAt?: number | null;
  /**
   * An installation token in GHES 3.22's stateless format, `ghs_<APPID>_<JWT>` (longer than 40 characters):
   * the JWT, signed by the server's own key, carries the installation, the App and the expiry.
   */
  stateless?: boolean;
}

/**
 * The first GHES version whose docs ("Generating an installation access token for a GitHub App") describe
 * stateless installation tokens and the `X-GitHub-Stateless-S2S-Token` request header.
 */
export const STATELESS_TOKENS_SINCE = "3.20";

/** `ghs_<APPID>_<JWT>`: the stateless installation-token format (GHES docs, "Generating an installation access token"). */
export const STATELESS_TOKEN = /^ghs_(\d+)_([\w-]+)\.([\w-]+)\.([\w-]+)$/;

export class EmulatorState {
  readonly users = new Map<string, User>();
  readonly clients = new Map<string, OAuthClient>();
  readonly apps = new Map<number, GitHubApp>();
  readonly installations = new Map<number, Installation>();
  readonly repositories = new Map<number, Repository>();
  readonly tokens = new Map<string, Token>();
  readonly grants = new Map<number, Grant>();
  readonly contentReferences = new Map<number, ContentReference>();
  /** Codes `POST /app-manifests/{code}/conversions` accepts, each once. */
  readonly manifestCodes = new Map<string, CreateAppOptions>();
  /** What the manifest registration pages received, in order: whose page, and the manifest as posted. */
  readonly manifestRegistrations: { owner: string; page: string; manifest: Record<string, unknown> }[] = [];
  /** The user the web pages (the App manifest flow) act for, as if signed in; created on first use. */
  webUser = "octocat";
  /** Organization login → member logins. */
  readonly members = new Map<string, Set<string>>();
  #ids = 1000;
  #offsetMs = 0;
  /** The key this server signs stateless installation tokens with (an internal issuer, as GitHub's). */
  readonly #statelessKey = randomBytes(32);

  /** The server's clock in ms; `advanceTime` moves it (e.g. to let installation tokens expire). */
  now(): number {
    return Date.now() + this.#offsetMs;
  }

  advanceTime(ms: number): void {
    this.#offsetMs += ms;
  }

  nextId(): number {
    return ++this.#ids;
  }

  createUser(options: CreateUserOptions): User {
    if (this.users.has(options.login)) throw new Error(`@ghes-sdk/emulator: user "${options.login}" exists`);
    const secret = options.twoFactor === true ? randomString(32, BASE32) : options.twoFactor || undefined;
    if (secret !== undefined) base32Decode(secret);
    const user: User = {
      id: this.nextId(),
      login: options.login,
      type: options.type ?? "User",
      password: options.password,
      totpSecret: secret,
      siteAdmin: options.siteAdmin ?? false,
    };
    this.users.set(user.login, user);
    return user;
  }

  createOrganization(login: string, members: string[] = []): User {
    const org = this.createUser({ login, type: "Organization" });
    this.members.set(login, new Set(members));
    return org;
  }

  addMember(org: string, login: string): void {
    if (this.users.get(org)?.type !== "Organization") throw new Error(`@ghes-sdk/emulator: "${org}" is not an organization`);
    this.members.get(org)!.add(login);
  }

  /** True when `login` may act on `account`'s installations: it is that account or a member of it. */
  canAdminister(login: string, account: string): boolean {
    return login === account || (this.members.get(account)?.has(login) ?? false);
  }

  createInstallationRequest(appId: number, account: string, requester: string): void {
    const app = this.apps.get(appId);
    if (!app) throw new Error(`@ghes-sdk/emulator: no app with id ${appId}`);
    app.installationRequests.push({ id: this.nextId(), accountLogin: account, requesterLogin: requester, createdAt: this.now() });
  }

  /** The one-time password a 2FA user's authenticator app shows right now (server clock). */
  otp(login: string): string {
    const secret = this.users.get(login)?.totpSecret;
    if (!secret) throw new Error(`@ghes-sdk/emulator: user "${login}" has no two-factor authentication`);
    return totp(secret, this.now());
  }

  createOAuthApp(options: { name: string; url?: string; clientId?: string; clientSecret?: string }): OAuthClient {
    const client: OAuthClient = {
      clientId: options.clientId ?? `Iv1.${randomString(16, "0123456789abcdef")}`,
      clientSecret: options.clientSecret ?? randomString(40, "0123456789abcdef"),
      name: options.name,
      url: options.url ?? `https://example.com/${encodeURIComponent(options.name)}`,
      appId: undefined,
    };
    this.clients.set(client.clientId, client);
    return client;
  }

  createApp(options: CreateAppOptions): GitHubApp {
    const { privateKey, publicKey } = options.privateKeyPem
      ? { privateKey: createPrivateKey(options.privateKeyPem), publicKey: createPublicKey(options.privateKeyPem) }
      : generateKeyPairSync("rsa", { modulusLength: 2048 });
    const owner = options.owner ?? "octo-org";
    if (!this.users.has(owner)) this.createOrganization(owner);
    const id = options.id ?? this.nextId();
    if (this.apps.has(id)) throw new Error(`@ghes-sdk/emulator: an app with id ${id} exists`);
    const slug = options.slug ?? options.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
    const app: GitHubApp = {
      id,
      slug,
      name: options.name,
      ownerLogin: owner,
      description: `${options.name}, served by @ghes-sdk/emulator`,
      externalUrl: `https://example.com/${slug}`,
      clientId: `Iv1.${randomString(16, "0123456789abcdef")}`,
      clientSecret: randomString(40, "0123456789abcdef"),
      webhookSecret: undefined,
      privateKeyPem: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
      publicKey,
      permissions: options.permissions ?? { metadata: "read", contents: "read", issues: "write" },
      events: options.events ?? ["push", "pull_request"],
      createdAt: this.now(),
      webhook: { url: options.webhookUrl ?? `https://example.com/${slug}/webhook`, content_type: "json", secret: undefined, insecure_ssl: "0" },
      deliveries: [],
      installationRequests: [],
    };
    this.apps.set(id, app);
    this.clients.set(app.clientId, { clientId: app.clientId, clientSecret: app.clientSecret, name: app.name, url: app.externalUrl, appId: id });
    return app;
  }

  createRepository(options: { owner: string; name: string; private?: boolean }): Repository {
    if (!this.users.has(options.owner)) this.createOrganization(options.owner);
    const repo: Repository = { id: this.nextId(), ownerLogin: options.owner, name: options.name, private: options.private ?? false, createdAt: this.now() };
    this.repositories.set(repo.id, repo);
    return repo;
  }

  createInstallation(options: CreateInstallationOptions): Installation {
    const app = this.apps.get(options.appId);
    if (!app) throw new Error(`@ghes-sdk/emulator: no app with id ${options.appId}`);
    if (!this.users.has(options.account)) this.createOrganization(options.account);
    const now = this.now();
    if (options.id !== undefined && this.installations.has(options.id)) throw new Error(`@ghes-sdk/emulator: an installation with id ${options.id} exists`);
    const installation: Installation = {
      id: options.id ?? this.nextId(),
      appId: app.id,
      accountLogin: options.account,
      repositorySelection: options.repositoryIds ? "selected" : "all",
      repositoryIds: options.repositoryIds ?? [],
      permissions: options.permissions ?? { ...app.permissions },
      events: [...app.events],
      createdAt: now,
      updatedAt: now,
      suspendedAt: null,
      suspendedBy: null,
    };
    this.installations.set(installation.id, installation);
    this.recordDelivery(app, "installation", "created", installation.id, null);
    return installation;
  }

  /** The repositories an installation can reach. */
  repositoriesOf(installation: Installation): Repository[] {
    return [...this.repositories.values()].filter((repo) =>
      installation.repositorySelection === "all" ? repo.ownerLogin === installation.accountLogin : installation.repositoryIds.includes(repo.id),
    );
  }

  createToken(options: CreateTokenOptions): Token {
    const now = this.now();
    const id = this.nextId();
    const expiresAt = options.expiresAt ?? (options.kind === "installation" ? now + INSTALLATION_TOKEN_TTL_MS : null);
    let value = options.token;
    if (value === undefined && options.stateless) {
      const installation = options.kind === "installation" ? this.installations.get(options.installationId ?? -1) : undefined;
      if (!installation) throw new Error("@ghes-sdk/emulator: a stateless token is an installation token: give createToken an existing installationId");
      value = this.#statelessToken(id, installation.appId, installation.id, now, expiresAt);
    }
    const token: Token = {
      id,
      token: value ?? `${TOKEN_PREFIX[options.kind]}${randomString(36)}`,
      kind: options.kind,
      userLogin: options.user,
      clientId: options.clientId,
      installationId: options.installationId,
      scopes: options.scopes ?? [],
      note: options.note ?? null,
      noteUrl: options.noteUrl ?? null,
      fingerprint: options.fingerprint ?? null,
      permissions: options.permissions,
      repositoryIds: options.repositoryIds,
      createdAt: now,
      updatedAt: now,
      expiresAt,
      revoked: false,
    };
    this.tokens.set(token.token, token);
    if (token.userLogin && token.clientId) this.grantFor(token.userLogin, token.clientId);
    return token;
  }

  #statelessToken(id: number, appId: number, installationId: number, now: number, expiresAt: number | null): string {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const claims = { iss: "ghes-emulator", jti: String(id), app_id: appId, installation_id: installationId, iat: Math.floor(now / 1000), ...(expiresAt === null ? {} : { exp: Math.floor(expiresAt / 1000) }) };
    const signed = `${part({ alg: "HS256", typ: "JWT" })}.${part(claims)}`;
    return `ghs_${appId}_${signed}.${createHmac("sha256", this.#statelessKey).update(signed).digest("base64url")}`;
  }

  /**
   * Checks a stateless token as such a server does, from the token alone: this server's signature, the
   * App id in the prefix matching the JWT's, and the expiry; undefined when any fails. (Revocation is still
   * looked up: the token must be known and not revoked.)
   */
  #statelessClaims(value: string): { jti: string } | undefined {
    const m = STATELESS_TOKEN.exec(value);
    if (!m) return undefined;
    const [, appId, header, payload, signature] = m;
    const expected = createHmac("sha256", this.#statelessKey).update(`${header}.${payload}`).digest();
    const given = Buffer.from(signature!, "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let claims: { jti?: unknown; app_id?: unknown; exp?: unknown };
    try {
      claims = JSON.parse(Buffer.from(payload!, "base64url").toString("utf8"));
    } catch {
      return undefined;
    }
    if (String(claims.app_id) !== appId || typeof claims.jti !== "string") return undefined;
    if (typeof claims.exp === "number" && claims.exp * 1000 <= this.now()) return undefined;
    return { jti: claims.jti };
  }

  /** A token that still works: known, not revoked, not expired (a stateless one also verified from its JWT). */
  liveToken(value: string): Token | undefined {
    if (value.startsWith("ghs_") && value.length > 40) {
      const claims = this.#statelessClaims(value);
      if (!claims || String(this.tokens.get(value)?.id) !== claims.jti) return undefined;
    }
    const token = this.tokens.get(value);
    if (!token || token.revoked) return undefined;
    if (token.expiresAt !== null && token.expiresAt <= this.now()) return undefined;
    return token;
  }

  revokeToken(token: Token): void {
    token.revoked = true;
    token.updatedAt = this.now();
  }

  /** Replaces a token's value (reset): the old value stops working at once. */
  resetToken(token: Token): Token {
    this.tokens.delete(token.token);
    token.token = `${TOKEN_PREFIX[token.kind]}${randomString(36)}`;
    token.updatedAt = this.now();
    this.tokens.set(token.token, token);
    return token;
  }

  /** A user's authorizations: their live tokens issued to an app or as personal tokens with a note. */
  authorizationsOf(login: string): Token[] {
    return [...this.tokens.values()].filter((t) => !t.revoked && t.userLogin === login && (t.kind === "oauth" || t.kind === "personal"));
  }

  grantFor(login: string, clientId: string): Grant {
    const existing = [...this.grants.values()].find((g) => g.userLogin === login && g.clientId === clientId);
    if (existing) return existing;
    const now = this.now();
    const grant: Grant = { id: this.nextId(), userLogin: login, clientId, createdAt: now, updatedAt: now };
    this.grants.set(grant.id, grant);
    return grant;
  }

  /** The union of the scopes of the live tokens a grant covers. */
  grantScopes(grant: Grant): string[] {
    const scopes = new Set<string>();
    for (const t of this.tokens.values()) {
      if (!t.revoked && t.userLogin === grant.userLogin && t.clientId === grant.clientId) t.scopes.forEach((s) => scopes.add(s));
    }
    return [...scopes].sort();
  }

  /** Deletes a grant and revokes every token it covers; a GitHub App hears of it (`github_app_authorization`). */
  deleteGrant(grant: Grant): void {
    const appId = this.clients.get(grant.clientId)?.appId;
    const app = appId === undefined ? undefined : this.apps.get(appId);
    if (app) this.recordDelivery(app, "github_app_authorization", "revoked", null, null, false, grant.userLogin);
    this.grants.delete(grant.id);
    for (const t of this.tokens.values()) if (t.userLogin === grant.userLogin && t.clientId === grant.clientId) this.revokeToken(t);
  }

  createContentReference(repositoryId: number, reference = "https://example.com/content"): ContentReference {
    const ref: ContentReference = { id: this.nextId(), repositoryId, reference, attachments: [] };
    this.contentReferences.set(ref.id, ref);
    return ref;
  }

  /** Registers a code `POST /app-manifests/{code}/conversions` turns into a new App. */
  createManifestCode(options: CreateAppOptions): string {
    const code = randomString(20, "0123456789abcdef");
    this.manifestCodes.set(code, options);
    return code;
  }

  /**
   * Hears every delivery recorded (the server sends it to the App's webhook URL). Called at once, while
   * the state still holds what the delivery is about (an installation is recorded deleted before it goes).
   */
  onDelivery: ((app: GitHubApp, delivery: Delivery) => void) | undefined;

  /** Records a webhook delivery of `app`; `redeliveryOf` repeats an earlier one (same GUID and payload). */
  recordDelivery(
    app: GitHubApp,
    event: string,
    action: string | null,
    installationId: number | null,
    repositoryId: number | null,
    redeliveryOf?: Delivery | boolean,
    sender?: string,
  ): Delivery {
    const original = typeof redeliveryOf === "object" ? redeliveryOf : undefined;
    const delivery: Delivery = {
      id: this.nextId(),
      guid: original?.guid ?? `${randomString(8, "0123456789abcdef")}-${randomString(4, "0123456789abcdef")}-11eb-${randomString(4, "0123456789abcdef")}-${randomString(12, "0123456789abcdef")}`,
      deliveredAt: this.now(),
      redelivery: Boolean(redeliveryOf),
      event,
      action,
      statusCode: 200,
      installationId,
      repositoryId,
      sender: original?.sender ?? sender,
      payload: original?.payload,
    };
    app.deliveries.unshift(delivery);
    this.onDelivery?.(app, delivery);
    return delivery;
  }

  appOf(installation: Installation): GitHubApp {
    return this.apps.get(installation.appId)!;
  }

  clientOf(token: Token): OAuthClient | undefined {
    return token.clientId === undefined ? undefined : this.clients.get(token.clientId);
  }
}
