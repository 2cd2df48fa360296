// The HTTP layer: route with the era's spec, apply faults, check version range / preview / API version /
// credentials / request schema in GHES's order, call the operation's handler, fill and validate the reply.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Operation } from "openapi-backend";
import { authenticate, CLIENT_ID_ISSUER_SINCE } from "./auth.js";
import { HttpError, type Context, type Principal, type Reply } from "./context.js";
import { FaultPlan, type Fault } from "./faults.js";
import { handlers } from "./handlers/index.js";
import { fillFrom, Renderer } from "./render.js";
import { compareVersions, type EraName } from "@ghes-sdk/core";
import { deref, documentedResponse, dropUnserved, erasServing, isEra, loadEra, responseExample, servedIn, ERAS, type EraSpec } from "./spec.js";
import { Deliverer, loopbackUrl, type WebhookTarget } from "./deliver.js";
import { EmulatorState } from "./state.js";
import { isManifestPage, manifestPage } from "./web.js";

export interface EmulatorOptions {
  /**
   * Which generation of GHES to be ("ghes-3.x", "ghes-2022-11-28", …: core's `eraRanges`); its default
   * `ghesVersion` is the version that serves its whole spec. Optional when `ghesVersion` is given.
   */
  era?: EraName;
  /**
   * The GHES version (e.g. "3.4", "3.22"); operations outside its since/until range answer 404, and
   * properties, parameters and statuses outside theirs are left out. A version that several eras serve
   * (3.21+: REST API 2022-11-28 and 2026-03-10) serves them all, chosen per request by
   * `X-GitHub-Api-Version` (absent: the oldest). Default: the newest version of `era` before any removal
   * if it has every operation, else the first with every addition.
   */
  ghesVersion?: string;
  /**
   * Serve every operation of the era's spec whatever its since/until — no real GHES does, but a test that
   * needs an era's whole surface from one server can. `ghesVersion` is then only what the headers say.
   */
  allVersions?: boolean;
  /** Default 0: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Faults to inject from the first request on (more with `emulator.faults.add`). */
  faults?: Fault[];
  /** Start from this state instead of an empty one. */
  state?: EmulatorState;
  /**
   * Send every App's webhook deliveries here (signed with `secret` as the era signs) until
   * `PATCH /app/hook/config` gives an App its own URL. Only loopback URLs are accepted.
   */
  webhook?: WebhookTarget;
}

/** A response that does not match the spec: recorded, never thrown, so the client still sees it. */
export interface Violation {
  operationId: string;
  status: number;
  problem: string;
}

export interface Served {
  method: string;
  /** Path and query string as received. */
  path: string;
  /** The Accept header the client sent (what era defaults and previews are about). */
  accept: string | undefined;
  operationId: string | undefined;
  /** The era that answered (from GHES 3.21 on, the one the request's `X-GitHub-Api-Version` chose). */
  era: EraName;
  status: number;
}

export interface Emulator {
  /** e.g. http://127.0.0.1:41234/api/v3 — what `createClient({ baseUrl })` takes. */
  baseUrl: string;
  /** The era asked for, or (given only a `ghesVersion`) the one a request without `X-GitHub-Api-Version` gets. */
  era: EraName;
  /** Every era this server serves (several from GHES 3.21 on), the one without `X-GitHub-Api-Version` first. */
  eras: EraName[];
  ghesVersion: string;
  state: EmulatorState;
  faults: FaultPlan;
  /** Responses that did not validate against the era's spec (empty when all is well). */
  violations: Violation[];
  /** Every request answered, in order. */
  served: Served[];
  /** Resolves once every webhook delivery sent so far has been answered by its receiver (or failed). */
  deliveriesSettled(): Promise<void>;
  close(): Promise<void>;
}

const TWINNED = new Set(["installation.created", "installation.deleted", "installation_repositories.added", "installation_repositories.removed"]);
const METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE"]);
const RATE_LIMIT = 5000;
const MAX_BODY = 1024 * 1024;

