// Every way a server can fail a call ends as one GhesRequestError with the status and the request id.
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { createEraClient, GhesRequestError, unwrap } from "../src/index.js";
import { def, json, looseClient, serve, token, type Server } from "./support/server.js";

let server: Server;
afterEach(() => server?.close());

const client = (extra: object = {}) => looseClient(def, { baseUrl: server.baseUrl, retry: false, ...extra });

async function thrown(pending: Promise<unknown>): Promise<GhesRequestError> {
  try {
    await pending;
  } catch (e) {
    expect(e).toBeInstanceOf(GhesRequestError);
    return e as GhesRequestError;
  }
  throw new Error("expected the call to throw");
}

describe("an HTTP error", () => {
  it("comes back as { error } with GitHub's body, and unwrap() throws it with status and request id", async () => {
    server = await serve((_req, res) =>
      json(res, 404, { message: "Not Found", documentation_url: "https://docs.github.com/enterprise-server@3.8/rest" }),
    );
    const github = client();
    const { data, error, response } = await github.GET("/app");
    expect(data).toBeUndefined();
    expect(error).toEqual({ message: "Not Found", documentation_url: "https://docs.github.com/enterprise-server@3.8/rest" });
    expect(response.status).toBe(404);

    const e = await thrown(unwrap(github.GET("/app")));
    expect(e).toMatchObject({
      code: "HTTP_ERROR",
      status: 404,
      method: "GET",
      url: `${server.baseUrl}/app`,
      requestId: "C0DE:1D",
      documentationUrl: "https://docs.github.com/enterprise-server@3.8/rest",
      operationId: "apps/get-authenticated",
    });
    expect(e.message).toBe(`@ghes-sdk/test-era: GET ${server.baseUrl}/app (apps/get-authenticated) failed with 404 Not Found: Not Found [request id C0DE:1D]`);
    expect(e.response?.status).toBe(404);
  });

  it("turns an HTML 502 into an object error whose message is the start of the page", async () => {
    server = await serve((_req, res) => {
      res.writeHead(502, { "content-type": "text/html", "x-github-request-id": "C0DE:1D" });
      res.end("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>");
    });
    const { error } = await client().GET("/app");
    expect(error).toEqual({ message: "502 Bad Gateway nginx" });
    const e = await thrown(unwrap(client().GET("/app")));
    expect(e).toMatchObject({ code: "HTTP_ERROR", status: 502, requestId: "C0DE:1D" });
    expect(e.message).toMatch(/failed with 502 Bad Gateway: 502 Bad Gateway nginx \[request id C0DE:1D\]$/);
  });

  it("keeps GitHub's validation errors, cleaned", async () => {
    server = await serve((_req, res) =>
      json(res, 422, { message: "Validation Failed", errors: [{ resource: "Hook", field: "url", code: "invalid", message: "bad\r\nurl" }] }),
    );
    const e = await thrown(unwrap(client().PATCH("/app/hook/config", { body: { url: "x" } })));
    expect(e.errors).toEqual([{ resource: "Hook", field: "url", code: "invalid", message: "bad url" }]);
    expect(e.message).toContain("Validation Failed (Hook url invalid bad url)");
  });
});

describe("a 2xx whose body is not the promised JSON throws INVALID_BODY, never a SyntaxError", () => {
  const kinds: [string, (res: import("node:http").ServerResponse) => void, RegExp][] = [
    [
      "an HTML 200 (an SSO login page)",
      (res) => {
        res.writeHead(200, { "content-type": "text/html", "x-github-request-id": "C0DE:1D" });
        res.end("<html><title>Sign in to SSO</title><body>Sign in</body></html>");
      },
      /answered 200 with HTML where the operation promises JSON: Sign in to SSO Sign in \[request id C0DE:1D\]$/,
    ],
    [
      "truncated JSON",
      (res) => {
        res.writeHead(200, { "content-type": "application/json", "x-github-request-id": "C0DE:1D" });
        res.end('{"token":"ghs_16C7e42F292c6912E7710c838347Ae178B4a","expires_at":"20');
      },
      /answered 200 with a body that is not valid JSON \(truncated or malformed\) \[request id C0DE:1D\]$/,
    ],
    [
      "an empty 200",
      (res) => {
        res.writeHead(200, { "content-type": "application/json", "content-length": "0", "x-github-request-id": "C0DE:1D" });
        res.end();
      },
      /answered 200 with an empty body where the operation promises JSON \[request id C0DE:1D\]$/,
    ],
    [
      "a connection reset mid-body",
      (res) => {
        res.writeHead(200, { "content-type": "application/json", "content-length": "1000", "x-github-request-id": "C0DE:1D" });
        res.write('{"id":1,"name":"Octo');
        setTimeout(() => res.socket?.destroy(), 20);
      },
      /answered 200 but the connection broke before the body was complete \[request id C0DE:1D\]$/,
    ],
  ];
  it.each(kinds)("%s", async (_kind, answer, message) => {
    server = await serve((_req, res) => answer(res));
    const e = await thrown(client().GET("/app"));
    expect(e).toMatchObject({ code: "INVALID_BODY", status: 200, requestId: "C0DE:1D", method: "GET" });
    expect(e.message).toMatch(message);
    expect(e.message).not.toContain("ghs_");
  });

  it("lets a 204 be empty", async () => {
    server = await serve((_req, res) => {
      res.writeHead(204);
      res.end();
    });
    const { data, error } = await client().DELETE("/app/installations/{installation_id}", { params: { path: { installation_id: 1 } } });
    expect(data).toBeUndefined();
    expect(error).toBeUndefined();
  });
});

