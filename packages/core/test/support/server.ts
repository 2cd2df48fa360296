import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createEraClient, type ClientOptions, type EraDefinition, type RateLimit } from "../../src/index.js";

export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  rawHeaders: string[];
  at: number;
}

/**
 * A node:http server on 127.0.0.1 answering with `handler`; `n` counts requests from 0. `close()` also
 * drops connections a handler left hanging.
 */
export async function serve(handler: (req: IncomingMessage, res: ServerResponse, n: number) => void) {
  const requests: Seen[] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method!, url: req.url!, headers: req.headers, rawHeaders: req.rawHeaders, at: Date.now() });
    req.resume();
    handler(req, res, requests.length - 1);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/api/v3`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Server = Awaited<ReturnType<typeof serve>>;

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "x-github-request-id": "C0DE:1D", ...headers });
  res.end(JSON.stringify(body));
}

export const token = "gho_16C7e42F292c6912E7710c838347Ae178B4a";

/** An era with the operations the tests call, token-in-path ones included. */
export const def: EraDefinition = {
  name: "ghes-3.x",
  packageName: "@ghes-sdk/test-era",
  version: "9.9.9",
  defaultHeaders: { accept: "application/vnd.github.v3+json" },
  operations: Object.fromEntries(
    (
      [
        ["apps/get-authenticated", "get", "/app"],
        ["apps/create-installation-access-token", "post", "/app/installations/{installation_id}/access_tokens"],
        ["apps/delete-installation", "delete", "/app/installations/{installation_id}"],
        ["apps/update-webhook-config-for-app", "patch", "/app/hook/config"],
        ["oauth-authorizations/check-authorization", "get", "/applications/{client_id}/tokens/{access_token}"],
        ["oauth-authorizations/revoke-authorization-for-application", "delete", "/applications/{client_id}/tokens/{access_token}"],
        ["apps/create-from-manifest", "post", "/app-manifests/{code}/conversions"],
      ] as const
    ).map(([operationId, method, path]) => [
      operationId,
      { method, path },
    ]),
  ),
};

type Call = (path: string, init?: Record<string, unknown>) => Promise<{ data?: any; error?: any; response: Response }>;
/** A client of the test era with untyped paths, for tests about the runtime rather than the types. */
export interface LooseClient {
  GET: Call;
  PUT: Call;
  POST: Call;
  DELETE: Call;
  PATCH: Call;
  readonly rateLimit: RateLimit | undefined;
}
export const looseClient = (definition: EraDefinition, options: ClientOptions): LooseClient =>
  createEraClient<any>(definition, options) as unknown as LooseClient;
