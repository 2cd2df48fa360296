// Argument parsing for every command: node:util's parseArgs (strict), its errors turned into usage errors
// that point at the command's --help.
import type { ParseArgsConfig } from "node:util";
import { UsageError } from "./errors.js";

export type Options = NonNullable<ParseArgsConfig["options"]>;

/** Options every command that talks to a GHES takes. */
export const CONNECTION_OPTIONS = {
  url: { type: "string" },
  era: { type: "string" },
  "ca-file": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const satisfies Options;

/** `parsing("token", () => parseArgs({ … }))`: parseArgs' own result type, its errors as UsageErrors. */
export function parsing<T>(command: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    // parseArgs names the option, never its value.
    const message = (error as Error).message.replace(/\.?\s*To specify a positional argument[\s\S]*$/, "");
    throw new UsageError(`${message}. See ghes-sdk ${command} --help`);
  }
}

export function required(value: string | undefined, option: string, example: string): string {
  if (value === undefined || value.trim() === "") throw new UsageError(`${option} is required, e.g. ${example}`);
  return value.trim();
}
