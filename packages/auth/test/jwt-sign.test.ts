import { verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { base64url, pkcs1ToPkcs8, readSigningKey, webCryptoSigningKey } from "../src/jwt-sign.js";
import { EC_KEY, PKCS1_KEY, PKCS8_KEY, PUBLIC_KEY } from "./helpers/fixtures.js";

// The WebCrypto signer is what runs where node:crypto does not; here it is called directly, and its
// signatures are checked with node:crypto's verify (independent of the code under test).
const DATA = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjF9";
const valid = (signature: string) => verify("sha256", Buffer.from(DATA), PUBLIC_KEY, Buffer.from(signature, "base64url"));

describe("WebCrypto signing key", () => {
  it.each([
    ["PKCS#1 (wrapped to PKCS#8)", PKCS1_KEY],
    ["PKCS#8", PKCS8_KEY],
    ['PKCS#1 with literal "\\n"', PKCS1_KEY.replaceAll("\n", "\\n")],
  ])("signs RS256 with a %s key", async (_name, pem) => {
    const key = webCryptoSigningKey("appAuth", pem);
    expect(key.backend).toBe("webcrypto");
    expect(valid(await key.sign(DATA))).toBe(true);
  });

  it("signs exactly as node:crypto does (RS256 is deterministic)", async () => {
    const node = readSigningKey("appAuth", PKCS1_KEY);
    expect(node.backend).toBe("node:crypto");
    expect(await webCryptoSigningKey("appAuth", PKCS1_KEY).sign(DATA)).toBe(node.sign(DATA));
  });

  it.each([
    ["not a string", 42, /PEM string here/],
    ["an EC key", EC_KEY, /must be an RSA key/],
    ["garbage between the markers", "-----BEGIN RSA PRIVATE KEY-----\n%%%\n-----END RSA PRIVATE KEY-----", /could not be parsed/],
    ["truncated", PKCS1_KEY.slice(0, 300) + "\n-----END RSA PRIVATE KEY-----", /could not be parsed/],
    ["encrypted", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----", /is encrypted/],
  ])("refuses %s at creation, without echoing it", (_name, value, message) => {
    let error: unknown;
    try {
      webCryptoSigningKey("appAuth", value);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: "INVALID_OPTION", option: "privateKey" });
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain("MII");
  });

  it("wraps PKCS#1 into the PKCS#8 node:crypto exports for the same key", () => {
    const body = (pem: string) => Uint8Array.from(Buffer.from(pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64"));
    expect(Buffer.from(pkcs1ToPkcs8(body(PKCS1_KEY))).equals(Buffer.from(body(PKCS8_KEY)))).toBe(true);
  });

  it("base64url has no padding and the URL alphabet", () => {
    expect(base64url(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe("-_-_");
    expect(base64url(new Uint8Array([1]))).toBe("AQ");
  });
});
