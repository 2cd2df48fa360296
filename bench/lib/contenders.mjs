// The same "check a token" request (POST /applications/{client_id}/token, Basic client_id:client_secret,
// JSON body) made by each contender. Used by the stub-fetch and the loopback sections.
import { Octokit as OctokitCore } from "@octokit/core";
import { Octokit as OctokitRest } from "@octokit/rest";
import { checkToken } from "@octokit/oauth-methods";
import { request as octokitRequest } from "@octokit/request";
import createOpenApiClient from "openapi-fetch";
import { oauthAppAuth } from "@ghes-sdk/auth";
import { createClient as create3x } from "@ghes-sdk/ghes-3.x";
import { createClient as create2022 } from "@ghes-sdk/ghes-2022-11-28";
import { createClient as create22x } from "@ghes-sdk/ghes-2.2x";

export const CLIENT_ID = "Iv1.8a61f9b3a7aba766";
const CLIENT_SECRET = "1234567890abcdef1234567890abcdef12345678";
const USER_TOKEN = "gho_16C7e42F292c6912E7710c838347Ae178B4a";
const BASIC = `Basic ${btoa(`${CLIENT_ID}:${CLIENT_SECRET}`)}`;
export const PATH = `/applications/${CLIENT_ID}/token`;
export const BODY = JSON.stringify({ access_token: USER_TOKEN });
const UA = "bench/1.0";

/** Builds every contender against `baseUrl`; each returns the parsed body. `fetch` undefined = global fetch. */
export function contenders(baseUrl, { fetch } = {}) {
  const f = () => fetch ?? globalThis.fetch;
  const auth = oauthAppAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  const era = (create) =>
    create({ baseUrl, auth, userAgent: UA, ...(fetch ? { fetch: (req) => fetch(req) } : {}) });
  const c3x = era(create3x);
  const c2022 = era(create2022);
  const c22x = era(create22x);
  // openapi-fetch keeps the fetch it is created with: the global one is looked up per call, as ours does.
  const bare = createOpenApiClient({ baseUrl, fetch: (req) => (fetch ?? globalThis.fetch)(req) });
  const core = new OctokitCore({ baseUrl, userAgent: UA, request: fetch ? { fetch } : {} });
  const rest = new OctokitRest({ baseUrl, userAgent: UA, request: fetch ? { fetch } : {} });
  const methodsRequest = octokitRequest.defaults({ baseUrl, headers: { "user-agent": UA }, request: fetch ? { fetch } : {} });
  const params = { params: { path: { client_id: CLIENT_ID } }, body: { access_token: USER_TOKEN } };
  // The hand-written call; `signal` as a careful caller gives one (see the contender below).
  const raw = async (signal) => {
    const init = {
      method: "POST",
      headers: { accept: "application/vnd.github.v3+json", authorization: BASIC, "content-type": "application/json", "user-agent": UA },
      // Serialized per call, as a hand-written call with a different token each time must.
      body: JSON.stringify({ access_token: USER_TOKEN }),
    };
    if (signal) init.signal = signal; // no spread: the plain call costs what it did alone
    return (await f()(`${baseUrl}${PATH}`, init)).json();
  };
  const ok = ({ data, error }) => {
    if (error) throw new Error(`unexpected error ${JSON.stringify(error)}`);
    return data;
  };
  return {
    "raw fetch": () => raw(undefined),
    // The same hand-written call with the timeout a careful caller gives it: what a signal on every fetch
    // costs undici, whoever passes it (our client passes one so a timed-out call frees its connection).
    "raw fetch + AbortSignal.timeout": () => raw(AbortSignal.timeout(30_000)),
    "openapi-fetch (bare)": async () =>
      ok(await bare.POST("/applications/{client_id}/token", { ...params, headers: { accept: "application/vnd.github.v3+json", authorization: BASIC, "user-agent": UA } })),
    "ghes-3.x + oauthAppAuth": async () => ok(await c3x.POST("/applications/{client_id}/token", params)),
    "ghes-2022-11-28 + oauthAppAuth": async () => ok(await c2022.POST("/applications/{client_id}/token", params)),
    "ghes-2.2x + oauthAppAuth": async () => ok(await c22x.POST("/applications/{client_id}/token", params)),
    "@octokit/core": async () =>
      (await core.request("POST /applications/{client_id}/token", { client_id: CLIENT_ID, access_token: USER_TOKEN, headers: { authorization: BASIC } })).data,
    "@octokit/rest": async () =>
      (await rest.rest.apps.checkToken({ client_id: CLIENT_ID, access_token: USER_TOKEN, headers: { authorization: BASIC } })).data,
    "@octokit/oauth-methods": async () =>
      (await checkToken({ clientType: "oauth-app", clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, token: USER_TOKEN, request: methodsRequest })).data,
  };
}

export const RESPONSE_BODY = JSON.stringify({ id: 1, token: USER_TOKEN, scopes: ["repo"], user: { login: "octocat" } });

/** What a request looks like for the "same request" check: method, URL, Authorization, body. */
export async function describeRequest(input, init) {
  const req = new Request(input, init);
  return `${req.method} ${req.url} auth=${sameBasic(req.headers.get("authorization"))} body=${await req.text()}`;
}

// The scheme is case-insensitive (oauth-methods sends "basic"); the credentials are not.
const sameBasic = (header) => header !== null && header.replace(/^basic /i, "Basic ") === BASIC;
