// (e)'s two contenders, one App serving K installations: request i is for installation (i % K) + 1 (owner
// `org<id>`) and answers with the installation the server saw. Ours: one appInstallationsAuth choosing the
// installation from the path. Octokit's way for many installations: one createAppAuth (one JWT, one token
// cache) asked per request.
import { generateKeyPairSync } from "node:crypto";
import { Octokit } from "@octokit/core";
import { createAppAuth } from "@octokit/auth-app";
import { appInstallationsAuth } from "@ghes-sdk/auth";
import { createClient } from "@ghes-sdk/ghes-3.x";

/** `call(i)`: sends request i and resolves to the installation id it was answered as. */
export function installationCall(contender, baseUrl, k) {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
  const ownerOf = (i) => `org${(i % k) + 1}`;
  // "ours, unlimited": the same with maxConcurrency: Infinity, every request on the wire at once as
  // Octokit's (for information: what the default limit of 100 changes).
  if (contender === "ours" || contender === "ours, unlimited") {
    const gh = createClient({
      baseUrl,
      // Octokit has no timeout; ours counts the wait for a slot too, and 10,000 calls queued behind 100
      // slots can outlast the default 30 s on a loaded machine. Timed as a whole wave, not per call.
      timeout: Number.POSITIVE_INFINITY,
      ...(contender === "ours" ? {} : { maxConcurrency: Number.POSITIVE_INFINITY }),
      auth: appInstallationsAuth({ appId: 1, privateKey, cacheSize: Math.max(100, k), installationId: ({ pathParams }) => Number(pathParams["owner"].slice(3)) }),
    });
    return async (i) => (await gh.GET("/repos/{owner}/{repo}/installation", { params: { path: { owner: ownerOf(i), repo: "r" } } })).data.id;
  }
  const auth = createAppAuth({ appId: 1, privateKey, request: new Octokit({ baseUrl }).request });
  const gh = new Octokit({ baseUrl });
  return async (i) => {
    const { token } = await auth({ type: "installation", installationId: (i % k) + 1 });
    return (await gh.request("GET /repos/{owner}/{repo}/installation", { owner: ownerOf(i), repo: "r", headers: { authorization: `token ${token}` } })).data.id;
  };
}

/** Throws unless every request i acted as installation (i % K) + 1. */
export function checkInstallations(contender, ids, k) {
  ids.forEach((id, i) => {
    if (id !== (i % k) + 1) throw new Error(`${contender}: request ${i} acted as installation ${id}, not ${(i % k) + 1}`);
  });
}
