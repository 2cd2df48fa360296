import { verify, type KeyObject } from "node:crypto";

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: { iat: number; exp: number; iss: unknown } & Record<string, unknown>;
  signatureValid: boolean;
}

/**
 * Decodes a compact JWS and checks its RS256 signature against a public key — written here, independently
 * of src/, so the tests do not use the code under test to judge itself.
 */
export function decodeJwt(jwt: string, publicKey: KeyObject): DecodedJwt {
  const parts = jwt.split(".");
  if (parts.length !== 3) throw new Error(`not a compact JWS: ${parts.length} parts`);
  const [h, p, s] = parts as [string, string, string];
  const json = (part: string) => JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
  return {
    header: json(h),
    payload: json(p) as DecodedJwt["payload"],
    signatureValid: verify("sha256", Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, "base64url")),
  };
}

export function bearer(authorization: string | undefined): string {
  const match = /^Bearer (.+)$/.exec(authorization ?? "");
  if (!match) throw new Error(`not a Bearer authorization: ${authorization}`);
  return match[1]!;
}
