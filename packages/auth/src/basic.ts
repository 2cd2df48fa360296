import { SharedWork } from "./abort.js";
import { GhesAuthError, invalidOption } from "./errors.js";
import { defineStrategy, waitingFor, type Credential } from "./middleware.js";
import { basicHeader } from "./oauth-app.js";
import { REDACTED } from "./redact.js";
import type { AuthStrategy } from "./types.js";
import { allowInsecureHttp, basicPart, HEADER_TOKEN, headerToken, knownKeys, optionsObject } from "./validate.js";

/** How GitHub delivers the code: an authenticator app or a text message. */
export type TwoFactorKind = "app" | "sms" | (string & {});

export interface BasicAuthOptions {
  username: string;
  password: string;
  /** A one-time password to send from the first request on (`X-GitHub-OTP`). */
  otp?: string;
  /**
   * Called when GitHub answers 401 with `X-GitHub-OTP: required; <app|sms>`: resolve to the code and the
   * request is sent again, once, with it. The code is then kept for later requests until GitHub asks again
   * (codes stay valid for a short while). Concurrent requests that all hit the 401 share one call.
   * `signal` fires when every request waiting for the code has been aborted or timed out: close the prompt
   * then (the requests have already failed with ABORTED/TIMEOUT; they do not wait for the prompt to close).
   * Only a challenge from the API's own origin is answered, never one from a redirect target.
   */
  on2fa?: (kind: TwoFactorKind, context: { signal: AbortSignal }) => string | Promise<string>;
  /** Send the password over plain http:// to a host that is not loopback. Default false; see "Security". */
  allowInsecureHttp?: boolean;
}

// "X-GitHub-OTP: required; app" / "required; sms" — https://docs.github.com/en/enterprise-server@3.9/rest/
// authentication/authenticating-to-the-rest-api (Working with two-factor authentication).
const OTP_REQUIRED = /^\s*required\s*;\s*([\w-]+)/i;

/**
 * Authenticates a user with Basic username:password — what the OAuth Authorizations API (`/authorizations`,
 * `/applications/grants`) demands — including GitHub's two-factor flow.
 */
export function basicAuth(options: BasicAuthOptions): AuthStrategy {
  const name = "basicAuth";
  const opts = optionsObject(name, options);
  knownKeys(name, opts, ["username", "password", "otp", "on2fa", "allowInsecureHttp"]);
  const username = basicPart(name, "username", opts["username"], { colon: false });
  const password = basicPart(name, "password", opts["password"], { colon: true });
  let otp = opts["otp"] === undefined ? undefined : headerToken(name, "otp", opts["otp"]);
  const on2fa = opts["on2fa"];
  if (on2fa !== undefined && typeof on2fa !== "function") throw invalidOption(name, "on2fa", "must be a function (kind) => code");
  const authorization = basicHeader(username, password);

  let asking: SharedWork<string> | undefined;
  const ask = async (kind: string, signal: AbortSignal): Promise<string> => {
    const code: unknown = await (on2fa as NonNullable<BasicAuthOptions["on2fa"]>)(kind, { signal });
    const trimmed = typeof code === "string" ? code.trim() : code;
    if (typeof trimmed !== "string" || !HEADER_TOKEN.test(trimmed)) {
      // The value is not shown: it may be a real code with a typo in it.
      throw new GhesAuthError("INVALID_OTP", "basicAuth: on2fa must resolve to the one-time password as a non-empty string without spaces");
    }
    return trimmed;
  };

  const credential: Credential<{ otp: string | undefined }> = {
    // fetch would forward X-GitHub-OTP to another origin on a redirect (issue 9, finding 3).
    crossOriginHeaders: ["x-github-otp"],
    apply({ request }) {
      request.headers.set("Authorization", authorization);
      if (otp !== undefined) request.headers.set("X-GitHub-OTP", otp);
      return { otp };
    },
    async recover(ctx, sent) {
      const { response, until } = ctx;
      if (response.status !== 401 || on2fa === undefined) return undefined;
      const required = OTP_REQUIRED.exec(response.headers.get("x-github-otp") ?? "");
      if (!required) return undefined;
      // Another request may already have got a newer code while this one was in flight: use that rather
      // than prompting the user a second time.
      if (otp === undefined || otp === sent.otp) {
        // A prompt everyone walked away from is not joined: it may never resolve.
        if (!asking || asking.abandoned) {
          const prompt: SharedWork<string> = new SharedWork((promptSignal) => ask(required[1]!.toLowerCase(), promptSignal));
          asking = prompt;
          const done = () => {
            if (asking === prompt) asking = undefined;
          };
          prompt.promise.then(done, done);
        }
        otp = await asking.join(until, waitingFor(ctx, "waiting for on2fa (the two-factor code)"));
      }
      return { "X-GitHub-OTP": otp };
    },
  };
  return defineStrategy(name, {
    description: { username, password: REDACTED, ...(otp !== undefined ? { otp: REDACTED } : {}), on2fa: on2fa !== undefined },
    build: () => () => credential,
    extras: {},
    policy: allowInsecureHttp(name, opts),
  });
}
