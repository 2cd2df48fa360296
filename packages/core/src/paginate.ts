import type { FetchResponse, MaybeOptionalInit, Middleware } from "openapi-fetch";
import { GhesRequestError, GhesSdkError, redactUrl } from "./errors.js";
import { unwrap } from "./request.js";
import type { GhesClient, RequestOverrides } from "./types.js";

/**
 * An era's list operations: path → the property of the 200 body that holds the items, or `null` when the
 * body is the array itself. Generated from each spec (`src/generated/lists.ts`), never written by hand.
 */
export type ListMap = Readonly<Record<string, string | null>>;

export type GetOf<Paths, P> = P extends keyof Paths ? (Paths[P] extends { get: infer Op } ? Op : never) : never;

/** The paths of `Paths` that have a GET and are list operations of the era. */
export type ListPath<Paths, Lists extends ListMap> = {
  [P in keyof Paths]: P extends keyof Lists ? (Paths[P] extends { get: Record<string, unknown> } ? P : never) : never;
}[keyof Paths];

/** The JSON body of a list operation's success response. */
export type ListData<Paths, P> = Exclude<FetchResponse<GetOf<Paths, P> & Record<string | number, any>, {}, "application/json">["data"], undefined>;

/** One item of a list operation: an element of the body, or of its envelope's array property. */
export type ListItem<Paths, Lists extends ListMap, P> = P extends keyof Lists
  ? Lists[P] extends string
    ? ListData<Paths, P> extends { [K in Lists[P]]: readonly (infer I)[] } ? I : never
    : ListData<Paths, P> extends readonly (infer I)[] ? I : never
  : never;

/** One page: the body as the server sent it, its items, and the response (headers, status). */
export interface Page<Data, Item> {
  readonly data: Data;
  readonly items: Item[];
  readonly response: Response;
}

export type InitOf<Paths, P> = MaybeOptionalInit<Paths[P & keyof Paths] & Record<string, any>, "get"> &
  RequestOverrides & {
    /** Most pages read before paginate stops with an error (default DEFAULT_MAX_PAGES). */
    maxPages?: number;
  };
/** `init` is optional exactly when the operation has no required parameter (as in openapi-fetch). */
export type PaginateInit<Paths, P> = {} extends InitOf<Paths, P> ? [init?: InitOf<Paths, P>] : [init: InitOf<Paths, P>];

export interface Paginate<Lists extends ListMap> {
  /**
   * Every item of a list operation, page after page: follows the `Link: rel="next"` header until the last
   * page, asking for 100 items a page unless `params.query.per_page` says otherwise. Envelope responses
   * (`{ total_count, installations }`, `{ total_count, repositories }`) yield the items of their array.
   * A failed page or an abort throws a GhesRequestError.
   */
  <Paths extends {}, P extends ListPath<Paths, Lists>>(
    client: GhesClient<Paths>,
    path: P,
    ...init: PaginateInit<Paths, P>
  ): AsyncGenerator<ListItem<Paths, Lists, P>, void, undefined>;
  /** The same pages whole: each with its body, its items and its response. */
  pages<Paths extends {}, P extends ListPath<Paths, Lists>>(
    client: GhesClient<Paths>,
    path: P,
    ...init: PaginateInit<Paths, P>
  ): AsyncGenerator<Page<ListData<Paths, P>, ListItem<Paths, Lists, P>>, void, undefined>;
}

export const DEFAULT_PER_PAGE = 100;
/** 1,000 pages of 100: more installations or repositories than any App has; a server linking on past it is looping. */
export const DEFAULT_MAX_PAGES = 1_000;

