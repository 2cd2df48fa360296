// The era client is an openapi-fetch client: the same calls through bare openapi-fetch and through an era
// client reach a recording server with the same method, URL, headers (less the documented additions:
// the era's Accept and the User-Agent) and body, and read back the same data.
import createClient, { type Client, type Middleware } from "openapi-fetch";
import { afterEach, describe, expect, it } from "vitest";
import { createEraClient, GhesSdkError, type GhesClient } from "../src/index.js";
import { def, serve, type Server } from "./support/server.js";

let server: Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Recorded {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** A server that records each request (body included) and answers with what it received, as JSON. */
async function recorder() {
  const recorded: Recorded[] = [];
  const s = await serve((req, res) => {
    const chunks: Buffer[] = [];
    req.removeAllListeners("data");
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const entry = { method: req.method!, url: req.url!, headers: { ...req.headers } as Record<string, string>, body: Buffer.concat(chunks).toString() };
      recorded.push(entry);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ echoed: entry.url, list: [1, "two", { three: 3 }] }));
    });
  });
  return { ...s, recorded };
}

// What an era client adds on purpose (core's README, "Where we differ from openapi-fetch").
const ADDED = ["accept", "user-agent"];
const comparable = (r: Recorded) => ({
  method: r.method,
  url: r.url,
  body: r.body,
  headers: Object.fromEntries(Object.entries(r.headers).filter(([name]) => !ADDED.includes(name) && name !== "host")),
});

type Call = (c: Client<any>) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
const calls: [string, Call][] = [
  ["a GET with a query of every shape", (c) => c.GET("/app", { params: { query: { per_page: 5, a: ["x y", "z"], o: { k: "v" }, none: null } } })],
  ["a GET with path parameters that need encoding", (c) => c.GET("/app/installations/{installation_id}", { params: { path: { installation_id: "a/b?c" } } })],
  ["a POST with a JSON body and headers of every form", (c) => c.POST("/app/hook/config", { body: { url: "https://x", n: [1, 2] }, headers: new Headers({ "x-one": "1" }), params: { header: { "x-two": "2" } } })],
  ["a PATCH with a form-encoded body", (c) => c.PATCH("/app/hook/config", { body: { a: "1", b: "two words" }, headers: { "content-type": "application/x-www-form-urlencoded" } })],
  ["a DELETE with a header unset by null", (c) => c.DELETE("/app/installations/{installation_id}", { params: { path: { installation_id: 7 } }, headers: { "x-client": null } })],
  ["a request() call with a custom querySerializer", (c) => c.request("get", "/app", { params: { query: { q: 1 } }, querySerializer: () => "custom=1" })],
  ["a GET read as text", (c) => c.GET("/app", { parseAs: "text" })],
];

