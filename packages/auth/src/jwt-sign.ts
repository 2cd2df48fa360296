import type { KeyObject as NodeKeyObject } from "node:crypto";
import { invalidOption } from "./errors.js";

/**
 * A node:crypto KeyObject, described by what this package reads of it, so the public types do not need
 * Node's type definitions (a browser or worker project may not have them). A real KeyObject fits.
 */
export interface KeyObject {
  readonly type: string;
  readonly asymmetricKeyType?: string | undefined;
}

/**
 * Signing the App JWT (RS256) wherever fetch runs.
 *
 * On Node (and Bun, Deno) node:crypto reads GitHub's PKCS#1 keys directly and signs synchronously, the
 * fastest way there is. It is taken with `process.getBuiltinModule` rather than an import, so bundling
 * this package for a browser or a worker does not have to resolve `node:crypto` at all. Where it is
 * absent, WebCrypto signs: it only imports PKCS#8, so a PKCS#1 key is wrapped into a PKCS#8 structure first
 * (the RSA key bytes are the same; PKCS#8 only adds the algorithm identifier around them).
 */
type NodeCrypto = typeof import("node:crypto");

let nodeCrypto: NodeCrypto | null | undefined;
/** node:crypto if this runtime has it; looked up on first use, so importing this module has no side effect. */
function nodeCryptoModule(): NodeCrypto | null {
  if (nodeCrypto === undefined) {
    const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    nodeCrypto = (process?.getBuiltinModule?.("node:crypto") as NodeCrypto | undefined) ?? null;
  }
  return nodeCrypto;
}

/** A private key ready to sign: synchronously with node:crypto, asynchronously with WebCrypto. */
export interface SigningKey {
  readonly backend: "node:crypto" | "webcrypto";
  /** RS256 signature of `data`, base64url. */
  sign(data: string): string | Promise<string>;
}

/** base64url of bytes, without Buffer. */
export function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
}

/** base64url of a string's UTF-8 bytes. */
export const base64urlText = (text: string): string => base64url(new TextEncoder().encode(text));

/** Every problem with a key is reported on the `privateKey` option. */
const keyError = (strategy: string, problem: string) => invalidOption(strategy, "privateKey", problem);
const UNPARSABLE = "could not be parsed as a PEM private key";

/** The checks every key goes through before either backend sees it; returns the PEM text. */
function pemText(strategy: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw keyError(strategy, "must be the GitHub App's private key as a PEM string or a KeyObject");
  }
  // Keys pasted into env vars often arrive with literal "\n"; those are turned back into newlines.
  const pem = !value.includes("\n") && value.includes("\\n") ? value.replaceAll("\\n", "\n") : value;
  if (pem.includes("-----BEGIN ENCRYPTED PRIVATE KEY-----") || /Proc-Type:\s*4,ENCRYPTED/.test(pem)) {
    throw keyError(strategy, "is encrypted; pass the decrypted key (e.g. a KeyObject from createPrivateKey with its passphrase)");
  }
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(pem)) {
    throw keyError(strategy, 'is not a PEM private key ("-----BEGIN RSA PRIVATE KEY-----" or "-----BEGIN PRIVATE KEY-----")');
  }
  return pem;
}

/** Reads a GitHub App private key for whichever backend this runtime has. Errors never include key material. */
export function readSigningKey(strategy: string, value: unknown): SigningKey {
  const crypto = nodeCryptoModule();
  return crypto ? nodeSigningKey(strategy, value, crypto) : webCryptoSigningKey(strategy, value);
}

function nodeSigningKey(strategy: string, value: unknown, crypto: NodeCrypto): SigningKey {
  let key: NodeKeyObject;
  if (value instanceof crypto.KeyObject) {
    key = value;
  } else {
    const pem = pemText(strategy, value);
    try {
      key = crypto.createPrivateKey({ key: pem, format: "pem" });
    } catch {
      // The crypto error is dropped on purpose: it says nothing useful and we do not want its text in logs.
      throw keyError(strategy, UNPARSABLE);
    }
  }
  if (key.type !== "private") throw keyError(strategy, "must be a private key, got a public or secret key");
  if (key.asymmetricKeyType !== "rsa") {
    throw keyError(strategy, `must be an RSA key (GitHub App keys are RSA), got ${key.asymmetricKeyType ?? "unknown"}`);
  }
  const encoder = new TextEncoder();
  return {
    backend: "node:crypto",
    sign: (data) => crypto.sign("sha256", encoder.encode(data), key).toString("base64url"),
  };
}

