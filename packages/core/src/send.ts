import type { Middleware, MiddlewareCallbackParams } from "openapi-fetch";
import { GhesSdkError } from "./errors.js";
import type { Queued, Slots } from "./concurrency.js";
import type { Notes } from "./runtime.js";
import type { CallEnd } from "./timeout.js";

/**
 * Marks a middleware whose hooks accept a {@link LightRequest} as `request` (and may return it from
 * `onRequest`). The client hands such middleware its light request and builds a real `Request` only for
 * middleware without the mark, or for a custom `fetch` (which by contract receives a `Request`). Every
 * strategy of `@ghes-sdk/auth` carries it. `Symbol.for`, so two copies of core agree.
 */
export const LIGHT_REQUEST: unique symbol = Symbol.for("@ghes-sdk/light-request") as never;

/**
 * An optional hook of the client's first middleware (its auth), called with the light request before
 * any `onRequest`: it may answer with a promise for something the request will need, such as an
 * installation token still being minted, and the call waits for it first. A call queued behind a mint
 * then holds its request and one callback, not a middleware chain suspended halfway. Advisory only:
 * whatever it answers or throws, the middleware's hooks then run as usual and report any failure
 * themselves. Only a middleware with the LIGHT_REQUEST mark is asked. What it answers is waited for by
 * calling its `then(onReady, onReady)` once, so it may be any thenable, not only a promise. `Symbol.for`,
 * as LIGHT_REQUEST.
 */
export const PREPARE: unique symbol = Symbol.for("@ghes-sdk/prepare") as never;

/** The PREPARE hook: `options` are those the middleware's hooks get (`baseUrl`, the client's `fetch`). */
export type PrepareHook = (request: LightRequest, schemaPath: string, options: { baseUrl: string; fetch: (input: Request) => Promise<Response> }) => unknown;

/**
 * What the client builds for a request before (and, on the default path, instead of) a `Request`: the
 * parts a middleware reads or changes. `headers` is a real `Headers`.
 */
export interface LightRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
  /** The serialized body (a string for JSON), or null. */
  body: BodyInit | null;
  readonly signal: AbortSignal;
  /** The call's end, for a wait on its behalf that needs no AbortSignal (reading `signal` makes one). */
  readonly ends: CallEnd;
  redirect: RequestRedirect;
}

type AnyRequest = Request | LightRequest;
type Fetch = (input: Request) => Promise<Response>;
type Params = { path?: Record<string, unknown>; query?: Record<string, unknown>; header?: unknown; cookie?: unknown };
type Serializer = (value: any, headers?: Headers) => unknown;

/** What the client fixes at construction for every request it sends. */
export interface Sender {
  readonly packageName: string;
  readonly baseUrl: string;
  /** The client's own middleware (auth first), then what `use()` added. */
  readonly middleware: Middleware[];
  /** The caller's fetch (receives a Request), or undefined for the global fetch called with (url, init). */
  readonly customFetch: Fetch | undefined;
  /** What middleware is handed as `options.fetch`: the client's fetch taking a Request. */
  readonly fetchRequest: Fetch;
  /** The global fetch (looked up per call), called with (url, init); what it answers is noted in `notes` by the caller. */
  readonly fetchUrl: (url: string, init: RequestInit) => Promise<Response>;
  readonly notes: Notes;
  /** At most this many of the client's requests on the wire at once (undefined: no limit). */
  readonly slots: Slots | undefined;
  readonly pathSerializer: (path: string, params: Record<string, unknown> | undefined) => string;
  readonly querySerializer: ((query: Record<string, unknown>) => string) | undefined;
  readonly bodySerializer: Serializer | undefined;
  /** The client's headers, names in lower case (null/undefined values unset a header). */
  readonly headers: Record<string, unknown> | undefined;
}

// What an init holds for the client itself; anything else goes on to fetch, as openapi-fetch does.
const OWN_KEYS = new Set([
  "baseUrl", "params", "headers", "body", "bodySerializer", "querySerializer", "pathSerializer", "middleware",
  "parseAs", "fetch", "Request", "timeout", "retry", "signal", "method",
]);

