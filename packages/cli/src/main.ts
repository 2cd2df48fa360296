// Dispatch to the command named by the first argument.
import { CHECK_TOKEN_HELP, checkTokenCommand } from "./check-token.js";
import { DETECT_HELP, detectCommand } from "./detect.js";
import { UsageError } from "./errors.js";
import type { Io } from "./io.js";
import { MANIFEST_HELP, manifestCommand } from "./manifest.js";
import { REVOKE_HELP, revokeCommand } from "./revoke.js";
import { TOKEN_HELP, tokenCommand } from "./token.js";

type Command = (argv: string[], io: Io) => Promise<number>;

const COMMANDS: Record<string, { run: Command; help: string; summary: string }> = {
  token: { run: tokenCommand, help: TOKEN_HELP, summary: "mint an installation token of a GitHub App" },
  revoke: { run: revokeCommand, help: REVOKE_HELP, summary: "revoke an installation token (from stdin or GHES_TOKEN)" },
  "check-token": { run: checkTokenCommand, help: CHECK_TOKEN_HELP, summary: "is a user token valid: whose, scopes, expiry" },
  detect: { run: detectCommand, help: DETECT_HELP, summary: "the GHES version of a server, its era and API URL" },
  manifest: { run: manifestCommand, help: MANIFEST_HELP, summary: "register a GitHub App from a manifest, its credentials written to files" },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  return [
    "Usage: ghes-sdk <command> [options]",
    "",
    "Commands:",
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    "",
    "ghes-sdk <command> --help shows a command's options.",
  ].join("\n");
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "help" && rest[0] !== undefined && COMMANDS[rest[0]]) {
    io.out(COMMANDS[rest[0]]!.help);
    return 0;
  }
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.out(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v") {
    const { VERSION } = await import("./version.js");
    io.out(VERSION);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`unknown command "${name.slice(0, 40)}": the commands are ${Object.keys(COMMANDS).join(", ")} (ghes-sdk --help)`);
  return command.run(rest, io);
}
