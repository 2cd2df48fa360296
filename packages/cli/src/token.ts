// `ghes-sdk token`: an installation token of a GitHub App, minted on the given GHES with the era's headers.
import { readFileSync } from "node:fs";
import { appAuth, GhesAuthError } from "@ghes-sdk/auth";
import { compareVersions, GhesRequestError, unwrap } from "@ghes-sdk/core";
import type { Middleware } from "openapi-fetch";
import { parseArgs } from "node:util";
import { CONNECTION_OPTIONS, parsing, required } from "./args.js";
import { clientIdAuth } from "./client-id.js";
import { apiUrlOf, ERA_CHOICES, eraClient, parseEra, resolveTarget, type EraClient } from "./connect.js";
import { BAD_KEY, CommandError, UsageError } from "./errors.js";
import type { Io } from "./io.js";

export const TOKEN_HELP = `Usage: ghes-sdk token --url <GHES> (--app-id <id> | --client-id <id>) [--private-key-file <pem>]
                     (--installation-id <id> | --owner <org|user> | --repository <owner/repo>)
                     [--repositories <a,b>] [--permission <name>=read|write]... [--json]

Mints an installation token of a GitHub App and prints it (alone, or as JSON with --json).

  --url <GHES>               your GHES, e.g. https://ghes.example.com (or its API URL, …/api/v3)
  --app-id <id>              the App's numeric id (its settings page, or the manifest's app-id file)
  --client-id <id>           the App's client id instead: GHES 3.18 and later accept it as the JWT issuer
  --private-key-file <pem>   the App's private key; or put the PEM in GHES_APP_PRIVATE_KEY
  --installation-id <id>     the installation to act as, or find it with:
  --owner <org|user>         the account the App is installed on
  --repository <owner/repo>  a repository the App is installed on
  --repositories <a,b>       only these repositories of the installation (names without the owner)
  --permission <name>=<level>  only this permission (repeat for more), e.g. --permission contents=read
  --json                     print {"token","installation_id","app_slug","expires_at"}
  --era <era>                ${ERA_CHOICES} (default: asked from the server)
  --ca-file <pem>            trust these CA certificates too (NODE_EXTRA_CA_CERTS works as well)

HTTPS_PROXY, HTTP_PROXY and NO_PROXY are honoured. Exit status: 0 minted, 1 the API or a file failed, 2 usage.`;

/** GHES accepts a GitHub App's client ID as the JWT `iss` claim from 3.18 on (the docs' `client-id-for-app` feature). */
export const CLIENT_ID_SINCE = "3.18";

const LEVELS = ["read", "write"];

export interface TokenRequest {
  url: string;
  era?: string | undefined;
  caFile?: string | undefined;
  appId?: string | undefined;
  clientId?: string | undefined;
  privateKey: string;
  installationId?: string | undefined;
  owner?: string | undefined;
  repository?: string | undefined;
  repositories?: string[] | undefined;
  permissions?: Record<string, string> | undefined;
}

export interface MintedToken {
  token: string;
  installation_id: number;
  app_slug: string;
  expires_at: string;
  /** Where it was minted and through which era: what `revoke` (and the Action's post step) need. */
  apiUrl: string;
  era: string;
}

export async function tokenCommand(argv: string[], io: Io): Promise<number> {
  const options = {
    ...CONNECTION_OPTIONS,
    "app-id": { type: "string" },
    "client-id": { type: "string" },
    "private-key-file": { type: "string" },
    "installation-id": { type: "string" },
    owner: { type: "string" },
    repository: { type: "string" },
    repositories: { type: "string" },
    permission: { type: "string", multiple: true },
    json: { type: "boolean" },
  } as const;
  const { values } = parsing("token", () => parseArgs({ args: argv, options, strict: true }));
  if (values.help) return io.out(TOKEN_HELP), 0;
  const keyFile = values["private-key-file"];
  let privateKey: string;
  if (keyFile !== undefined) {
    try {
      privateKey = readFileSync(keyFile, "utf8");
    } catch (error) {
      throw new CommandError(`cannot read --private-key-file ${keyFile} (${(error as NodeJS.ErrnoException).code ?? "unreadable"}): give the path of the App's .pem file`);
    }
  } else {
    privateKey = io.env["GHES_APP_PRIVATE_KEY"] ?? "";
    if (privateKey.trim() === "") throw new UsageError("the App's private key is missing: pass --private-key-file <pem>, or put the PEM in GHES_APP_PRIVATE_KEY");
  }
  const minted = await mintToken({
    url: required(values.url, "--url", "--url https://ghes.example.com"),
    era: values.era,
    caFile: values["ca-file"],
    appId: values["app-id"],
    clientId: values["client-id"],
    privateKey,
    installationId: values["installation-id"],
    owner: values.owner,
    repository: values.repository,
    repositories: values.repositories === undefined ? undefined : splitList(values.repositories),
    permissions: parsePermissions(values.permission ?? []),
  }, io.env);
  if (values.json) {
    const { token, installation_id, app_slug, expires_at } = minted;
    io.out(JSON.stringify({ token, installation_id, app_slug, expires_at }));
  } else io.out(minted.token);
  return 0;
}

/** `a,b`, `a, b` or one name a line (as the Action's `repositories` input is often written). */
export function splitList(text: string): string[] {
  return text.split(/[,\n]/).map((s) => s.trim()).filter((s) => s !== "");
}