it("reports a refused connection as NETWORK with status 0, naming the operation", async () => {
  server = await serve(() => undefined);
  const baseUrl = server.baseUrl;
  await server.close();
  const e = await thrown(looseClient(def, { baseUrl, retry: false }).GET("/app"));
  expect(e).toMatchObject({ code: "NETWORK", status: 0, operationId: "apps/get-authenticated", url: `${baseUrl}/app` });
  expect(e.cause).toBeInstanceOf(Error);
});

describe("server text in messages (issue 9, finding 5)", () => {
  it("redacts a token the server echoes before cutting the message", async () => {
    // The token straddles the 200-character cut: cut first, and its first characters would survive.
    server = await serve((_req, res) => {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(`${"e".repeat(170)} Bad credentials: ${token.slice(4)} and more text after it`);
    });
    const github = client({ headers: { authorization: `token ${token.slice(4)}` } });
    const { error } = await github.GET("/app");
    const e = await thrown(unwrap(github.GET("/app")));
    for (const text of [e.message, (error as { message: string }).message, inspect(e)]) {
      expect(text).not.toContain(token.slice(4, 12));
    }
  });

  it("redacts every form of a Basic credential the server echoes", async () => {
    const basic = btoa("octocat:correct-horse-battery");
    server = await serve((_req, res) => json(res, 401, { message: `bad: ${basic} / octocat:correct-horse-battery / correct-horse-battery` }));
    const github = client({ headers: { authorization: `Basic ${basic}` } });
    const e = await thrown(unwrap(github.GET("/app")));
    expect(e.message).not.toContain("correct-horse");
    expect(e.message).not.toContain(basic);
    expect(Object.keys(e)).not.toContain("response");
  });

  it("caps and cleans a 2 MB JSON message with ANSI escapes and line breaks", async () => {
    server = await serve((_req, res) => json(res, 400, { message: `\x1b[31mred\x1b[0m\r\nInjected: yes ${"m".repeat(2 * 1024 * 1024)}` }));
    const { error } = await client().GET("/app");
    const e = await thrown(unwrap(client().GET("/app")));
    const message = (error as { message: string }).message;
    expect(message.startsWith("red Injected: yes mmm")).toBe(true);
    expect(message.length).toBeLessThanOrEqual(500);
    expect(e.message.length).toBeLessThan(700);
    expect(e.message).not.toMatch(/[\x00-\x1f]/);
  }, 30_000); // two 2 MB bodies through a loopback server: seconds on a loaded 2-core CI machine
});

describe("token-in-path URLs (issue 9, finding 10)", () => {
  const call = (github: ReturnType<typeof client>) =>
    github.GET("/applications/{client_id}/tokens/{access_token}", { params: { path: { client_id: "Iv1.abc", access_token: token } } });

  it("keeps the token out of response.url on success", async () => {
    server = await serve((_req, res) => json(res, 200, { token: "[REDACTED]" }));
    const { response } = await call(client());
    expect(server.requests[0]!.url).toBe(`/api/v3/applications/Iv1.abc/tokens/${token}`);
    expect(response.url).toBe(`${server.baseUrl}/applications/Iv1.abc/tokens/[REDACTED]`);
    expect(inspect(response)).not.toContain(token);
  });

  it("keeps the token out of an error's message, url, response.url and inspect output", async () => {
    server = await serve((_req, res) => json(res, 404, { message: `no token ${token.slice(4)} here` }));
    const { response } = await call(client());
    const e = await thrown(unwrap(call(client())));
    expect(e.url).toBe(`${server.baseUrl}/applications/Iv1.abc/tokens/[REDACTED]`);
    for (const text of [e.message, e.url, response.url, inspect(e, { depth: 10, showHidden: true }), inspect(response), JSON.stringify(e)]) {
      expect(text).not.toContain(token.slice(4, 20));
    }
  });

  it("keeps a token that has no known shape out of a timeout error", async () => {
    server = await serve(() => undefined);
    const secret = "opaque-secret-value-123";
    const e = await thrown(
      client({ timeout: 100 }).GET("/applications/{client_id}/tokens/{access_token}", {
        params: { path: { client_id: "Iv1.abc", access_token: secret } },
      }),
    );
    expect(e.code).toBe("TIMEOUT");
    expect(e.url).toBe(`${server.baseUrl}/applications/Iv1.abc/tokens/[REDACTED]`);
    expect(inspect(e, { showHidden: true })).not.toContain(secret);
  });

  it("redacts the one-time code of an app manifest conversion", async () => {
    server = await serve((_req, res) => json(res, 404, { message: "Not Found" }));
    const e = await thrown(unwrap(client().POST("/app-manifests/{code}/conversions", { params: { path: { code: "one-time-code-4567" } } })));
    expect(e.url).toBe(`${server.baseUrl}/app-manifests/[REDACTED]/conversions`);
    expect(e.message).not.toContain("one-time-code-4567");
  });
});
