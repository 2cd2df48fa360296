import type { KeyObject } from "./jwt-sign.js";
import { invalidOption } from "./errors.js";
import { base64urlText, readSigningKey, type SigningKey } from "./jwt-sign.js";
import type { Credential } from "./middleware.js";
import { defineStrategy } from "./middleware.js";
import { REDACTED } from "./redact.js";
import type { AuthStrategy } from "./types.js";
import { knownKeys, optionsObject, positiveInteger } from "./validate.js";

// GitHub's rules for an App JWT (https://docs.github.com/en/enterprise-server@3.9/apps/creating-github-apps/
// authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app): RS256, `iss` the app,
// `exp` no more than 10 minutes ahead. `iat` is put 60 s in the past so a server clock slightly behind
// ours does not see a token "issued in the future".
const IAT_BACKDATE_S = 60;
const LIFETIME_S = 600;
/** A JWT is reused until this long before its `exp`, so it never expires in flight. */
const REUSE_MARGIN_S = 60;

/**
 * Reads a GitHub App private key: PKCS#1 PEM ("BEGIN RSA PRIVATE KEY", what GitHub hands out), PKCS#8
 * ("BEGIN PRIVATE KEY") or a KeyObject. Signs with node:crypto where the runtime has it and with WebCrypto
 * elsewhere (jwt-sign.ts). Keys pasted into env vars with literal "\n" are accepted. Errors never include
 * key material.
 */
export function parsePrivateKey(strategy: string, value: unknown): SigningKey {
  return readSigningKey(strategy, value);
}

const JWT_HEADER = base64urlText(JSON.stringify({ alg: "RS256", typ: "JWT" }));

/**
 * Signs and caches the App JWT. One signer is shared by everything built from one strategy, so a clock
 * correction learnt from one response applies to every later JWT.
 */
export class AppJwtSigner {
  readonly appId: number;
  readonly #key: SigningKey;
  /** Seconds to add to the local clock to get the server's, learnt from a clock-skew 401. */
  #offsetS = 0;
  #cached: { jwt: string; exp: number } | undefined;

  constructor(appId: number, key: SigningKey) {
    this.appId = appId;
    this.#key = key;
  }

  /** Seconds since the epoch as the server sees them (local clock plus the learnt offset). */
  now(): number {
    return Math.floor(Date.now() / 1000) + this.#offsetS;
  }

  get offsetSeconds(): number {
    return this.#offsetS;
  }

  /** The JWT: a string when node:crypto signs (or it is cached), a promise while WebCrypto signs. */
  jwt(): string | Promise<string> {
    const now = this.now();
    if (this.#cached && now < this.#cached.exp - REUSE_MARGIN_S) return this.#cached.jwt;
    const iat = now - IAT_BACKDATE_S;
    const exp = iat + LIFETIME_S;
    const unsigned = `${JWT_HEADER}.${base64urlText(JSON.stringify({ iat, exp, iss: this.appId }))}`;
    const done = (signature: string): string => {
      const jwt = `${unsigned}.${signature}`;
      this.#cached = { jwt, exp };
      return jwt;
    };
    const signature = this.#key.sign(unsigned);
    return typeof signature === "string" ? done(signature) : signature.then(done);
  }

  /**
   * Adopts the server's clock from a response `Date` header (missing or unparsable: no change). A Date
   * header only has whole seconds, so a new reading within a second of the offset in use is noise, not
   * news, and is ignored rather than making every JWT be signed again.
   */
  correctClock(dateHeader: string | null): void {
    const serverMs = dateHeader === null ? Number.NaN : Date.parse(dateHeader);
    if (Number.isNaN(serverMs)) return;
    const offset = Math.floor(serverMs / 1000) - Math.floor(Date.now() / 1000);
    if (Math.abs(offset - this.#offsetS) <= 1) return;
    this.#offsetS = offset;
    this.#cached = undefined;
  }
}

// GitHub answers a JWT whose times it rejects with 401 and one of these messages, e.g.
// "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued" or
// "'Expiration time' claim ('exp') is too far in the future". Any other 401 (wrong key, unknown app) must
// not be retried.
const CLOCK_SKEW_MESSAGE = /'(?:Issued at|Expiration time)' claim \('(?:iat|exp)'\)/;

/** True when GitHub rejected a JWT because of its iat/exp (reads a clone; the response stays unread). */
export async function isClockSkewRejection(response: Response): Promise<boolean> {
  if (response.status !== 401) return false;
  try {
    const body = (await response.clone().json()) as { message?: unknown } | null;
    return typeof body?.message === "string" && CLOCK_SKEW_MESSAGE.test(body.message);
  } catch {
    return false;
  }
}

/**
 * After a clock-skew 401 for a JWT signed with offset `offsetUsed`: learns the server's clock and says
 * whether a retry can succeed, i.e. whether the offset now differs from the one that JWT was signed with.
 * Comparing with the offset *used* (not with the one before this response) matters when several requests
 * fail at once: the first corrects the clock, and the others must still retry with the corrected JWT.
 */
export async function retryAfterClockSkew(signer: AppJwtSigner, response: Response, offsetUsed: number): Promise<boolean> {
  if (!(await isClockSkewRejection(response))) return false;
  signer.correctClock(response.headers.get("date"));
  return signer.offsetSeconds !== offsetUsed;
}

/** The App-JWT credential: Bearer JWT, and one retry after learning the server's clock from a skew 401. */
export function jwtCredential(signer: AppJwtSigner): Credential<number> {
  return {
    async apply({ request }) {
      const offset = signer.offsetSeconds;
      request.headers.set("Authorization", `Bearer ${await signer.jwt()}`);
      return offset;
    },
    async recover({ response }, offsetUsed) {
      if (!(await retryAfterClockSkew(signer, response, offsetUsed))) return undefined;
      return { Authorization: `Bearer ${await signer.jwt()}` };
    },
  };
}

export interface AppAuthOptions {
  /** The GitHub App's numeric ID (a string of digits is accepted, e.g. from an env var). */
  appId: number | string;
  /** The App's private key: PEM (PKCS#1 as GitHub issues it, or PKCS#8) or a KeyObject. */
  privateKey: string | KeyObject;
}

/** Reads appId and privateKey, the part every App strategy shares. */
export function appSigner(strategy: string, options: Record<string, unknown>): AppJwtSigner {
  if (options["appId"] === undefined) throw invalidOption(strategy, "appId", "is required (the GitHub App's ID)");
  const appId = positiveInteger(strategy, "appId", options["appId"]);
  if (options["privateKey"] === undefined) throw invalidOption(strategy, "privateKey", "is required (the GitHub App's private key PEM)");
  return new AppJwtSigner(appId, parsePrivateKey(strategy, options["privateKey"]));
}

/**
 * Authenticates as the GitHub App itself (`Authorization: Bearer <JWT>`), as `/app` and `/app/…` demand.
 * The JWT is reused until a minute before it expires. If GitHub rejects its iat/exp, the clock offset is
 * taken from the response's Date header and the request is retried once.
 */
export function appAuth(options: AppAuthOptions): AuthStrategy {
  const opts = optionsObject("appAuth", options);
  knownKeys("appAuth", opts, ["appId", "privateKey"]);
  const signer = appSigner("appAuth", opts);
  const credential = jwtCredential(signer);
  return defineStrategy("appAuth", { appId: signer.appId, privateKey: REDACTED }, () => () => credential, undefined, {});
}
