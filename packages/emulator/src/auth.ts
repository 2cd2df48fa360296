// Who sent a request, checked the way GHES checks it: App JWTs against the App's public key with GitHub's
// 401 messages for bad times, tokens by value (revoked or expired: "Bad credentials"), Basic for OAuth
// clients and for users (with the 2FA one-time password when the user has it).
import { timingSafeEqual, verify } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { HttpError, type Principal } from "./context.js";
import type { EmulatorState } from "./state.js";
import { totp } from "./state.js";

// https://docs.github.com/en/enterprise-server@3.9/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-json-web-token-jwt-for-a-github-app
export const JWT_MESSAGES = {
  undecodable: "A JSON web token could not be decoded",
  expired: "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
  tooLong: "'Expiration time' claim ('exp') is too far in the future",
  futureIat: "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued",
  unknownApp: "Integration not found",
} as const;
/** GHES accepts an `exp` at most 10 minutes after `iat`. */
const MAX_JWT_LIFETIME_S = 600;
/** …and tolerates a little clock drift on `iat`. */
const IAT_LEEWAY_S = 30;

const sameText = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** GHES accepts an App's client ID as the JWT issuer from 3.18 on (the docs' `client-id-for-app` feature). */
export const CLIENT_ID_ISSUER_SINCE = "3.18";

function verifyJwt(state: EmulatorState, jwt: string, clientIdIssuer: boolean): Principal {
  const [h, p, s] = jwt.split(".");
  let header: any;
  let payload: any;
  try {
    header = JSON.parse(Buffer.from(h!, "base64url").toString("utf8"));
    payload = JSON.parse(Buffer.from(p!, "base64url").toString("utf8"));
  } catch {
    throw new HttpError(401, JWT_MESSAGES.undecodable);
  }
  if (header?.alg !== "RS256" || typeof payload !== "object" || payload === null) throw new HttpError(401, JWT_MESSAGES.undecodable);
  const byClientId = clientIdIssuer && typeof payload.iss === "string" && !/^\d+$/.test(payload.iss);
  const app = byClientId ? [...state.apps.values()].find((a) => a.clientId === payload.iss) : state.apps.get(Number(payload.iss));
  if (!app) throw new HttpError(401, JWT_MESSAGES.unknownApp);
  if (!verify("sha256", Buffer.from(`${h}.${p}`), app.publicKey, Buffer.from(s!, "base64url"))) {
    throw new HttpError(401, JWT_MESSAGES.undecodable);
  }
  const now = Math.floor(state.now() / 1000);
  const { iat, exp } = payload;
  if (!Number.isInteger(iat) || iat > now + IAT_LEEWAY_S) throw new HttpError(401, JWT_MESSAGES.futureIat);
  if (typeof exp !== "number" || exp <= now) throw new HttpError(401, JWT_MESSAGES.expired);
  if (exp - iat > MAX_JWT_LIFETIME_S) throw new HttpError(401, JWT_MESSAGES.tooLong);
  return { kind: "app", app };
}

function tokenPrincipal(state: EmulatorState, value: string): Principal {
  const token = state.liveToken(value);
  if (!token) throw new HttpError(401, "Bad credentials");
  if (token.kind === "installation") {
    const installation = state.installations.get(token.installationId!);
    if (!installation) throw new HttpError(401, "Bad credentials");
    if (installation.suspendedAt !== null) throw new HttpError(403, "This installation has been suspended");
    return { kind: "installation", token, installation };
  }
  const user = state.users.get(token.userLogin ?? "");
  if (!user) throw new HttpError(401, "Bad credentials");
  return { kind: "user-token", token, user };
}

function basicPrincipal(state: EmulatorState, encoded: string, security: string[][], headers: IncomingHttpHeaders): Principal {
  const decoded = Buffer.from(encoded, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) throw new HttpError(401, "Bad credentials");
  const name = decoded.slice(0, colon);
  const secret = decoded.slice(colon + 1);
  const accepts = (scheme: string) => security.some((alt) => alt.includes(scheme));
  const client = state.clients.get(name);
  if (client && accepts("oauth_app_basic")) {
    if (!sameText(secret, client.clientSecret)) throw new HttpError(401, "Bad credentials");
    return { kind: "client", client };
  }
  if (!accepts("user_basic") && !accepts("user_token")) throw new HttpError(401, "Bad credentials");
  const user = state.users.get(name);
  if (!user || user.password === undefined || !sameText(secret, user.password)) throw new HttpError(401, "Bad credentials");
  if (user.totpSecret) {
    const otp = headers["x-github-otp"];
    const now = state.now();
    // The current code and the one of the previous 30 s window, as authenticator apps drift.
    const valid = [totp(user.totpSecret, now), totp(user.totpSecret, now - 30_000)];
    if (typeof otp !== "string" || !valid.includes(otp.trim())) {
      throw new HttpError(401, "Must specify two-factor authentication OTP code.", { "X-GitHub-OTP": "required; app" });
    }
  }
  return { kind: "user-basic", user };
}

/** The kinds of principal each security scheme of the specs admits. */
const ADMITS: Record<string, Principal["kind"][]> = {
  app_jwt: ["app"],
  installation_token: ["installation"],
  user_token: ["user-token", "user-basic"],
  user_basic: ["user-basic"],
  oauth_app_basic: ["client"],
};

/**
 * Authenticates a request for an operation whose security alternatives are `security` (each a list of
 * scheme names; an empty list means anonymous access is fine).
 */
export function authenticate(state: EmulatorState, security: readonly (readonly string[])[], headers: IncomingHttpHeaders, clientIdIssuer = false): Principal {
  const alternatives = security.map((alt) => [...alt]);
  // `security: []` (no requirement) and an empty alternative `{}` both mean anonymous access is fine.
  const anonymousOk = alternatives.length === 0 || alternatives.some((alt) => alt.length === 0);
  const header = headers.authorization;
  if (!header) {
    if (anonymousOk) return { kind: "anonymous" };
    throw new HttpError(401, "Requires authentication");
  }
  const match = /^(\w+)\s+(\S+)\s*$/.exec(header);
  if (!match) throw new HttpError(401, "Bad credentials");
  const scheme = match[1]!.toLowerCase();
  const value = match[2]!;
  const wantsJwt = alternatives.some((alt) => alt.includes("app_jwt"));
  let principal: Principal;
  if (scheme === "basic") principal = basicPrincipal(state, value, alternatives, headers);
  else if (scheme === "bearer" && value.split(".").length === 3) {
    if (!wantsJwt) throw new HttpError(401, JWT_MESSAGES.undecodable.replace("could not be decoded", "cannot be used here; use an installation or user token"));
    principal = verifyJwt(state, value, clientIdIssuer);
  } else if (scheme === "token" || scheme === "bearer") {
    if (wantsJwt && alternatives.every((alt) => alt.includes("app_jwt"))) throw new HttpError(401, JWT_MESSAGES.undecodable);
    principal = tokenPrincipal(state, value);
  } else throw new HttpError(401, "Bad credentials");

  const admitted = anonymousOk || alternatives.some((alt) => alt.every((s) => ADMITS[s]?.includes(principal.kind)));
  if (!admitted) {
    if (principal.kind === "installation") throw new HttpError(403, "Resource not accessible by integration");
    throw new HttpError(403, "You must authenticate with a different kind of credential to use this endpoint");
  }
  return principal;
}
