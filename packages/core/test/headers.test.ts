// Issue 9, findings 1 and 4: every headers form is normalised once, and unsendable values fail where written.
import { afterEach, describe, expect, it } from "vitest";
import { createEraClient, GhesSdkError } from "../src/index.js";
import { def, json, looseClient, serve, type Server } from "./support/server.js";

let server: Server;
afterEach(() => server?.close());

const echo = () => serve((_req, res) => json(res, 200, { id: 1 }));
const names = (raw: string[]) => raw.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());

describe("headers as an array of pairs", () => {
  it("are sent as those headers, never as headers named 0, 1, …", async () => {
    server = await echo();
    const github = looseClient(def, { baseUrl: server.baseUrl, headers: [["x-custom", "v1"], ["X-Other", "v2"]] });
    await github.GET("/app");
    const seen = server.requests[0]!;
    expect(seen.headers["x-custom"]).toBe("v1");
    expect(seen.headers["x-other"]).toBe("v2");
    expect(names(seen.rawHeaders)).not.toContain("0");
  });

  it("work per request too", async () => {
    server = await echo();
    await looseClient(def, { baseUrl: server.baseUrl }).GET("/app", { headers: [["x-custom", "v1"]] });
    expect(server.requests[0]!.headers["x-custom"]).toBe("v1");
    expect(names(server.requests[0]!.rawHeaders)).not.toContain("0");
  });

  it("as a Headers object are sent as well", async () => {
    server = await echo();
    await looseClient(def, { baseUrl: server.baseUrl, headers: new Headers({ "x-custom": "v1" }) }).GET("/app");
    expect(server.requests[0]!.headers["x-custom"]).toBe("v1");
  });

  it("must be pairs", () => {
    expect(() => looseClient(def, { baseUrl: "https://h", headers: [["x-a", "1", "2"]] as never })).toThrow(/entry 0 is not a pair/);
  });
});

describe("refused at construction, naming the option and never echoing the value", () => {
  const secret = "s3cr3t-value";
  const bad: [string, object, RegExp][] = [
    ["a header value with CRLF", { headers: { "x-a": `${secret}\r\nX-Evil: 1` } }, /options\.headers header "x-a" has a value with a line break/],
    ["a header value with NUL", { headers: [["x-a", `${secret}\0`]] }, /options\.headers header "x-a"/],
    ["a header value outside Latin-1", { headers: { "x-a": `${secret}→` } }, /outside Latin-1/],
    ["a header name that is not a token", { headers: { [`x a ${secret}`]: "1" } }, /options\.headers has a header name that is not a valid HTTP token \(entry 0\)/],
    ["a userAgent with NUL", { userAgent: `${secret}\0` }, /options\.userAgent must be a string/],
    ["a userAgent outside Latin-1", { userAgent: `${secret}✓` }, /options\.userAgent must be a string/],
    ["a userAgent with a line break", { userAgent: `${secret}\nX-Evil: 1` }, /options\.userAgent must be a string/],
  ];
  it.each(bad)("%s", (_name, options, message) => {
    const attempt = () => looseClient(def, { baseUrl: "https://h", ...options });
    expect(attempt).toThrow(GhesSdkError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (e) {
      expect(String(e)).not.toContain(secret);
    }
  });

  it("a bad header per request, before anything is sent", async () => {
    server = await echo();
    const github = looseClient(def, { baseUrl: server.baseUrl });
    await expect(github.GET("/app", { headers: { "x-a": `${secret}\r\n` } })).rejects.toThrow(/the request's headers header "x-a"/);
    expect(server.requests).toHaveLength(0);
  });
});

describe("a per-request baseUrl", () => {
  it.each([
    ["with a query", "https://other.example/api/v3?x=1", /the request's baseUrl must not have a query string or fragment/],
    ["with an empty query", "https://other.example/api/v3?", /the request's baseUrl must not have a query string or fragment/],
    ["with a fragment", "https://other.example/api/v3#top", /the request's baseUrl must not have a query string or fragment/],
    ["with credentials", "https://me:hunter2@other.example/api/v3", /the request's baseUrl must not carry credentials/],
    ["that is relative", "/api/v3", /the request's baseUrl is not an absolute URL/],
  ])("%s is refused like the client's", async (_name, baseUrl, message) => {
    const github = looseClient(def, { baseUrl: "https://h/api/v3", fetch: () => Promise.reject(new Error("sent")) });
    await expect(github.GET("/app", { baseUrl })).rejects.toThrow(message);
    await expect(github.GET("/app", { baseUrl })).rejects.not.toThrow(/hunter2/);
  });

  it("that is valid is used, trailing slashes dropped", async () => {
    server = await echo();
    await looseClient(def, { baseUrl: "https://unused.example/api/v3" }).GET("/app", { baseUrl: `${server.baseUrl}//` });
    expect(server.requests[0]!.url).toBe("/api/v3/app");
  });
});