/** The call's deadline as a request sees it (see Deadline). */
interface Signals extends CallEnd {
  /** For middleware: fires the moment the call ends (made on first use). */
  readonly ownSignal: AbortSignal;
  /** For fetch. */
  readonly fetchSignal: AbortSignal;
  /** Set once the call has ended (its own timer fired, or the caller aborted). */
  readonly cause: string | undefined;
  holdSlot(slots: Slots): void;
  releaseSlot(): void;
}

/** One request as the runtime asks for it; `eraHeaders` go on where the caller set none. */
export interface Outgoing {
  readonly method: string;
  readonly schemaPath: string;
  readonly init: Record<string, any>;
  /** The request's baseUrl and headers, already checked (undefined: the client's). */
  readonly baseUrl: string | undefined;
  readonly headers: unknown;
  readonly parseAs: string;
  readonly deadline: Signals;
  readonly eraHeaders: ReadonlyArray<readonly [string, string]>;
}

// Header names in lower case, for the names code writes (literals): the record's keys are then the
// same strings every call, which a plain object stores fastest. Bounded: names a caller makes up are
// lower-cased each time once it is full.
const lowerNames = new Map<string, string>();
const lower = (name: string): string => {
  let key = lowerNames.get(name);
  if (key === undefined) {
    key = name.toLowerCase();
    if (lowerNames.size < 256) lowerNames.set(name, key);
  }
  return key;
};

/**
 * Request headers as a plain record with lower-case names, behind the `Headers` API middleware use: fetch
 * takes the record as it takes a hand-written object, where a `Headers` would be built, then iterated
 * in sorted order by undici. Values are checked by fetch, as those of any init.
 */
