/**
 * The per-request path, made cheap without changing what middleware sees.
 *
 * openapi-fetch builds a `Request` for every call and hands it to the middleware and then to `fetch`,
 * which (undici) builds a second one from it. Undici's constructor is most of a stub-fetch call's cost
 * (URL parsing, header validation, `makeTransferable` for the signal). openapi-fetch lets a client choose
 * its `Request` class, so the era clients use `LightRequest`: it holds the URL and init as given, offers
 * what middleware reads and writes (`url`, `method`, real `Headers`, `signal`, the body readers, `clone()`),
 * and becomes one real fetch call: `fetch(url, init)` for the global fetch (one Request, built by fetch
 * itself), or one real `Request` for a `fetch` passed in options, whose contract is to receive a Request.
 *
 * A middleware may still return a real `Request` (or build one from ours); `instanceof LightRequest` is
 * true for both, so openapi-fetch accepts either, and a real one is passed on untouched.
 */
type Body = RequestInit["body"];

const EMPTY_BODY = Symbol("no body");

export class LightRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly signal: AbortSignal | null;
  readonly redirect: RequestRedirect;
  /** The init as openapi-fetch passed it (cache, credentials, dispatcher, …), forwarded to fetch. */
  readonly #init: RequestInit;
  #body: Body | typeof EMPTY_BODY;
  #stream: ReadableStream<Uint8Array> | null | undefined;
  #used = false;

  constructor(input: string | URL, init: RequestInit = {}) {
    this.url = typeof input === "string" ? input : input.href;
    this.method = (init.method ?? "GET").toUpperCase();
    // openapi-fetch always passes a Headers; anything else is copied like Request would.
    this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
    this.signal = init.signal ?? null;
    this.redirect = init.redirect ?? "follow";
    this.#init = init;
    this.#body = init.body === undefined || init.body === null ? EMPTY_BODY : init.body;
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    return (
      (typeof value === "object" && value !== null && LightRequest.prototype.isPrototypeOf(value)) ||
      (typeof Request === "function" && value instanceof Request)
    );
  }

  /** A stream of the body, as on a real Request; reading it consumes the body. */
  get body(): ReadableStream<Uint8Array> | null {
    if (this.#body === EMPTY_BODY) return null;
    if (this.#stream === undefined) this.#stream = new Response(this.#body).body;
    return this.#stream;
  }

  get bodyUsed(): boolean {
    return this.#used;
  }

  get credentials(): RequestCredentials {
    return this.#init.credentials ?? "same-origin";
  }

  get cache(): RequestCache {
    return this.#init.cache ?? "default";
  }

  get keepalive(): boolean {
    return this.#init.keepalive ?? false;
  }

  get mode(): RequestMode {
    return this.#init.mode ?? "cors";
  }

  /** A copy with its own Headers and its own body, as Request.clone() gives. */
  clone(): LightRequest {
    if (this.#used) throw new TypeError("LightRequest.clone: the body has already been used");
    let body: Body | undefined;
    if (this.#body !== EMPTY_BODY) {
      if (this.#stream) {
        const [a, b] = this.#stream.tee();
        this.#stream = a;
        body = b;
      } else {
        body = this.#body;
      }
    }
    const copy = new LightRequest(this.url, { ...this.#init, method: this.method, headers: new Headers(this.headers), body });
    return copy;
  }

  #response(): Response {
    if (this.#used) throw new TypeError("LightRequest: the body has already been used");
    this.#used = true;
    return new Response(this.#body === EMPTY_BODY ? null : (this.#stream ?? this.#body));
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return this.#response().arrayBuffer();
  }

  text(): Promise<string> {
    return this.#response().text();
  }

  json(): Promise<unknown> {
    return this.#response().json();
  }

  blob(): Promise<Blob> {
    return this.#response().blob();
  }

  formData(): Promise<FormData> {
    return this.#response().formData();
  }

  /** What to give fetch: the init with our method and headers and the body in whichever form it is. */
  toInit(extra?: RequestInit): RequestInit {
    if (this.#used) throw new TypeError("LightRequest: the body has already been used");
    const init: RequestInit & { duplex?: "half" } = extra ? { ...this.#init, ...extra } : { ...this.#init };
    init.method = this.method;
    init.headers = this.headers;
    init.redirect = this.redirect;
    init.signal = this.signal;
    if (this.#body === EMPTY_BODY) {
      delete init.body;
    } else if (this.#stream) {
      init.body = this.#stream;
      init.duplex = "half";
    } else {
      init.body = this.#body;
    }
    return init;
  }
}

export type FetchLike = (input: Request, init?: RequestInit) => Promise<Response>;

/**
 * The fetch an era client gives openapi-fetch. A LightRequest becomes `globalThis.fetch(url, init)` — or,
 * for a fetch passed in options, one real Request. A real Request (returned by a middleware) goes on as is.
 */
export function lightFetch(custom: FetchLike | undefined): FetchLike {
  const isLight = (input: unknown): input is LightRequest => typeof input === "object" && input !== null && LightRequest.prototype.isPrototypeOf(input);
  if (custom) {
    return (input, init) => (isLight(input) ? custom(new Request(input.url, input.toInit()), init) : custom(input, init));
  }
  return (input, init) => (isLight(input) ? globalThis.fetch(input.url, input.toInit(init)) : globalThis.fetch(input, init));
}
