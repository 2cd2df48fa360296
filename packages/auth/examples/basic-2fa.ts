// The OAuth Authorizations API: Basic username:password, with GitHub's two-factor prompt.
import { basicAuth } from "@ghes-sdk/auth";
import { createClient } from "@ghes-sdk/ghes-3.x";
import { createInterface } from "node:readline/promises";

const github = createClient({
  baseUrl: process.env.GHES_API_URL!,
  auth: basicAuth({
    username: process.env.GHES_USERNAME!,
    password: process.env.GHES_PASSWORD!,
    // Called when GitHub answers 401 with `X-GitHub-OTP: required; app|sms`; the request is then retried once.
    // `signal` fires when every request waiting for the code has been aborted or timed out: stop asking then.
    on2fa: async (kind, { signal }) => {
      const terminal = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await terminal.question(kind === "sms" ? "Code sent by SMS: " : "Code from your authenticator app: ", { signal });
      } finally {
        terminal.close();
      }
    },
  }),
});

const { data, error } = await github.POST("/authorizations", {
  body: { scopes: ["repo"], note: "release script" },
  signal: AbortSignal.timeout(5 * 60_000), // gives up (prompt included) after five minutes
});
if (error) throw new Error(`could not create the authorization: ${JSON.stringify(error)}`);
console.log(`created authorization ${data.id} with scopes ${data.scopes?.join(", ")}`);