class RecordHeaders implements Headers {
  // A plain object (fast to fill); names are read as own properties only, and "__proto__" is defined, not assigned.
  readonly record: Record<string, string> = {};
  append(name: string, value: string): void {
    const previous = this.get(name);
    this.set(name, previous === null ? value : `${previous}, ${value}`);
  }
  delete(name: string): void {
    delete this.record[lower(name)];
  }
  get(name: string): string | null {
    const key = lower(name);
    return Object.hasOwn(this.record, key) ? this.record[key]! : null;
  }
  getSetCookie(): string[] {
    return [];
  }
  has(name: string): boolean {
    return Object.hasOwn(this.record, lower(name));
  }
  set(name: string, value: string): void {
    const key = lower(name);
    if (key === "__proto__") Object.defineProperty(this.record, key, { value: String(value), enumerable: true, writable: true, configurable: true });
    else this.record[key] = String(value);
  }
  forEach(callback: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void {
    for (const [key, value] of this) callback.call(thisArg, value, key, this);
  }
  *entries(): HeadersIterator<[string, string]> {
    for (const key of Object.keys(this.record).sort()) yield [key, this.record[key]!];
  }
  *keys(): HeadersIterator<string> {
    for (const [key] of this) yield key;
  }
  *values(): HeadersIterator<string> {
    for (const [, value] of this) yield value;
  }
  [Symbol.iterator](): HeadersIterator<[string, string]> {
    return this.entries();
  }
}

/** The light request: `signal` is the call's own, made only if a middleware reads it. */
class Light implements LightRequest {
  redirect: RequestRedirect = "follow";
  constructor(
    readonly method: string,
    readonly url: string,
    readonly headers: RecordHeaders,
    public body: BodyInit | null,
    readonly deadline: Signals,
    /** Init keys openapi-fetch passes on to the Request (cache, credentials, keepalive, …), if any. */
    readonly rest: Record<string, unknown> | undefined,
    /** The base URL it was built on (middleware's options.baseUrl). */
    readonly base: string,
  ) {}
  get signal(): AbortSignal {
    return this.deadline.ownSignal;
  }
  get ends(): CallEnd {
    return this.deadline;
  }
}

/**
 * A real Request for whatever needs one (a middleware without the mark, a custom fetch), built once from
 * the light request; extra init keys are passed through as openapi-fetch does.
 */
function real(request: AnyRequest): Request {
  if (request instanceof Request) return request;
  const r = request as Light;
  const rest = r.rest;
  const built = new Request(r.url, { ...rest, method: r.method, headers: r.headers.record, body: r.body, signal: r.signal, redirect: r.redirect });
  for (const key in rest) if (!(key in built)) (built as unknown as Record<string, unknown>)[key] = rest[key];
  return built;
}

/** The request as it finally went out (for errors and redaction) and the response after middleware. */
export interface Sent {
  readonly request: AnyRequest;
  readonly response: Response;
  readonly params: Params;
}

let ids = 0;

const isLight = (m: Middleware): boolean => (m as { [LIGHT_REQUEST]?: unknown })[LIGHT_REQUEST] === true;

/**
 * Sends one request the way openapi-fetch does — same URL, headers, body and middleware contract
 * (`onRequest` in order, `onError`/`onResponse` in reverse, a Request or Response returned replaces) —
 * but without building a `Request` unless something needs one: on the default path the global fetch is
 * called with the URL and an init, as a hand-written fetch call would be. What was sent, and the response
 * after the middleware, go to `done`; anything that went wrong to `failed` — one of them, once. Neither
 * may throw: they run where nothing would catch it.
 */
export function send(s: Sender, out: Outgoing, done: (sent: Sent) => void, failed: (error: unknown) => void): void {
  let request: Light;
  try {
    request = build(s, out);
  } catch (error) {
    return failed(error);
  }
  const first = s.middleware[0] as (Middleware & { [PREPARE]?: unknown }) | undefined;
  const prepare = first?.[PREPARE];
  if (typeof prepare === "function" && isLight(first!)) {
    let ready: unknown;
    try {
      ready = (prepare as PrepareHook).call(first, request, out.schemaPath, { baseUrl: request.base, fetch: s.fetchRequest });
    } catch {
      ready = undefined;
    }
    if (isThenable(ready)) {
      // A call that ended while it waited sends nothing, and runs no middleware. Its `then` is called
      // directly, so a waiter that is not a promise (auth's share of a mint) costs no promise either;
      // `went` keeps a thenable that calls back twice from sending twice.
      let went = false;
      const go = (): void => {
        if (went) return;
        went = true;
        if (out.deadline.cause) failed(notSent(out.deadline.cause));
        else transmit(s, out, request, done, failed);
      };
      try {
        ready.then(go, go);
      } catch {
        go();
      }
      return;
    }
  }
  transmit(s, out, request, done, failed);
}

/** send() as a promise (a retry's attempt). */
export const sending = (s: Sender, out: Outgoing): Promise<Sent> => new Promise((resolve, reject) => send(s, out, resolve, reject));

/** The light request of a call: URL, headers, serialized body. */
function build(s: Sender, out: Outgoing): Light {
  const { method, schemaPath, init, deadline } = out;
  const params: Params = init.params ?? {};
  const { body, bodySerializer, querySerializer } = init;
  const callHeaders = out.headers;
  const baseUrl = out.baseUrl;
  // Keys openapi-fetch passes on to the Request (cache, credentials, keepalive, …): rare, so only
  // collected when present.
  let rest: Record<string, unknown> | undefined;
  for (const key in init) {
    if (!OWN_KEYS.has(key)) (rest ??= {})[key] = init[key];
  }
  const base: string = baseUrl === undefined ? s.baseUrl : baseUrl;
  let url = base + s.pathSerializer(schemaPath, params.path);
  if (params.query) {
    const search = querySerializer ? serializeWith(s, querySerializer, params.query) : (s.querySerializer ?? serializeQuery)(params.query);
    if (search) url += `?${search.startsWith("?") ? search.slice(1) : search}`;
  }

  const headers = new RecordHeaders();
  let payload: BodyInit | null = null;
  if (body !== undefined) {
    const serializer = bodySerializer ?? s.bodySerializer;
    if (serializer) {
      // A caller's serializer sees the merged headers, as openapi-fetch gives them.
      payload = serializer(body, merge(merge(merge(new Headers(), s.headers), callHeaders), params.header) as Headers) as BodyInit;
    } else {
      // The default one reads only the content type: merged into a record, without building a Headers.
      payload = serializeBody(body, merge(merge(merge(new RecordHeaders(), s.headers), callHeaders), params.header).get("content-type")) as BodyInit;
    }
    if (!(payload instanceof FormData)) headers.set("content-type", "application/json");
  }
  merge(headers, s.headers);
  merge(headers, callHeaders);
  merge(headers, params.header);
  for (const [name, value] of out.eraHeaders) if (!headers.has(name)) headers.set(name, value);

  return new Light(method, url, headers, payload, deadline, rest, base);
}

/** What a middleware hook is given besides the request (and the response or error). */
type HookOptions = MiddlewareCallbackParams["options"];

/** onError answered with a Response: the failure is recovered. */
const RECOVERED: unique symbol = Symbol("recovered");

/**
 * The request through the middleware and fetch, openapi-fetch's contract: `onRequest` in order (a
 * `Request` answered replaces the request, a `Response` ends the chain and nothing is sent), then fetch,
 * then `onError` (on a fetch that threw) and `onResponse` in reverse order. A hook's answer is waited for
 * only when it is a promise. Written as steps chained with `then`, not as an async function: while the
 * call waits on the server it keeps this object and one continuation, not a suspended frame. The steps
 * are functions of the transmission (their names shrink when bundled; a method's would not).
 */
class Transmission implements Queued {
  request: AnyRequest;
  response: Response | undefined = undefined;
  /** Where the outcome goes (set by sendOn; kept here, not in a closure, while the request waits for a slot). */
  done: (sent: Sent) => void = ignore;
  failed: (error: unknown) => void = ignore;
  readonly middleware: Middleware[];
  readonly params: Params;
  readonly options: HookOptions | undefined;
  readonly id: string;

