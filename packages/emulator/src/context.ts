import type { IncomingHttpHeaders } from "node:http";
import type { Renderer } from "./render.js";
import type { EmulatedOperation, EraSpec } from "./spec.js";
import type { EmulatorState, GitHubApp, Installation, OAuthClient, Token, User } from "./state.js";

/** Who a request authenticated as. */
export type Principal =
  | { kind: "anonymous" }
  | { kind: "app"; app: GitHubApp }
  | { kind: "installation"; token: Token; installation: Installation }
  | { kind: "user-token"; token: Token; user: User }
  | { kind: "user-basic"; user: User }
  | { kind: "client"; client: OAuthClient };

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** An answer that ends the request early: GHES's error body `{ message, documentation_url }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface Context {
  state: EmulatorState;
  render: Renderer;
  era: EraSpec;
  op: EmulatedOperation;
  ghesVersion: string;
  /** Whether new installation tokens are stateless (`ghs_<APPID>_<JWT>`) unless the mint request asks otherwise. */
  statelessTokens: boolean;
  /** The lowest 2xx status the operation documents. */
  success: number;
  params: Record<string, string>;
  query: Record<string, string>;
  body: any;
  headers: IncomingHttpHeaders;
  principal: Principal;
  /** A reply whose JSON body has the fields the documented example has and `body` lacks. */
  reply(status: number, body?: unknown, headers?: Record<string, string>): Reply;
  /** One page of a list (`per_page`, `page`) with GitHub's `Link` header; `wrap` builds the body of a page. */
  page<T>(items: T[], wrap: (page: T[]) => unknown): Reply;
}

export type Handler = (ctx: Context) => Reply | Promise<Reply>;

export const notFound = (): HttpError => new HttpError(404, "Not Found");

/** The principal, when it is of one of the kinds an operation's handler works with. */
export function need<K extends Principal["kind"]>(ctx: Context, ...kinds: K[]): Extract<Principal, { kind: K }> {
  if ((kinds as string[]).includes(ctx.principal.kind)) return ctx.principal as Extract<Principal, { kind: K }>;
  throw new HttpError(403, "Resource not accessible by this kind of credential");
}

/** An integer path parameter; a value that is not one is a route GHES does not have (404). */
export function intParam(ctx: Context, name: string): number {
  const value = Number(ctx.params[name]);
  if (!Number.isSafeInteger(value)) throw notFound();
  return value;
}

/** The user a user credential acts for. */
export function actingUser(ctx: Context): User {
  const p = need(ctx, "user-token", "user-basic");
  return p.user;
}
