import { base64urlText, readSigningKey, type KeyObject, type SigningKey } from "./jwt-sign.js";
import { invalidOption } from "./errors.js";
import type { Credential } from "./middleware.js";
import { defineStrategy, waitingFor } from "./middleware.js";
import { raceSignal, type Until, type Waiting } from "./abort.js";
import { LruCache } from "./cache.js";
import { readCapped, REDACTED } from "./redact.js";
import type { AuthStrategy } from "./types.js";
import { allowInsecureHttp, knownKeys, optionsObject, positiveInteger } from "./validate.js";

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
 * ("BEGIN PRIVATE KEY") or a KeyObject. It signs with node:crypto where the runtime has it and with
 * WebCrypto elsewhere (jwt-sign.ts). Keys pasted into env vars with literal "\n" are accepted. Errors never
 * include key material.
 */
export const parsePrivateKey: (strategy: string, value: unknown) => SigningKey = readSigningKey;

/** Makes the signature of a JWT's signing input (`header.payload`), base64url-encoded. */
export type JwtSign = (signingInput: string) => string | Promise<string>;

/** RS256 with the key's backend (node:crypto or WebCrypto): the signing step alone, apart from the clock logic below. */
export function rs256Signer(key: SigningKey): JwtSign {
  return (signingInput) => key.sign(signingInput);
}

/** The App JWT for `appId` with times taken from `now` (seconds, the server's clock as far as we know it). */
export async function signAppJwt(appId: number, now: number, signWith: JwtSign): Promise<{ jwt: string; exp: number }> {
  const iat = now - IAT_BACKDATE_S;
  const exp = iat + LIFETIME_S;
  const header = base64urlText(JSON.stringify({ alg: "RS256", typ: "JWT" }));
  const payload = base64urlText(JSON.stringify({ iat, exp, iss: appId }));
  const signingInput = `${header}.${payload}`;
  return { jwt: `${signingInput}.${await signWith(signingInput)}`, exp };
}

/** Clock offsets and cached JWTs are kept for at most this many API origins (the oldest goes first). */
const MAX_ORIGINS = 100;

interface OriginClock {
  /** Seconds to add to the local clock to get this origin's, learnt from a clock-skew 401. */
  offsetS: number;
  cached: { jwt: string; exp: number } | undefined;
}

/**
 * Signs and caches the App JWT. One signer is shared by everything built from one strategy. The clock
 * correction is learnt and applied per API origin (issue 9, finding 8): one GHES whose clock is off, or a
 * `Date` header from somewhere else, must not move the JWTs sent to another.
 */
export class AppJwtSigner {
  readonly appId: number;
  readonly #sign: JwtSign;
  readonly #clocks = new LruCache<string, OriginClock>(MAX_ORIGINS);

  constructor(appId: number, signWith: JwtSign) {
    this.appId = appId;
    this.#sign = signWith;
  }

  #clock(origin: string): OriginClock {
    let clock = this.#clocks.get(origin);
    if (!clock) {
      clock = { offsetS: 0, cached: undefined };
      this.#clocks.set(origin, clock);
    }
    return clock;
  }

  /** Seconds since the epoch as `origin` sees them (local clock plus the offset learnt from it). */
  now(origin: string): number {
    return Math.floor(Date.now() / 1000) + this.offsetSeconds(origin);
  }

  offsetSeconds(origin: string): number {
    return this.#clocks.peek(origin)?.offsetS ?? 0;
  }

  async jwt(origin: string): Promise<string> {
    const clock = this.#clock(origin);
    const now = this.now(origin);
    if (clock.cached && now < clock.cached.exp - REUSE_MARGIN_S) return clock.cached.jwt;
    const signed = await signAppJwt(this.appId, now, this.#sign);
    clock.cached = signed;
    return signed.jwt;
  }

  /**
   * Adopts `origin`'s clock from a response `Date` header (missing or unparsable: no change). A Date
   * header only has whole seconds, so a new reading within a second of the offset in use is noise, not
   * news, and is ignored rather than making every JWT be signed again. Callers only pass responses that
   * came from `origin` itself, never from a redirect target.
   */
  correctClock(origin: string, dateHeader: string | null): void {
    const serverMs = dateHeader === null ? Number.NaN : Date.parse(dateHeader);
    if (Number.isNaN(serverMs)) return;
    const offset = Math.floor(serverMs / 1000) - Math.floor(Date.now() / 1000);
    const clock = this.#clock(origin);
    if (Math.abs(offset - clock.offsetS) <= 1) return;
    clock.offsetS = offset;
    clock.cached = undefined;
  }
}