  constructor(
    readonly s: Sender,
    readonly out: Outgoing,
    light: Light,
  ) {
    const { init } = out;
    const perCall: Middleware[] | undefined = init.middleware;
    this.request = light;
    this.params = init.params ?? {};
    this.middleware = perCall?.length ? [...s.middleware, ...perCall] : s.middleware;
    if (this.middleware.length) {
      this.id = String(++ids);
      this.options = {
        baseUrl: light.base,
        fetch: s.fetchRequest as never,
        parseAs: out.parseAs as never,
        querySerializer: (init.querySerializer ?? s.querySerializer ?? serializeQuery) as never,
        bodySerializer: (init.bodySerializer ?? s.bodySerializer ?? serializeBody) as never,
        pathSerializer: s.pathSerializer as never,
      };
    } else {
      this.id = "";
      this.options = undefined;
    }
  }

  /** A call that ended while it waited for a slot is skipped (its race has settled). */
  get ended(): boolean {
    return this.out.deadline.cause !== undefined;
  }

  /** Sends the request, holding a slot of the client's (if it limits them) until the fetch settles. */
  go(): void {
    fetchOn(this);
  }
}

/** The request hook `m` is given: a middleware without the LIGHT_REQUEST mark gets (and from then on, all get) a real Request. */
function requestFor(t: Transmission, m: Middleware): AnyRequest {
  return isLight(m) ? t.request : (t.request = real(t.request));
}

/** Runs every onRequest hook from index `from`; a promise only if one answered with a promise. */
function requests(t: Transmission, from: number): void | Promise<void> {
  const { middleware } = t;
  for (let i = from; i < middleware.length; i++) {
    const m = middleware[i]!;
    if (typeof m.onRequest !== "function") continue;
    const result: unknown = m.onRequest({ request: requestFor(t, m), schemaPath: t.out.schemaPath, params: t.params, options: t.options!, id: t.id } as never);
    if (isThenable(result)) return Promise.resolve(result).then((r) => (requested(t, r) ? undefined : requests(t, i + 1)));
    if (requested(t, result)) return;
  }
}

/** Takes onRequest's answer; true when it was a Response (the chain ends there). */
function requested(t: Transmission, result: unknown): boolean {
  if (result === undefined || result === t.request) return false;
  if (result instanceof Request) t.request = result;
  else if (result instanceof Response) {
    t.response = result;
    return true;
  } else throw new Error("onRequest: must return new Request() or Response() when modifying the request");
  return false;
}

/**
 * After the onRequest hooks: the response one of them gave, or the request sent and its response through
 * the hooks, handed to `done`; anything thrown on the way goes to `failed` (neither throws).
 */
function sendOn(t: Transmission, done: (sent: Sent) => void, failed: (error: unknown) => void): void {
  if (t.response) return done(outcome(t));
  // The call may have ended while a middleware waited (a mint): its race has settled; send nothing.
  const { deadline } = t.out;
  if (deadline.cause) return failed(notSent(deadline.cause));
  t.done = done;
  t.failed = failed;
  const { slots } = t.s;
  if (slots && !slots.take(t)) return; // go() runs when a slot is handed over
  fetchOn(t);
}

/** The fetch itself, holding a slot of the client's (if it limits them) until it settles. */
function fetchOn(t: Transmission): void {
  const { s, done, failed } = t;
  const { deadline } = t.out;
  if (s.slots) deadline.holdSlot(s.slots);
  const { notes } = s;
  let pending: Promise<Response>;
  // The global fetch, called with (url, init), is noted here rather than through one more `then`.
  let direct = false;
  try {
    const request = t.request;
    if (request instanceof Request || s.customFetch) pending = s.fetchRequest((t.request = real(request)));
    else {
      const r = request as Light;
      const rest = r.rest;
      const init: RequestInit = { method: r.method, headers: r.headers.record, body: r.body, signal: deadline.fetchSignal, redirect: r.redirect };
      direct = true;
      pending = s.fetchUrl(r.url, rest ? { ...rest, ...init } : init);
      if (!(pending instanceof Promise)) pending = Promise.resolve(pending);
    }
  } catch (error) {
    pending = Promise.reject(error);
  }
  pending.then(
    (response) => {
      deadline.releaseSlot();
      let sent: Sent | Promise<Sent>;
      try {
        sent = received(t, direct ? notes.noted(response) : response);
      } catch (error) {
        return failed(error);
      }
      deliver(sent, done, failed);
    },
    (error: unknown) => {
      deadline.releaseSlot();
      if (direct) notes.fetchFailed(error);
      let sent: Sent | Promise<Sent>;
      try {
        const recovered = errors(t, error, t.middleware.length - 1);
        sent = isThenable(recovered) ? recovered.then(() => received(t, t.response!)) : received(t, t.response!);
      } catch (thrown) {
        return failed(thrown);
      }
      deliver(sent, done, failed);
    },
  );
}

/**
 * Runs the onError hooks from index `from` down: resolves once one answered with a Response (now
 * `t.response`); throws the failure (an Error a hook answered replaces it) when none did.
 */
function errors(t: Transmission, failure: unknown, from: number): void | Promise<void> {
  const { middleware } = t;
  for (let i = from; i >= 0; i--) {
    const m = middleware[i]!;
    if (typeof m.onError !== "function") continue;
    const result: unknown = m.onError({ request: requestFor(t, m), schemaPath: t.out.schemaPath, params: t.params, options: t.options!, id: t.id, error: failure } as never);
    if (isThenable(result)) {
      return Promise.resolve(result).then((r) => {
        const next = errored(t, r, failure);
        return next === RECOVERED ? undefined : errors(t, next, i - 1);
      });
    }
    const next = errored(t, result, failure);
    if (next === RECOVERED) return;
    failure = next;
  }
  throw failure;
}

/** Takes onError's answer: RECOVERED (a Response, now t.response), or the failure from here on. */
function errored(t: Transmission, result: unknown, failure: unknown): unknown {
  if (result === undefined) return failure;
  if (result instanceof Response) {
    t.response = result;
    return RECOVERED;
  }
  if (result instanceof Error) return result;
  throw new Error("onError: must return new Response() or instance of Error");
}

/** The response (fetched, or recovered by onError) through the onResponse hooks, last middleware first. */
function received(t: Transmission, response: Response): Sent | Promise<Sent> {
  t.response = response;
  return responses(t, t.middleware.length - 1);
}

function responses(t: Transmission, from: number): Sent | Promise<Sent> {
  const { middleware } = t;
  for (let i = from; i >= 0; i--) {
    const m = middleware[i]!;
    if (typeof m.onResponse !== "function") continue;
    const result: unknown = m.onResponse({ request: requestFor(t, m), schemaPath: t.out.schemaPath, params: t.params, options: t.options!, id: t.id, response: t.response } as never);
    if (isThenable(result)) {
      return Promise.resolve(result).then((r) => {
        responded(t, r);
        return responses(t, i - 1);
      });
    }
    responded(t, result);
  }
  return outcome(t);
}

function responded(t: Transmission, result: unknown): void {
  if (result === undefined) return;
  if (!(result instanceof Response)) throw new Error("onResponse: must return new Response() when modifying the response");
  t.response = result;
}

function outcome(t: Transmission): Sent {
  return { request: t.request, response: t.response!, params: t.params };
}

const ignore = (): void => undefined;

const deliver = (sent: Sent | Promise<Sent>, done: (sent: Sent) => void, failed: (error: unknown) => void): void => {
  if (sent instanceof Promise) sent.then(done, failed);
  else done(sent);
};

/** The request through the middleware and fetch (see Transmission): `done` or `failed` is called once. */
function transmit(s: Sender, out: Outgoing, light: Light, done: (sent: Sent) => void, failed: (error: unknown) => void): void {
  let t: Transmission;
  let hooks: void | Promise<void>;
  try {
    t = new Transmission(s, out, light);
    hooks = requests(t, 0);
  } catch (error) {
    return failed(error);
  }
  if (isThenable(hooks)) hooks.then(() => sendOn(t, done, failed), failed);
  else sendOn(t, done, failed);
}

const notSent = (cause: string) => new DOMException(`the call ended (${cause}) before its request was sent`, "AbortError");

/**
 * Whether a hook answered with a promise: only then is it awaited (a hook with nothing to do answers at
 * once, and awaiting a plain value would still cost a turn of the microtask queue). Shared with auth.
 */
export const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as { then?: unknown }).then === "function";

