// The App JWT with the client ID as its issuer (GHES 3.18 and later, see CLIENT_ID_SINCE). @ghes-sdk/auth's
// appAuth takes the numeric app ID only, so this one middleware signs the same RS256 JWT with node:crypto —
// iat 60 s in the past, exp 10 minutes after iat, as the GHES docs ask — and sends it as `Bearer`.
import { createPrivateKey, sign, type KeyObject } from "node:crypto";
import type { Middleware } from "openapi-fetch";
import { BAD_KEY, UsageError } from "./errors.js";

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

export function clientIdAuth(options: { clientId: string; privateKey: string }): Middleware {
  let key: KeyObject;
  try {
    key = createPrivateKey(options.privateKey.includes("\\n") ? options.privateKey.replace(/\\n/g, "\n") : options.privateKey);
  } catch {
    throw new UsageError(BAD_KEY);
  }
  if (key.asymmetricKeyType !== "rsa") throw new UsageError(BAD_KEY);
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const jwt = () => {
    const iat = Math.floor(Date.now() / 1000) - 60;
    const unsigned = `${encode({ alg: "RS256", typ: "JWT" })}.${encode({ iat, exp: iat + 600, iss: options.clientId })}`;
    return `${unsigned}.${sign("sha256", Buffer.from(unsigned), key).toString("base64url")}`;
  };
  return {
    onRequest({ request }) {
      const url = new URL(request.url);
      if (url.protocol === "http:" && !LOOPBACK.test(url.hostname)) {
        throw new UsageError(`refusing to send the App JWT over plain http:// to ${url.origin}: use the https:// address of your GHES`);
      }
      request.headers.set("authorization", `Bearer ${jwt()}`);
      return request;
    },
  };
}
