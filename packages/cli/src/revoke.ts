// `ghes-sdk revoke`: revokes an installation token (DELETE /installation/token, authenticated by the token itself).
import { parseArgs } from "node:util";
import { tokenAuth } from "@ghes-sdk/auth";
import { GhesRequestError, unwrap } from "@ghes-sdk/core";
import { CONNECTION_OPTIONS, parsing, required } from "./args.js";
import { ERA_CHOICES, eraClient, resolveTarget } from "./connect.js";
import { CommandError } from "./errors.js";
import type { Io } from "./io.js";
import { readToken } from "./secret-input.js";

export const REVOKE_HELP = `Usage: ghes-sdk revoke --url <GHES> [--era <era>] [--ca-file <pem>]

Revokes an installation token, read from GHES_TOKEN or stdin (never an argument):
  ghes-sdk token … > token.txt && ghes-sdk revoke --url https://ghes.example.com < token.txt

  --url <GHES>      your GHES, e.g. https://ghes.example.com (or its API URL, …/api/v3)
  --era <era>       ${ERA_CHOICES} (default: asked from the server)
  --ca-file <pem>   trust these CA certificates too (NODE_EXTRA_CA_CERTS works as well)

HTTPS_PROXY, HTTP_PROXY and NO_PROXY are honoured. Exit status: 0 revoked, 1 the API refused (a token
already revoked or expired too), 2 usage.`;

export async function revokeCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parsing("revoke", () => parseArgs({ args: argv, options: CONNECTION_OPTIONS, strict: true }));
  if (values.help) return io.out(REVOKE_HELP), 0;
  const url = required(values.url, "--url", "--url https://ghes.example.com");
  const token = await readToken(io, "GHES_TOKEN", "revoke");
  await revokeToken({ url, era: values.era, caFile: values["ca-file"], token }, io.env);
  io.out("revoked");
  return 0;
}

export async function revokeToken(request: { url: string; era?: string | undefined; caFile?: string | undefined; token: string }, env: NodeJS.ProcessEnv): Promise<void> {
  const target = await resolveTarget({ url: request.url, era: request.era, caFile: request.caFile, env });
  const github = eraClient(target, tokenAuth(request.token));
  try {
    await unwrap(github.DELETE("/installation/token"));
  } catch (error) {
    if (error instanceof GhesRequestError && error.status === 401) {
      throw new CommandError(`GHES does not accept this token (401: already revoked, expired, or not an installation token)${error.requestId ? ` (request id ${error.requestId})` : ""}`);
    }
    throw error;
  }
}