function serializeWith(s: Sender, serializer: unknown, query: Record<string, unknown>): string {
  if (typeof serializer !== "function") {
    throw new GhesSdkError(s.packageName, "querySerializer must be a function (query) => string; option objects are not supported");
  }
  return serializer(query) as string;
}

/** Sets each header of `from` on `to`; null/undefined unset it, an array appends each value. */
function merge<H extends Pick<Headers, "set" | "delete" | "append">>(to: H, from: unknown): H {
  if (!from || typeof from !== "object") return to;
  const entries = from instanceof Headers ? from.entries() : Object.entries(from);
  for (const [name, value] of entries) {
    if (value === null) to.delete(name);
    else if (Array.isArray(value)) for (const v of value) to.append(name, String(v));
    else if (value !== undefined) to.set(name, String(value));
  }
  return to;
}

/**
 * openapi-fetch's default query string: a scalar as `name=value`, an array as `name=a&name=b`, an object
 * as `name[key]=value`; null and undefined are left out. Names and values are percent-encoded.
 */
export function serializeQuery(query: Record<string, unknown>): string {
  const parts: string[] = [];
  const add = (name: string, value: unknown) => {
    if (value === undefined || value === null) return;
    if (typeof value === "object") throw new Error("Deeply-nested arrays/objects aren’t supported. Provide your own `querySerializer()` to handle these.");
    parts.push(`${name}=${encodeURIComponent(value as string)}`);
  };
  for (const name in query) {
    const value = query[name];
    if (Array.isArray(value)) for (const v of value) add(name, v);
    else if (value && typeof value === "object") for (const key in value) add(`${name}[${key}]`, (value as Record<string, unknown>)[key]);
    else add(name, value);
  }
  return parts.join("&");
}

/** openapi-fetch's default body: FormData as is, a form-encoded content type as URLSearchParams, else JSON. */
function serializeBody(body: unknown, headers?: Headers | string | null): unknown {
  if (body instanceof FormData) return body;
  // A Headers trims a value's HTTP whitespace; a content type found without one is trimmed the same way.
  const type = typeof headers === "object" && headers !== null ? headers.get("content-type") : headers?.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, "");
  if (type === "application/x-www-form-urlencoded") return new URLSearchParams(body as Record<string, string>).toString();
  return JSON.stringify(body);
}