export function parsePermissions(pairs: string[]): Record<string, string> | undefined {
  if (pairs.length === 0) return undefined;
  const permissions: Record<string, string> = {};
  for (const pair of pairs) {
    const match = /^([a-z_]+)=([a-z]+)$/.exec(pair.trim());
    if (!match || !LEVELS.includes(match[2]!)) {
      throw new UsageError(`--permission takes <name>=read or <name>=write, e.g. --permission contents=read (got "${pair.slice(0, 60)}")`);
    }
    permissions[match[1]!] = match[2]!;
  }
  return permissions;
}

export async function mintToken(request: TokenRequest, env: NodeJS.ProcessEnv): Promise<MintedToken> {
  const { appId, clientId } = request;
  if ((appId === undefined) === (clientId === undefined)) throw new UsageError("give the App as --app-id <id> or --client-id <id> (one of them)");
  if (appId !== undefined && !/^[1-9]\d*$/.test(appId)) throw new UsageError("--app-id must be the App's numeric id, e.g. --app-id 42 (for the Iv1.… value use --client-id)");
  if (clientId !== undefined && !/^[\w.-]{1,100}$/.test(clientId)) throw new UsageError("--client-id must be the App's client id, e.g. --client-id Iv1.8a61f9b3a7aba766");
  const chosen = [request.installationId, request.owner, request.repository].filter((v) => v !== undefined);
  if (chosen.length !== 1) throw new UsageError("choose the installation with one of --installation-id <id>, --owner <org|user> or --repository <owner/repo>");
  if (request.installationId !== undefined && !/^[1-9]\d*$/.test(request.installationId)) throw new UsageError("--installation-id must be a number, e.g. --installation-id 7");
  if (request.repository !== undefined && !/^[\w.-]+\/[\w.-]+$/.test(request.repository)) throw new UsageError("--repository must be <owner>/<repo>, e.g. --repository octo-org/api");
  if (request.owner !== undefined && !/^[\w.-]+$/.test(request.owner)) throw new UsageError("--owner must be an organization or user login, e.g. --owner octo-org");
  for (const name of request.repositories ?? []) {
    if (!/^[\w.-]+$/.test(name)) throw new UsageError(`--repositories takes repository names without the owner, separated by commas, e.g. --repositories api,web (got "${name.slice(0, 60)}")`);
  }

  apiUrlOf(request.url);
  if (request.era !== undefined) parseEra(request.era);
  // The key is checked before any request: a bad one is a usage error, named without its content.
  let auth: Middleware;
  try {
    auth = clientId !== undefined ? clientIdAuth({ clientId, privateKey: request.privateKey }) : appAuth({ appId: appId!, privateKey: request.privateKey });
  } catch (error) {
    if (error instanceof GhesAuthError && error.code === "INVALID_OPTION" && error.option === "privateKey") throw new UsageError(BAD_KEY);
    throw error;
  }
  const target = await resolveTarget({ url: request.url, era: request.era, caFile: request.caFile, env, needVersion: clientId !== undefined });
  if (clientId !== undefined) {
    const version = target.detected!.featureRelease;
    if (compareVersions(version, CLIENT_ID_SINCE) < 0) {
      throw new UsageError(
        `--client-id needs GHES ${CLIENT_ID_SINCE} or later (the first to accept a client ID as the JWT issuer); this server runs GHES ${target.detected!.version}: use --app-id with the App's numeric id`,
      );
    }
  }
  const github = eraClient(target, auth);
  const installation = await findInstallation(github, request);
  const body = {
    ...(request.repositories?.length ? { repositories: request.repositories } : {}),
    ...(request.permissions ? { permissions: request.permissions } : {}),
  };
  const minted = await unwrap(
    github.POST("/app/installations/{installation_id}/access_tokens", {
      params: { path: { installation_id: installation.id } },
      body: body as never,
    }),
  );
  return {
    token: minted.token,
    installation_id: installation.id,
    app_slug: installation.app_slug,
    expires_at: minted.expires_at,
    apiUrl: target.apiUrl,
    era: target.era,
  };
}

async function findInstallation(github: EraClient, request: TokenRequest): Promise<{ id: number; app_slug: string }> {
  if (request.installationId !== undefined) {
    const id = Number(request.installationId);
    return notFoundAs(unwrap(github.GET("/app/installations/{installation_id}", { params: { path: { installation_id: id } } })), `the App has no installation ${id}: check --installation-id`);
  }
  if (request.repository !== undefined) {
    const [owner, repo] = request.repository.split("/") as [string, string];
    return notFoundAs(
      unwrap(github.GET("/repos/{owner}/{repo}/installation", { params: { path: { owner, repo } } })),
      `the App is not installed on ${owner}/${repo}: install it there, or check --repository`,
    );
  }
  const owner = request.owner!;
  // --owner does not say whether the account is an organization or a user, and GHES looks them up at two
  // paths: the organization's first, then on 404 the user's.
  try {
    return await unwrap(github.GET("/orgs/{org}/installation", { params: { path: { org: owner } } }));
  } catch (error) {
    if (!(error instanceof GhesRequestError) || error.status !== 404) throw error;
  }
  return notFoundAs(
    unwrap(github.GET("/users/{username}/installation", { params: { path: { username: owner } } })),
    `the App is not installed on the account ${owner}: install it there, or check --owner`,
  );
}

async function notFoundAs<T>(pending: Promise<T>, message: string): Promise<T> {
  try {
    return await pending;
  } catch (error) {
    if (error instanceof GhesRequestError && error.status === 404) {
      throw new CommandError(`${message} (GHES answered 404${error.requestId ? `, request id ${error.requestId}` : ""})`);
    }
    throw error;
  }
}