// DER: rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters, the AlgorithmIdentifier PKCS#8 wraps around a PKCS#1 key.
const RSA_ALGORITHM = [0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00];
const RSA_OID = RSA_ALGORITHM.slice(4, 13);

function derLength(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return [0x80 | bytes.length, ...bytes];
}

const der = (tag: number, content: ArrayLike<number>): number[] => [tag, ...derLength(content.length), ...Array.from(content)];

/** PKCS#8 PrivateKeyInfo around a PKCS#1 RSAPrivateKey: SEQUENCE { 0, rsaEncryption, OCTET STRING { key } }. */
export function pkcs1ToPkcs8(pkcs1: Uint8Array): Uint8Array {
  return new Uint8Array(der(0x30, [0x02, 0x01, 0x00, ...RSA_ALGORITHM, ...der(0x04, pkcs1)]));
}

/** Length of a DER element starting at 0, or -1 when the bytes are not one well-formed DER SEQUENCE. */
function sequenceLength(bytes: Uint8Array): number {
  if (bytes.length < 2 || bytes[0] !== 0x30) return -1;
  const first = bytes[1]!;
  if (first < 0x80) return 2 + first;
  const n = first & 0x7f;
  if (n === 0 || n > 4 || bytes.length < 2 + n) return -1;
  let length = 0;
  for (let i = 0; i < n; i++) length = length * 256 + bytes[2 + i]!;
  return 2 + n + length;
}

const contains = (bytes: Uint8Array, needle: readonly number[], within: number): boolean => {
  for (let i = 0; i + needle.length <= Math.min(bytes.length, within); i++) {
    if (needle.every((b, j) => bytes[i + j] === b)) return true;
  }
  return false;
};

/**
 * The WebCrypto key: checked as far as it can be without importing (PEM, DER framing, RSA) when the
 * strategy is created; imported once, on the first signature.
 */
export function webCryptoSigningKey(strategy: string, value: unknown): SigningKey {
  if (typeof value !== "string") {
    throw keyError(strategy, "must be a PEM string here: a KeyObject needs node:crypto, which this runtime does not have");
  }
  const pem = pemText(strategy, value);
  const pkcs1 = /-----BEGIN RSA PRIVATE KEY-----/.test(pem);
  const body = /-----BEGIN (?:RSA )?PRIVATE KEY-----([\s\S]*?)-----END (?:RSA )?PRIVATE KEY-----/.exec(pem)?.[1] ?? "";
  let bytes: Uint8Array | undefined;
  try {
    bytes = Uint8Array.from(atob(body.replace(/\s+/g, "")), (c) => c.charCodeAt(0));
  } catch {
    /* not base64: reported below */
  }
  if (!bytes || sequenceLength(bytes) !== bytes.length) throw keyError(strategy, UNPARSABLE);
  if (!pkcs1 && !contains(bytes, RSA_OID, 32)) {
    throw keyError(strategy, "must be an RSA key (GitHub App keys are RSA)");
  }
  const pkcs8 = pkcs1 ? pkcs1ToPkcs8(bytes) : bytes;
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw keyError(strategy, "cannot be used: this runtime has neither node:crypto nor WebCrypto");
  let imported: Promise<CryptoKey> | undefined;
  const encoder = new TextEncoder();
  return {
    backend: "webcrypto",
    async sign(data) {
      imported ??= subtle
        .importKey("pkcs8", pkcs8 as Uint8Array<ArrayBuffer>, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"])
        .catch(() => {
          throw keyError(strategy, "could not be imported as an RSA private key");
        });
      const signature = await subtle.sign("RSASSA-PKCS1-v1_5", await imported, encoder.encode(data));
      return base64url(new Uint8Array(signature));
    },
  };
}
