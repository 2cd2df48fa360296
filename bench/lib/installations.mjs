// (e) One App, many installations: N concurrent requests spread over K installations, through one
// strategy, against the loopback server in another process. Run once per contender in a fresh process
// (argv: contender, origin, N, K) so peak RSS is its own. Two waves: cold (every installation mints) and
// warm (every token cached). Prints { mints, connections, coldMs, warmMs, coldPeakRssMb, peakRssMb }.
import { generateKeyPairSync } from "node:crypto";
import { Octokit } from "@octokit/core";
import { createAppAuth } from "@octokit/auth-app";
import { appInstallationsAuth } from "@ghes-sdk/auth";
import { createClient } from "@ghes-sdk/ghes-3.x";

const [contender, origin, n, k] = [process.argv[2], process.argv[3], Number(process.argv[4]), Number(process.argv[5])];
const baseUrl = `${origin}/api/v3`;
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
const ownerOf = (i) => `org${(i % k) + 1}`;

let call;
if (contender === "ours") {
  // One strategy for every installation; the installation is read from the request's path.
  const gh = createClient({
    baseUrl,
    auth: appInstallationsAuth({ appId: 1, privateKey, cacheSize: Math.max(100, k), installationId: ({ pathParams }) => Number(pathParams["owner"].slice(3)) }),
  });
  call = async (i) => (await gh.GET("/repos/{owner}/{repo}/installation", { params: { path: { owner: ownerOf(i), repo: "r" } } })).data.id;
} else {
  // Octokit's way for many installations: one createAppAuth (one JWT, one token cache) asked per request.
  const auth = createAppAuth({ appId: 1, privateKey, request: new Octokit({ baseUrl }).request });
  const gh = new Octokit({ baseUrl });
  call = async (i) => {
    const { token } = await auth({ type: "installation", installationId: (i % k) + 1 });
    return (await gh.request("GET /repos/{owner}/{repo}/installation", { owner: ownerOf(i), repo: "r", headers: { authorization: `token ${token}` } })).data.id;
  };
}

const stats = async () => (await fetch(`${origin}/__stats`)).json();
const wave = async () => {
  const t0 = performance.now();
  const ids = await Promise.all(Array.from({ length: n }, (_, i) => call(i)));
  const ms = performance.now() - t0;
  ids.forEach((id, i) => {
    if (id !== (i % k) + 1) throw new Error(`${contender}: request ${i} acted as installation ${id}, not ${(i % k) + 1}`);
  });
  return ms;
};
const coldMs = await wave();
const { mints, connections } = await stats();
// The peak up to here is the cold wave's; the warm wave comes on top of whatever the cold one left for the GC.
const coldPeakRssMb = process.resourceUsage().maxRSS / 1024;
const warmMs = await wave();
const after = await stats();
process.stdout.write(
  JSON.stringify({ mints, mintsAfterWarm: after.mints, connections, coldMs, warmMs, coldPeakRssMb, peakRssMb: process.resourceUsage().maxRSS / 1024 }),
);
