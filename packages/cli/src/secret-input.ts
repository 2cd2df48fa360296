// A token given to a command: from an environment variable, else from stdin — never from an argument,
// where it would be in the shell history and in every process listing.
import { UsageError } from "./errors.js";
import type { Io } from "./io.js";

export async function readToken(io: Io, variable: string, command: string): Promise<string> {
  const fromEnv = io.env[variable]?.trim();
  const token = fromEnv || (await io.stdin()).trim();
  if (token === "") throw new UsageError(`${command} needs the token on stdin (e.g. echo "$TOKEN" | ghes-sdk ${command} …) or in ${variable}`);
  if (/\s/.test(token)) throw new UsageError(`${command} takes one token: what was given holds whitespace (more than one line on stdin?)`);
  return token;
}
