import { createPublicKey } from "node:crypto";
import { readFileSync } from "node:fs";

// The keys in ../fixtures were generated once with node:crypto (generateKeyPairSync("rsa", { modulusLength:
// 2048 }) exported as PKCS#1, PKCS#8 and SPKI; a P-256 key for the not-RSA case) and committed, so every run
// signs with the same keys. They are test-only and authenticate nothing anywhere.
const read = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8");

/** The same RSA key in the two encodings GitHub users have: PKCS#1 (what GitHub issues) and PKCS#8. */
export const PKCS1_KEY = read("app-key.pkcs1.pem");
export const PKCS8_KEY = read("app-key.pkcs8.pem");
export const PUBLIC_KEY = createPublicKey(read("app-key.public.pem"));
/** A different RSA key: JWTs signed with it must not verify against PUBLIC_KEY. */
export const OTHER_KEY = read("other-key.pkcs1.pem");
/** A P-256 key: a valid private key that is not RSA. */
export const EC_KEY = read("ec-key.pkcs8.pem");

export const APP_ID = 4242;
export const INSTALLATION_ID = 77;