export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  if (typeof options !== "object" || options === null) throw new Error("@ghes-sdk/emulator: startEmulator needs an options object with an era or a ghesVersion");
  if (options.era === undefined && options.ghesVersion === undefined) {
    throw new Error(`@ghes-sdk/emulator: startEmulator needs an era (${ERAS.join(", ")}) or a ghesVersion such as "3.22"`);
  }
  if (options.era !== undefined && !isEra(options.era)) throw new Error(`@ghes-sdk/emulator: options.era must be one of ${ERAS.map((e) => JSON.stringify(e)).join(", ")}`);
  const asked = options.era === undefined ? undefined : await loadEra(options.era);
  const ghesVersion = options.ghesVersion ?? asked!.coveringVersion;
  if (typeof ghesVersion !== "string" || !/^\d+\.\d+(\.\d+)?$/.test(ghesVersion)) {
    throw new Error('@ghes-sdk/emulator: options.ghesVersion must be a GHES version such as "3.4"');
  }
  if (asked && (compareVersions(ghesVersion, asked.first) < 0 || (asked.last && compareVersions(ghesVersion, asked.last) > 0))) {
    throw new Error(`@ghes-sdk/emulator: options.ghesVersion ${ghesVersion} is not in era ${asked.era} (${asked.first}–${asked.last ?? "current"})`);
  }
  const names = erasServing(ghesVersion);
  if (names.length === 0) throw new Error(`@ghes-sdk/emulator: options.ghesVersion ${ghesVersion} is older than every era (${ERAS.join(", ")})`);
  // Each era as this version serves it (allVersions: the whole spec); the first answers requests without X-GitHub-Api-Version.
  const served = await Promise.all(names.map((name) => loadEra(name, options.allVersions ? undefined : ghesVersion)));
  const era = served.find((e) => e.era === options.era) ?? served[0]!;
  const fallback = served[0]!;
  const supportedApiVersions = served.flatMap((e) => e.apiVersions ?? []).sort().reverse();
  const host = options.host ?? "127.0.0.1";
  const state = options.state ?? new EmulatorState();
  const faults = new FaultPlan();
  for (const fault of options.faults ?? []) faults.add(fault);
  if (options.webhook !== undefined) {
    loopbackUrl("options.webhook.url", options.webhook?.url);
    if (options.webhook.secret !== undefined && (typeof options.webhook.secret !== "string" || options.webhook.secret === "")) {
      throw new Error("@ghes-sdk/emulator: options.webhook.secret must be a non-empty string (or left out for unsigned deliveries)");
    }
  }
  const violations: Violation[] = [];
  const answered: Served[] = [];
  let used = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on("end", () => {
      handle(req, Buffer.concat(chunks).toString("utf8"), res).catch((error: unknown) => {
        // A bug of ours: still a GHES-shaped answer, and the test that hit it sees the reason.
        if (!res.headersSent) send(res, { status: 500, body: { message: `emulator error: ${(error as Error).message}` } }, undefined);
      });
    });
  });

  let renderer = new Renderer(state, "");
  const send = (res: ServerResponse, reply: Reply, operationId: string | undefined, method = "", path = "", accept?: string, by = era) => {
    used++;
    const now = state.now();
    const headers: Record<string, string> = {
      Date: new Date(now).toUTCString(),
      "X-GitHub-Enterprise-Version": ghesVersion,
      "X-GitHub-Request-Id": randomBytes(8).toString("hex").toUpperCase().replace(/(.{4})(.{4})(.{4})(.{4})/, "$1:$2:$3:$4"),
      "X-RateLimit-Limit": String(RATE_LIMIT),
      "X-RateLimit-Remaining": String(Math.max(0, RATE_LIMIT - used)),
      "X-RateLimit-Reset": String(Math.floor(now / 1000) + 3600),
      "X-RateLimit-Used": String(used),
      "X-RateLimit-Resource": "core",
      ...(reply.body === undefined ? {} : { "Content-Type": "application/json; charset=utf-8" }),
      ...reply.headers,
    };
    answered.push({ method, path, accept, operationId, era: by.era, status: reply.status });
    res.writeHead(reply.status, headers);
    res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
  };

  async function handle(req: IncomingMessage, text: string, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = (req.method ?? "GET").toUpperCase();
    const docs = `https://docs.github.com/enterprise-server@${ghesVersion}/rest`;
    const accept = req.headers.accept;
    const where = `${url.pathname}${url.search}`;
    const errorReply = (e: HttpError): Reply => ({ status: e.status, body: { message: e.message, documentation_url: docs, ...e.extra }, headers: e.headers });

    if (isManifestPage(url.pathname)) {
      const web = manifestPage(state, method, url, text, req.headers["content-type"]);
      answered.push({ method, path: where, accept, operationId: undefined, era: fallback.era, status: web.status });
      res.writeHead(web.status, { "X-GitHub-Enterprise-Version": ghesVersion, ...web.headers });
      res.end(web.body);
      return;
    }
    // GHES 3.21+ serves two REST API versions: the header picks the era (absent or unknown: the oldest,
    // which answers an unknown value 400 below).
    const requested = req.headers["x-github-api-version"];
    const era = (typeof requested === "string" && served.find((e) => e.apiVersions?.includes(requested))) || fallback;
    const operation = METHODS.has(method)
      ? era.backend.router.matchOperation({ method, path: url.pathname, headers: {}, query: {} } as any)
      : undefined;
    const op = operation ? era.operations[operation.operationId!] : undefined;
    if (!operation || !op) return send(res, errorReply(new HttpError(404, "Not Found")), undefined, method, where, accept, era);

    const { latencyMs, action } = faults.take(op.operationId, state.now());
    if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
    if (action?.kind === "drop") {
      answered.push({ method, path: where, accept, operationId: op.operationId, era: era.era, status: 0 });
      req.socket.destroy();
      return;
    }
    if (action?.kind === "malformed" || action?.kind === "truncated") {
      answered.push({ method, path: where, accept, operationId: op.operationId, era: era.era, status: 200 });
      const body = action.kind === "malformed" ? '{"message": "this is not JSON' : '{"id": 1, "name": "truncat';
      res.writeHead(200, { "Content-Type": "application/json; charset=utf-8", "Content-Length": String(body.length * (action.kind === "truncated" ? 2 : 1)) });
      if (action.kind === "truncated") {
        res.write(body);
        res.socket?.destroy();
      } else res.end(body);
      return;
    }
    if (action?.kind === "reply") return send(res, { ...action.reply, body: { ...(action.reply.body as object), documentation_url: docs } }, op.operationId, method, where, accept, era);

    let reply: Reply;
    try {
      reply = await answer(era, req, url, method, text, operation, op.operationId);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      reply = errorReply(error);
    }
    check(era, operation, op.operationId, reply);
    send(res, reply, op.operationId, method, where, accept, era);
  }

  async function answer(era: EraSpec, req: IncomingMessage, url: URL, method: string, text: string, operation: Operation, operationId: string): Promise<Reply> {
    const op = era.operations[operationId]!;
    if (!options.allVersions && !servedIn(op, ghesVersion)) throw new HttpError(404, "Not Found");
    const apiVersion = req.headers["x-github-api-version"];
    if (era.apiVersions && typeof apiVersion === "string" && !era.apiVersions.includes(apiVersion)) {
      // GitHub's wording; the versions this server serves, newest first.
      const supported = supportedApiVersions.map((v, i) => `"${v}"${i === 0 ? " (most recent)" : ""}`).join(", ");
      throw new HttpError(400, `The version you specified in the "X-GitHub-Api-Version" request header, "${apiVersion.slice(0, 40)}", is not a supported version. The following versions are currently supported: ${supported}.`);
    }
    const accept = String(req.headers.accept ?? "");
    const missing = op.previews.filter((p) => p.required && !accept.includes(`application/vnd.github.${p.name}-preview`));
    if (missing.length > 0) {
      const names = missing.map((p) => `application/vnd.github.${p.name}-preview+json`).join(", ");
      throw new HttpError(415, `If you would like to help us test this API during its preview period, you must specify a custom media type in the 'Accept' header (${names}). Please see the docs for full details.`);
    }
    const principal: Principal = authenticate(state, op.security, req.headers, compareVersions(ghesVersion, CLIENT_ID_ISSUER_SINCE) >= 0);

    let body: unknown;
    if (text.trim() !== "") {
      try {
        body = JSON.parse(text);
      } catch {
        throw new HttpError(400, "Problems parsing JSON");
      }
    }
    const query = Object.fromEntries(url.searchParams);
    const request = { method, path: url.pathname, headers: req.headers as Record<string, string>, query: { ...query }, body };
    const validation = era.backend.validator.validateRequest(request as any, operation);
    if (!validation.valid) {
      const errors = validation.errors ?? [];
      const inBody = errors.some((e) => e.instancePath.startsWith("/requestBody"));
      const detail = errors.map((e) => `${e.instancePath.replace(/^\/requestBody\/?/, "") || "body"} ${e.message}`).join("; ");
      throw new HttpError(inBody ? 422 : 400, inBody ? `Invalid request.\n\n${detail}` : `Problems parsing the request: ${detail}`);
    }
    const parsed = era.backend.router.parseRequest(request as any, operation);

    const handler = handlers[operationId];
    if (!handler) throw new HttpError(501, `@ghes-sdk/emulator has no handler for ${operationId}`);
    const ctx: Context = {
      state,
      render: renderer,
      era,
      op,
      ghesVersion,
      success: Number(Object.keys(operation.responses ?? {}).filter((s) => /^2\d\d$/.test(s)).sort()[0] ?? 200),
      params: Object.fromEntries(Object.entries(parsed.params ?? {}).map(([k, v]) => [k, String(v)])),
      query,
      body,
      headers: req.headers,
      principal,
      reply: (status, value, headers) => ({
        status,
        ...(value === undefined ? {} : { body: servedBody(era, operation, status, fillFrom(value, responseExample(era.spec, operation, status))) }),
        ...(headers ? { headers } : {}),
      }),
      page: (items, wrap) => paginate(renderer.origin, url, items, wrap, (value, headers) => ctx.reply(200, value, headers)),
    };
    return handler(ctx);
  }

  /** The body without the properties this version does not send (x-ghes-since/x-ghes-until, read from the whole spec). */
  function servedBody(era: EraSpec, operation: Operation, status: number, body: unknown): unknown {
    if (options.allVersions || era.full === era.spec) return body;
    const fullOperation = era.full.paths?.[operation.path]?.[operation.method];
    const schema = fullOperation && deref(era.full, documentedResponse(era.full, fullOperation, status))?.content?.["application/json"]?.schema;
    if (schema) dropUnserved(era.full, schema, body, ghesVersion);
    return body;
  }

  function check(era: EraSpec, operation: Operation, operationId: string, reply: Reply): void {
    const documented = documentedResponse(era.spec, operation, reply.status);
    if (!documented) {
      if (reply.status < 400) violations.push({ operationId, status: reply.status, problem: "status is not documented" });
      return;
    }
    const hasJson = Boolean(documented.content?.["application/json"]);
    if (reply.body === undefined) {
      if (hasJson && reply.status !== 304) violations.push({ operationId, status: reply.status, problem: "documented body is missing" });
      return;
    }
    if (!hasJson) {
      violations.push({ operationId, status: reply.status, problem: "a body where the spec documents none" });
      return;
    }
    const result = era.backend.validator.validateResponse(reply.body, operation, reply.status);
    if (!result.valid) {
      const problem = (result.errors ?? []).map((e) => `${e.instancePath || "body"} ${e.message}`).join("; ");
      violations.push({ operationId, status: reply.status, problem });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://${host.includes(":") ? `[${host}]` : host}:${port}/api/v3`;
  renderer = new Renderer(state, baseUrl);
  const deliverer = new Deliverer(era.era, ghesVersion, state, () => renderer, options.webhook);
  // The eras whose spec has the twins' webhooks (2.2x, 3.x) send them.
  const twins = era.spec.webhooks?.["integration_installation.created"] !== undefined;
  state.onDelivery = (app, delivery) => {
    deliverer.deliver(app, delivery);
    // GHES 2.2x and 3.x follow each installation event with its legacy twin (own GUID, same payload shape):
    // integration_installation.created/deleted, integration_installation_repositories.added/removed.
    if (twins && !delivery.redelivery && TWINNED.has(`${delivery.event}.${delivery.action}`)) {
      state.recordDelivery(app, `integration_${delivery.event}`, delivery.action, delivery.installationId, delivery.repositoryId, false, delivery.sender);
    }
  };

  return {
    baseUrl,
    era: era.era,
    eras: served.map((e) => e.era),
    ghesVersion,
    state,
    faults,
    violations,
    served: answered,
    deliveriesSettled: () => deliverer.settled(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** GitHub's pagination: `per_page` (default 30, at most 100), `page` (from 1), and a `Link` header. */
function paginate<T>(origin: string, url: URL, items: T[], wrap: (page: T[]) => unknown, reply: (value: unknown, headers: Record<string, string>) => Reply): Reply {
  const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get("per_page")) || 30));
  const page = Math.max(1, Math.floor(Number(url.searchParams.get("page")) || 1));
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const link = (n: number, rel: string) => {
    const u = new URL(url.href);
    u.searchParams.set("per_page", String(perPage));
    u.searchParams.set("page", String(n));
    return `<${origin}${u.pathname}${u.search}>; rel="${rel}"`;
  };
  const links = [
    ...(page < last ? [link(page + 1, "next"), link(last, "last")] : []),
    ...(page > 1 ? [link(1, "first"), link(Math.min(page - 1, last), "prev")] : []),
  ];
  return reply(wrap(slice), links.length > 0 ? { Link: links.join(", ") } : {});
}
