import type { KeyObject } from "node:crypto";
import { afterEach, beforeEach, vi } from "vitest";
import type { ServerResponse } from "node:http";
import { APP_ID, PUBLIC_KEY } from "./fixtures.js";
import { bearer, decodeJwt } from "./jwt.js";
import { sendJson, startServer, type Received, type TestServer } from "./server.js";

export interface MintedToken {
  token: string;
  installationId: number;
  /** The API root it was minted under (the path before /app/…), e.g. "/api/v3". */
  root: string;
  body: unknown;
  expiresAt: number;
  revoked: boolean;
}

export interface FakeGhes extends TestServer {
  /** Seconds the server's clock is ahead of the local one. */
  clockOffsetS: number;
  /** Installation token lifetime the server grants. */
  tokenLifetimeS: number;
  minted: MintedToken[];
  /** Requests to the mint endpoint, including rejected ones. */
  mintRequests: Received[];
  /** Answer the next N uses of a freshly minted token with 401, as a lagging replica would. */
  lagFreshTokens: number;
  /** "owner/repo" → installation ID, for GET /repos/{owner}/{repo}/installation (404 when absent). */
  repositoryInstallations: Record<string, number>;
  /** When set, the mint endpoint answers with this instead of minting. */
  mintFailure: { status: number; body: unknown } | undefined;
}

const GITHUB_MESSAGES = {
  iat: "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued",
  expPast: "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
  expFar: "'Expiration time' claim ('exp') is too far in the future",
};

/**
 * A small GHES: verifies App JWTs (signature and times, on its own possibly-skewed clock), mints and
 * revokes installation tokens, and answers any other route with 200 if the installation token is live.
 * Every answer carries a Date header from the server's clock, as GitHub's do.
 */
export async function startFakeGhes(publicKey: KeyObject, appId: number): Promise<FakeGhes> {
  const serverNowS = () => Math.floor(Date.now() / 1000) + ghes.clockOffsetS;
  const reply = (res: ServerResponse, status: number, body?: unknown) => {
    const date = new Date(serverNowS() * 1000).toUTCString();
    if (body === undefined) {
      res.writeHead(status, { Date: date });
      res.end();
    } else {
      sendJson(res, status, body, { Date: date });
    }
  };
  /** Returns an error message, or undefined when the JWT is acceptable. */
  const checkJwt = (authorization: string | undefined): string | undefined => {
    let decoded;
    try {
      decoded = decodeJwt(bearer(authorization), publicKey);
    } catch {
      return "A JSON web token could not be decoded";
    }
    if (!decoded.signatureValid || decoded.header["alg"] !== "RS256") return "A JSON web token could not be decoded";
    if (decoded.payload.iss !== appId) return "Integration not found";
    const now = serverNowS();
    const { iat, exp } = decoded.payload;
    if (!Number.isInteger(iat) || iat > now) return GITHUB_MESSAGES.iat;
    if (!Number.isInteger(exp) || exp <= now) return GITHUB_MESSAGES.expPast;
    if (exp - now > 600) return GITHUB_MESSAGES.expFar;
    return undefined;
  };
  const uses = new Map<string, number>();

  const server = await startServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    const mint = /^(.*)\/app\/installations\/(\d+)\/access_tokens$/.exec(path);
    if (mint && req.method === "POST") {
      ghes.mintRequests.push(req);
      const problem = checkJwt(req.headers.authorization);
      if (problem) return reply(res, 401, { message: problem, documentation_url: "https://docs.github.com/rest" });
      if (ghes.mintFailure) return reply(res, ghes.mintFailure.status, ghes.mintFailure.body);
      const token: MintedToken = {
        token: `ghs_fake${String(ghes.minted.length + 1).padStart(4, "0")}`,
        installationId: Number(mint[2]),
        root: mint[1]!,
        body: req.body === "" ? undefined : JSON.parse(req.body),
        expiresAt: serverNowS() + ghes.tokenLifetimeS,
        revoked: false,
      };
      ghes.minted.push(token);
      return reply(res, 201, {
        token: token.token,
        expires_at: new Date(token.expiresAt * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"),
        permissions: { metadata: "read" },
        repository_selection: "all",
      });
    }
    const lookup = /\/repos\/([^/]+)\/([^/]+)\/installation$/.exec(path);
    if (lookup && req.method === "GET") {
      const problem = checkJwt(req.headers.authorization);
      if (problem) return reply(res, 401, { message: problem });
      const id = ghes.repositoryInstallations[`${lookup[1]}/${lookup[2]}`];
      return id === undefined ? reply(res, 404, { message: "Not Found" }) : reply(res, 200, { id, app_id: appId });
    }
    if (/(^|\/)app$/.test(path) || /\/app\/installations(\/\d+)?$/.test(path)) {
      const problem = checkJwt(req.headers.authorization);
      if (problem) return reply(res, 401, { message: problem });
      return reply(res, 200, { id: appId, path });
    }
    const match = /^token (\S+)$/.exec(req.headers.authorization ?? "");
    const token = ghes.minted.find((t) => t.token === match?.[1]);
    if (!token || token.revoked || token.expiresAt <= serverNowS()) return reply(res, 401, { message: "Bad credentials" });
    const used = (uses.get(token.token) ?? 0) + 1;
    uses.set(token.token, used);
    if (used <= ghes.lagFreshTokens) return reply(res, 401, { message: "Bad credentials" });
    if (req.method === "DELETE" && path.endsWith("/installation/token")) {
      token.revoked = true;
      return reply(res, 204);
    }
    return reply(res, 200, { path, method: req.method, token: token.token, body: req.body });
  });

  const ghes: FakeGhes = Object.assign(server, {
    clockOffsetS: 0,
    tokenLifetimeS: 3600,
    minted: [] as MintedToken[],
    mintRequests: [] as Received[],
    lagFreshTokens: 0,
    mintFailure: undefined,
    repositoryInstallations: {},
  });
  return ghes;
}

/** The instant the time-sensitive tests start at. */
export const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);

/**
 * A fresh fake GHES for each test of the calling file, with `Date` frozen at T0 (timers stay real: the
 * server has to answer). Returns an accessor, since the server only exists once a test runs.
 */
export function useFakeGhes(): () => FakeGhes {
  let ghes: FakeGhes | undefined;
  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: T0 });
    ghes = await startFakeGhes(PUBLIC_KEY, APP_ID);
  });
  afterEach(async () => {
    vi.useRealTimers();
    await ghes?.close();
  });
  return () => ghes!;
}
