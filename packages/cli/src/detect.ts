// `ghes-sdk detect <url>`: which GHES version a server runs, its era and the API URL to use.
import { parseArgs } from "node:util";
import { CONNECTION_OPTIONS, parsing } from "./args.js";
import { resolveTarget } from "./connect.js";
import { UsageError } from "./errors.js";
import type { Io } from "./io.js";

export const DETECT_HELP = `Usage: ghes-sdk detect <url> [--json] [--ca-file <pem>]

Asks a GHES which version it runs (GET /meta, without credentials) and prints the version, its era (the
@ghes-sdk package to use) and the API base URL to give clients.

  <url>             your GHES, e.g. https://ghes.example.com (or its API URL, …/api/v3); --url works too
  --json            print {"version","featureRelease","era","packageName","apiUrl"}
  --ca-file <pem>   trust these CA certificates too (NODE_EXTRA_CA_CERTS works as well)

HTTPS_PROXY, HTTP_PROXY and NO_PROXY are honoured. Exit status: 0 detected, 1 the server did not say, 2 usage.`;

export async function detectCommand(argv: string[], io: Io): Promise<number> {
  const { era: _era, ...connection } = CONNECTION_OPTIONS;
  const options = { ...connection, json: { type: "boolean" } } as const;
  const { values, positionals } = parsing("detect", () => parseArgs({ args: argv, options, strict: true, allowPositionals: true }));
  if (values.help) return io.out(DETECT_HELP), 0;
  if (positionals.length > 1) throw new UsageError("detect takes one URL, e.g. ghes-sdk detect https://ghes.example.com");
  const url = positionals[0] ?? values.url;
  if (url === undefined) throw new UsageError("detect needs the URL of your GHES, e.g. ghes-sdk detect https://ghes.example.com");
  const target = await resolveTarget({ url, caFile: values["ca-file"], env: io.env });
  const { version, featureRelease, era, packageName } = target.detected!;
  if (values.json) io.out(JSON.stringify({ version, featureRelease, era, packageName, apiUrl: target.apiUrl }));
  else io.out(`GHES ${version} (feature release ${featureRelease})\nera: ${era} (npm install ${packageName})\nAPI URL: ${target.apiUrl}`);
  return 0;
}