// GitHub answers a JWT whose times it rejects with 401 and one of these messages, e.g.
// "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued" or
// "'Expiration time' claim ('exp') is too far in the future". Any other 401 (wrong key, unknown app) must
// not be retried.
const CLOCK_SKEW_MESSAGE = /'(?:Issued at|Expiration time)' claim \('(?:iat|exp)'\)/;

/**
 * True when GitHub rejected a JWT because of its iat/exp. Reads at most a small clone of the body (the
 * response stays unread), and stops waiting when `until` ends the request.
 */
export async function isClockSkewRejection(response: Response, until: Until, waiting: Waiting): Promise<boolean> {
  if (response.status !== 401) return false;
  const text = await raceSignal(readCapped(response.clone(), 16 * 1024), until, waiting);
  try {
    const body = JSON.parse(text) as { message?: unknown } | null;
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
 * The response must come from `origin` (the caller checks; a redirect target's clock is not learnt).
 */
export async function retryAfterClockSkew(
  signer: AppJwtSigner,
  origin: string,
  response: Response,
  offsetUsed: number,
  until: Until,
  waiting: Waiting,
): Promise<boolean> {
  if (!(await isClockSkewRejection(response, until, waiting))) return false;
  signer.correctClock(origin, response.headers.get("date"));
  return signer.offsetSeconds(origin) !== offsetUsed;
}

/** The App-JWT credential: Bearer JWT, and one retry after learning the server's clock from a skew 401. */
export function jwtCredential(signer: AppJwtSigner): Credential<number> {
  return {
    async apply({ request, apiOrigin }) {
      const offset = signer.offsetSeconds(apiOrigin);
      request.headers.set("Authorization", `Bearer ${await signer.jwt(apiOrigin)}`);
      return offset;
    },
    async recover(ctx, offsetUsed) {
      const { response, apiOrigin, until } = ctx;
      const waiting = waitingFor(ctx, "reading a 401 that may be a clock-skew rejection");
      if (!(await retryAfterClockSkew(signer, apiOrigin, response, offsetUsed, until, waiting))) return undefined;
      return { Authorization: `Bearer ${await signer.jwt(apiOrigin)}` };
    },
  };
}

export interface AppAuthOptions {
  /** The GitHub App's numeric ID (a string of digits is accepted, e.g. from an env var). */
  appId: number | string;
  /** The App's private key: PEM (PKCS#1 as GitHub issues it, or PKCS#8) or a KeyObject. */
  privateKey: string | KeyObject;
  /** Send the JWT over plain http:// to a host that is not loopback. Default false; see "Security". */
  allowInsecureHttp?: boolean;
}

/** Reads appId and privateKey, the part every App strategy shares. */
export function appSigner(strategy: string, options: Record<string, unknown>): AppJwtSigner {
  if (options["appId"] === undefined) throw invalidOption(strategy, "appId", "is required (the GitHub App's ID)");
  const appId = positiveInteger(strategy, "appId", options["appId"]);
  if (options["privateKey"] === undefined) throw invalidOption(strategy, "privateKey", "is required (the GitHub App's private key PEM)");
  return new AppJwtSigner(appId, rs256Signer(parsePrivateKey(strategy, options["privateKey"])));
}

/**
 * Authenticates as the GitHub App itself (`Authorization: Bearer <JWT>`), as `/app` and `/app/…` demand.
 * The JWT is reused until a minute before it expires. If GitHub rejects its iat/exp, the clock offset is
 * taken from the response's Date header and the request is retried once.
 */
export function appAuth(options: AppAuthOptions): AuthStrategy {
  const opts = optionsObject("appAuth", options);
  knownKeys("appAuth", opts, ["appId", "privateKey", "allowInsecureHttp"]);
  const signer = appSigner("appAuth", opts);
  const credential = jwtCredential(signer);
  return defineStrategy("appAuth", {
    description: { appId: signer.appId, privateKey: REDACTED },
    build: () => () => credential,
    extras: {},
    policy: allowInsecureHttp("appAuth", opts),
  });
}
