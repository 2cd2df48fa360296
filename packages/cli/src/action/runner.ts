// The GitHub Actions runner's side of an action, as its docs define it: inputs in INPUT_<NAME>, outputs
// and state appended to the files GITHUB_OUTPUT and GITHUB_STATE (the post step gets state as STATE_<name>),
// workflow commands on stdout (::add-mask::, ::error::).
// https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/workflow-commands-for-github-actions
import { randomBytes } from "node:crypto";
import { appendFileSync } from "node:fs";

export const input = (name: string, env = process.env): string => (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();

export function booleanInput(name: string, env = process.env): boolean {
  const value = input(name, env).toLowerCase();
  if (value === "" || value === "false") return false;
  if (value === "true") return true;
  throw new Error(`input ${name} must be true or false`);
}

/** The `permission-<name>` inputs given, as the permissions body of a token request. */
export function permissionInputs(env = process.env): Record<string, string> {
  const permissions: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const match = /^INPUT_PERMISSION-(.+)$/.exec(key);
    if (match && value && value.trim() !== "") permissions[match[1]!.toLowerCase().replace(/-/g, "_")] = value.trim();
  }
  return permissions;
}

function appendFileCommand(variable: "GITHUB_OUTPUT" | "GITHUB_STATE", name: string, value: string): void {
  const file = process.env[variable];
  if (!file) throw new Error(`${variable} is not set: run this as a GitHub Actions step`);
  const delimiter = `ghadelimiter_${randomBytes(16).toString("hex")}`;
  appendFileSync(file, `${name}<<${delimiter}\n${value}\n${delimiter}\n`);
}

export const setOutput = (name: string, value: string): void => appendFileCommand("GITHUB_OUTPUT", name, value);
export const saveState = (name: string, value: string): void => appendFileCommand("GITHUB_STATE", name, value);
export const getState = (name: string): string => process.env[`STATE_${name}`] ?? "";
/** The runner replaces the value with *** in every later log line. */
export const mask = (value: string): void => void process.stdout.write(`::add-mask::${value}\n`);
export const info = (text: string): void => void process.stdout.write(`${text}\n`);
export const fail = (text: string): void => {
  process.stdout.write(`::error::${text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A")}\n`);
  process.exitCode = 1;
};
