// `ghes-sdk check-token`: asks GHES whether an OAuth app's (or a GitHub App's) user token is valid —
// POST /applications/{client_id}/token with the app's client id and secret, the token in the body.
import { parseArgs } from "node:util";
import { oauthAppAuth } from "@ghes-sdk/auth";
import { GhesRequestError, unwrap } from "@ghes-sdk/core";
import { CONNECTION_OPTIONS, parsing, required } from "./args.js";
import { ERA_CHOICES, eraClient, resolveTarget } from "./connect.js";
import { UsageError } from "./errors.js";
import type { Io } from "./io.js";
import { readToken } from "./secret-input.js";

export const CHECK_TOKEN_HELP = `Usage: ghes-sdk check-token --url <GHES> [--json] [--era <era>] [--ca-file <pem>]

Checks a user token (gho_…, ghu_…) of an OAuth app or GitHub App: valid or not, whose, its scopes and
expiry. The app's credentials come from GHES_CLIENT_ID and GHES_CLIENT_SECRET, the token from stdin (or
GHES_TOKEN) — never from arguments:
  echo "$USER_TOKEN" | GHES_CLIENT_ID=… GHES_CLIENT_SECRET=… ghes-sdk check-token --url https://ghes.example.com

  --url <GHES>      your GHES, e.g. https://ghes.example.com (or its API URL, …/api/v3)
  --json            print {"valid","login","app","scopes","expires_at"}
  --era <era>       ${ERA_CHOICES} (default: asked from the server)
  --ca-file <pem>   trust these CA certificates too (NODE_EXTRA_CA_CERTS works as well)

Exit status: 0 valid, 1 not valid (or the API failed), 2 usage.`;

export interface TokenCheck {
  valid: boolean;
  login: string | null;
  app: string | null;
  scopes: string[];
  expires_at: string | null;
}

export async function checkTokenCommand(argv: string[], io: Io): Promise<number> {
  const options = { ...CONNECTION_OPTIONS, json: { type: "boolean" } } as const;
  const { values } = parsing("check-token", () => parseArgs({ args: argv, options, strict: true }));
  if (values.help) return io.out(CHECK_TOKEN_HELP), 0;
  const url = required(values.url, "--url", "--url https://ghes.example.com");
  const clientId = io.env["GHES_CLIENT_ID"]?.trim();
  const clientSecret = io.env["GHES_CLIENT_SECRET"]?.trim();
  if (!clientId || !clientSecret) throw new UsageError("check-token needs the app's credentials in GHES_CLIENT_ID and GHES_CLIENT_SECRET");
  const token = await readToken(io, "GHES_TOKEN", "check-token");
  const check = await checkToken({ url, era: values.era, caFile: values["ca-file"], clientId, clientSecret, token }, io.env);
  if (values.json) io.out(JSON.stringify(check));
  else if (check.valid) {
    io.out(`valid: token of ${check.login ?? "?"} for ${check.app ?? "?"}; scopes: ${check.scopes.join(", ") || "(none)"}; expires: ${check.expires_at ?? "never"}`);
  } else io.out("not valid: GHES does not know this token for this app (revoked, expired, or another app's)");
  return check.valid ? 0 : 1;
}

export async function checkToken(
  request: { url: string; era?: string | undefined; caFile?: string | undefined; clientId: string; clientSecret: string; token: string },
  env: NodeJS.ProcessEnv,
): Promise<TokenCheck> {
  const target = await resolveTarget({ url: request.url, era: request.era, caFile: request.caFile, env });
  const github = eraClient(target, oauthAppAuth({ clientId: request.clientId, clientSecret: request.clientSecret }));
  try {
    const data = await unwrap(
      github.POST("/applications/{client_id}/token", { params: { path: { client_id: request.clientId } }, body: { access_token: request.token } }),
    );
    const expires = (data as { expires_at?: string | null }).expires_at ?? null;
    return { valid: true, login: data.user?.login ?? null, app: data.app?.name ?? null, scopes: data.scopes ?? [], expires_at: expires };
  } catch (error) {
    // 404: GHES's answer for a token that is not (or no longer) valid for this app.
    if (error instanceof GhesRequestError && error.status === 404) return { valid: false, login: null, app: null, scopes: [], expires_at: null };
    throw error;
  }
}
