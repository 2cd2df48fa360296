// Both styles, typed (checked by `tsc --noEmit` in the package's test script) and run against a server.
import { afterEach, describe, expect, expectTypeOf, it } from "vitest";
import { createEraClient, GhesRequestError, unwrap, type RateLimit } from "../src/index.js";
import { def, json, serve, type Server } from "./support/server.js";

type ErrorBody = { message: string; documentation_url?: string };
type NoParams = { query?: never; header?: never; path?: never; cookie?: never };
type Unused = { put?: never; post?: never; delete?: never; options?: never; head?: never; patch?: never; trace?: never };
interface paths {
  "/app": Unused & {
    parameters: NoParams;
    get: {
      parameters: NoParams;
      requestBody?: never;
      responses: {
        200: { headers: { [name: string]: unknown }; content: { "application/json": { id: number; name: string } } };
        404: { headers: { [name: string]: unknown }; content: { "application/json": ErrorBody } };
      };
    };
  };
}

let server: Server;
afterEach(() => server?.close());

describe("the { data, error, response } style", () => {
  it("types data and error as the spec's bodies, one of them set", async () => {
    server = await serve((_req, res, n) => (n === 0 ? json(res, 200, { id: 1, name: "Octo" }) : json(res, 404, { message: "Not Found" })));
    const github = createEraClient<paths>(def, { baseUrl: server.baseUrl });
    const ok = await github.GET("/app");
    expectTypeOf(ok.data).toEqualTypeOf<{ id: number; name: string } | undefined>();
    expectTypeOf(ok.error).toEqualTypeOf<ErrorBody | undefined>();
    expect(ok.data?.name).toBe("Octo");
    const failed = await github.GET("/app");
    if (failed.error) expectTypeOf(failed.error.message).toBeString();
    expect(failed.error?.message).toBe("Not Found");
    expectTypeOf(github.rateLimit).toEqualTypeOf<RateLimit | undefined>();
  });
});

describe("the throwing style, unwrap()", () => {
  it("types the data as the 200 body, never undefined", async () => {
    server = await serve((_req, res) => json(res, 200, { id: 1, name: "Octo" }));
    const app = await unwrap(createEraClient<paths>(def, { baseUrl: server.baseUrl }).GET("/app"));
    expectTypeOf(app).toEqualTypeOf<{ id: number; name: string }>();
    // @ts-expect-error data is the body itself: there is no `data` on it
    void app.data;
    expect(app.name).toBe("Octo");
  });

  it("throws the call's GhesRequestError", async () => {
    server = await serve((_req, res) => json(res, 404, { message: "Not Found" }));
    const pending = unwrap(createEraClient<paths>(def, { baseUrl: server.baseUrl }).GET("/app"));
    await expect(pending).rejects.toBeInstanceOf(GhesRequestError);
    await expect(pending).rejects.toMatchObject({ status: 404, requestId: "C0DE:1D", code: "HTTP_ERROR" });
  });
});

it("accepts the per-request options next to openapi-fetch's", async () => {
  server = await serve((_req, res) => json(res, 200, { id: 1, name: "Octo" }));
  const github = createEraClient<paths>(def, { baseUrl: server.baseUrl, timeout: 10_000, retry: { limit: 1 }, maxResponseBytes: 1 << 20 });
  const { data } = await github.GET("/app", { timeout: 5_000, retry: false, signal: AbortSignal.timeout(5_000) });
  expect(data?.id).toBe(1);
});
