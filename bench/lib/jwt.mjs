// JWT signs per second: ours (node:crypto and WebCrypto backends, a full App JWT each), bare node:crypto
// (RS256 of the same bytes), and universal-github-app-jwt (what @octokit/auth-app signs with).
import { createPrivateKey, generateKeyPairSync, sign } from "node:crypto";
import githubAppJwt from "universal-github-app-jwt";
import { AppJwtSigner, rs256Signer } from "../../packages/auth/dist/app-jwt.js";
import { readSigningKey, webCryptoSigningKey } from "../../packages/auth/dist/jwt-sign.js";
import { interleave } from "./stats.mjs";

const quick = process.argv.includes("--quick");
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
const keyObject = createPrivateKey(privateKey);
const nodeKey = readSigningKey("bench", privateKey);
const webKey = webCryptoSigningKey("bench", privateKey);
const data = Buffer.from("eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpYXQiOjE3MDAwMDAwMDAsImV4cCI6MTcwMDAwMDYwMCwiaXNzIjoxfQ");

const contenders = {
  "node:crypto sign (bare)": () => sign("sha256", data, keyObject),
  "ours, node:crypto": () => new AppJwtSigner(1, rs256Signer(nodeKey)).jwt("https://ghes.example.com"),
  "ours, WebCrypto": () => new AppJwtSigner(1, rs256Signer(webKey)).jwt("https://ghes.example.com"),
  "universal-github-app-jwt (@octokit/auth-app)": () => githubAppJwt({ id: 1, privateKey }),
};
const names = Object.keys(contenders);
for (const name of names) await contenders[name](); // warm up, and each must produce a JWT or signature
const { samples, ratios } = await interleave(names, quick ? 1 : 15, async (name) => {
  const fn = contenders[name];
  const count = quick ? 5 : 40;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await fn();
  return Number(process.hrtime.bigint() - t0) / count;
}, "node:crypto sign (bare)");
process.stdout.write(JSON.stringify({ samples, ratios }));