/** Builds an era's `paginate` from its generated list map. */
export function createPaginate<Lists extends ListMap>(packageName: string, lists: Lists): Paginate<Lists> {
  async function* pages(client: GhesClient<any>, path: string, { maxPages = DEFAULT_MAX_PAGES, ...init }: Record<string, any> = {}) {
    if (!Object.hasOwn(lists, path)) {
      throw new GhesSdkError(packageName, `paginate: ${String(path)} is not a list operation of this package`);
    }
    if (!Number.isInteger(maxPages) || maxPages < 1) throw new GhesSdkError(packageName, "paginate: maxPages must be a whole number of pages, 1 or more");
    const read = new Set<string>();
    const key = lists[path] as string | null;
    const signal: AbortSignal | undefined = init.signal ?? undefined;
    const params = init.params ?? {};
    let query: Record<string, unknown> = { per_page: DEFAULT_PER_PAGE, ...params.query };
    for (;;) {
      let url = "";
      const capture = {
        onRequest({ request }: { request: { url: string } }) {
          url = request.url;
          return undefined;
        },
      } as Middleware;
      if (signal?.aborted) throw aborted(packageName, url || path, signal.reason);
      let result: { data?: unknown; error?: unknown; response: Response };
      try {
        result = await client.GET(path, { ...init, params: { ...params, query }, middleware: [...(init.middleware ?? []), capture] });
      } catch (cause) {
        if (cause instanceof GhesRequestError || cause instanceof GhesSdkError) throw cause;
        if (signal?.aborted) throw aborted(packageName, url || path, cause);
        throw new GhesRequestError({ code: "NETWORK", method: "GET", url: url || path, packageName, cause });
      }
      const { data, error, response } = result;
      url ||= response.url;
      if (error !== undefined || !response.ok) {
        // The runtime's own GhesRequestError for this response (operationId, request id, redacted URL).
        await unwrap(Promise.resolve(result));
        throw new GhesRequestError({ code: "HTTP_ERROR", method: "GET", url, packageName, response, body: error });
      }
      const items = key === null ? data : (data as Record<string, unknown> | undefined)?.[key];
      if (!Array.isArray(items)) {
        throw new GhesRequestError({
          code: "INVALID_BODY",
          method: "GET",
          url,
          packageName,
          response,
          detail: `answered ${response.status} without the ${key === null ? "array" : `"${key}" array`} a list operation returns`,
        });
      }
      yield { data, items, response };
      read.add(url);
      const next = nextLink(response.headers.get("link"));
      if (next === undefined || items.length === 0) return;
      query = nextQuery(packageName, url, next);
      const nextUrl = new URL(next, url).href;
      if (read.has(nextUrl)) {
        throw new GhesSdkError(packageName, `paginate: the Link header's next page is one already read (${redactUrl(nextUrl)}); stopping instead of looping`);
      }
      if (read.size >= maxPages) {
        throw new GhesSdkError(packageName, `paginate: stopped after ${maxPages} pages of ${path}; pass { maxPages } to read more`);
      }
    }
  }
  async function* items(client: GhesClient<any>, path: string, init?: Record<string, any>) {
    for await (const page of pages(client, path, init)) yield* page.items;
  }
  return Object.assign(items, { pages }) as unknown as Paginate<Lists>;
}

function aborted(packageName: string, url: string, cause: unknown): GhesRequestError {
  return new GhesRequestError({ code: "ABORTED", method: "GET", url, packageName, cause });
}

/** The `rel="next"` target of an RFC 8288 `Link` header. */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (m && /;\s*rel\s*=\s*"?(?:[^";]*\s)?next(?:\s[^";]*)?"?\s*(?:;|$)/i.test(m[2]!)) return m[1];
  }
  return undefined;
}

/**
 * The query of the next page. The next link must stay on the page's origin and path: its query is then
 * sent through the same client (same auth, headers, middleware). A link elsewhere is refused rather than
 * followed with the client's credentials.
 */
function nextQuery(packageName: string, current: string, next: string): Record<string, string> {
  let target: URL;
  try {
    target = new URL(next, current);
  } catch {
    throw new GhesSdkError(packageName, "paginate: the Link header's next URL is not a URL");
  }
  const here = new URL(current);
  if (target.origin !== here.origin || target.pathname !== here.pathname) {
    throw new GhesSdkError(packageName, `paginate: the Link header's next URL leaves ${here.origin}${here.pathname}; refusing to follow it`);
  }
  return Object.fromEntries(target.searchParams);
}