describe("the same calls through bare openapi-fetch and an era client", () => {
  for (const [name, call] of calls) {
    it(name, async () => {
      const s = await recorder();
      server = s;
      const options = { baseUrl: s.baseUrl, headers: { "x-client": "c", "x-shared": "from-client" } };
      const bare = createClient<any>(options);
      const ours = createEraClient<any>(def, options);
      const expected = await call(bare);
      const actual = await call(ours as unknown as Client<any>);
      expect(s.recorded).toHaveLength(2);
      expect(comparable(s.recorded[1]!)).toEqual(comparable(s.recorded[0]!));
      expect(actual.data).toEqual(expected.data);
      expect(actual.error).toEqual(expected.error);
      expect(actual.response.status).toBe(expected.response.status);
      // The documented additions, and the caller's own Accept winning over the era's.
      expect(s.recorded[1]!.headers["user-agent"]).toBe("@ghes-sdk/test-era/9.9.9");
      expect(s.recorded[1]!.headers.accept).toBe("application/vnd.github.v3+json");
    });
  }

  it("runs the caller's middleware with openapi-fetch's contract: onRequest in order, onResponse in reverse, a Request or Response replacing", async () => {
    const s = await recorder();
    server = s;
    const order: string[] = [];
    const a: Middleware = {
      onRequest: ({ request }) => (order.push("a.req"), new Request(request, { headers: { ...Object.fromEntries(request.headers), "x-a": "1" } })),
      onResponse: ({ response }) => void order.push(`a.res ${response.status}`),
    };
    const b: Middleware = { onRequest: () => void order.push("b.req"), onResponse: ({ response }) => (order.push("b.res"), new Response("{\"replaced\":true}", { status: 200, headers: response.headers })) };
    const ours = createEraClient<any>(def, { baseUrl: s.baseUrl });
    ours.use(a, b);
    const { data } = await (ours as unknown as Client<any>).GET("/app", {});
    expect(order).toEqual(["a.req", "b.req", "b.res", "a.res 200"]);
    expect(data).toEqual({ replaced: true });
    expect(s.recorded[0]!.headers["x-a"]).toBe("1");
    ours.eject(a, b);
    await (ours as unknown as Client<any>).GET("/app", {});
    expect(order).toHaveLength(4);
  });

  it("is assignable to openapi-fetch's Client and takes its options: Request class, serializers, requestInitExt", async () => {
    const s = await recorder();
    server = s;
    const built: string[] = [];
    class Traced extends Request {
      constructor(input: RequestInfo | URL, init?: RequestInit) {
        super(input, init);
        built.push(this.url);
      }
    }
    const exts: unknown[] = [];
    const ours: GhesClient<any> = createEraClient<any>(def, {
      baseUrl: s.baseUrl,
      Request: Traced,
      querySerializer: (q) => `q=${Object.keys(q).join("+")}`,
      bodySerializer: (b) => `body:${JSON.stringify(b)}`,
      requestInitExt: { marker: 1 },
      fetch: (input, init) => (exts.push(init), globalThis.fetch(input)),
    });
    const asClient: Client<any> = ours;
    await asClient.POST("/app/hook/config", { params: { query: { a: 1, b: 2 } }, body: { x: 1 } });
    expect(built).toEqual([`${s.baseUrl}/app/hook/config?q=a+b`]);
    expect(s.recorded[0]!.body).toBe('body:{"x":1}');
    // In a Node that openapi-fetch recognises (it checks process.versions.undici), requestInitExt reaches fetch.
    expect(exts).toEqual([{ marker: 1 }]);
  });

  it("uses a per-request fetch, Request class and pathSerializer, as openapi-fetch does", async () => {
    const s = await recorder();
    server = s;
    const used: string[] = [];
    const ours = createEraClient<any>(def, { baseUrl: s.baseUrl }) as unknown as Client<any>;
    await ours.GET("/app/installations/{installation_id}", {
      params: { path: { installation_id: 1 } },
      fetch: (request: Request) => (used.push(`fetch ${request.constructor.name}`), globalThis.fetch(request)),
      Request: class Mine extends Request {},
      pathSerializer: (url: string) => (used.push("path"), url.replace("{installation_id}", "99")),
    } as never);
    expect(used).toEqual(["path", "fetch Mine"]);
    expect(s.recorded[0]!.url).toBe("/api/v3/app/installations/99");
  });

  it("refuses an option name it does not know, saying what was meant", () => {
    const make = (options: Record<string, unknown>) => () => createEraClient(def, { baseUrl: "https://ghes.example.com/api/v3", ...options } as never);
    expect(make({ timout: 1000 })).toThrow(/options\.timout is not an option of createClient: did you mean timeout\?/);
    expect(make({ maxConcurency: 1 })).toThrow(/did you mean maxConcurrency\?/);
    expect(make({ maxResponseByte: 1 })).toThrow(/did you mean maxResponseBytes\?/);
    expect(make({ dispatcher: {} })).toThrow(/requestInitExt: \{ dispatcher \}/);
    expect(make({ signal: AbortSignal.abort() })).toThrow(/per request/);
    expect(make({ timout: 1000 })).toThrow(GhesSdkError);
    expect(make({ credentials: "include", cache: "no-store" })).not.toThrow();
  });
});
