// The shortcuts the request path takes instead of parsing a URL must give what parsing gives.
import { describe, expect, it } from "vitest";
import { pathParamsOf } from "../src/app-installations.js";
import { checkTransport, originOf, sameOrigin } from "../src/middleware.js";

const TEMPLATE = "/repos/{owner}/{repo}/installation";

/** What pathParamsOf gave before its shortcut: the URL parsed, its path matched and decoded. */
function parsed(url: string): Record<string, string> {
  const match = /\/repos\/([^/]+)\/([^/]+)\/installation$/.exec(new URL(url).pathname);
  return match ? { owner: decodeURIComponent(match[1]!), repo: decodeURIComponent(match[2]!) } : {};
}

describe("pathParamsOf", () => {
  it.each([
    "https://ghes.example.com/api/v3/repos/octo/hello/installation",
    "http://127.0.0.1:8080/api/v3/repos/octo/hello/installation?x=1#f",
    "https://ghes.example.com/api/v3/repos/o%20c/h%2Fx/installation",
    // What a parser changes: dot segments (plain and encoded), backslashes, spaces, tabs, non-ASCII.
    "https://ghes.example.com/api/v3/repos/octo/../evil/hello/installation",
    "https://ghes.example.com/api/v3/repos/octo/%2e%2E/evil/hello/installation",
    "https://ghes.example.com/api/v3/repos/octo/./hello/installation",
    "https://ghes.example.com/api/v3\\repos\\octo\\hello\\installation",
    "https://ghes.example.com/api/v3/repos/o c/hello/installation",
    "https://ghes.example.com/api/v3/repos/o\tc/hello/installation",
    "https://ghes.example.com/api/v3/repos/ö/hello/installation",
    "https://user@ghes.example.com/api/v3/repos/octo/hello/installation",
    "https://ghes.example.com?/repos/octo/hello/installation",
  ])("reads %s as a URL parser would", (url) => {
    expect(pathParamsOf(TEMPLATE, url)).toEqual(parsed(url));
  });
});

describe("sameOrigin", () => {
  const api = originOf("https://ghes.example.com/api/v3");
  const answer = (url: string) => {
    const response = new Response(null);
    Object.defineProperty(response, "url", { value: url });
    return response;
  };
  it.each([
    ["https://ghes.example.com/api/v3/app", true],
    ["https://ghes.example.com", true],
    ["https://GHES.example.com:443/app", true],
    ["", true],
    ["https://ghes.example.com.evil.example/app", false],
    ["https://ghes.example.com:8443/app", false],
    ["https://ghes.example.com@evil.example/app", false],
    ["http://ghes.example.com/app", false],
  ] as const)("%s is of the API's origin: %s", (url, expected) => {
    expect(sameOrigin(answer(url), api)).toBe(expected);
  });
});

describe("checkTransport after a loopback origin was allowed", () => {
  const policy = { allowInsecureHttp: false };
  it.each([
    ["http://localhost:8080/api/v3/app", true],
    ["http://localhost:8080@ghes.example.com/api/v3/app", false],
    ["http://localhost.ghes.example.com:8080/api/v3/app", false],
    ["http://localhost:80/api/v3/app", true],
    ["http://ghes.example.com/api/v3/app", false],
    ["http://127.0.0.1:9/api/v3/app", true],
    ["http://localhost:8080/api/v3/app", true],
  ])("%s: allowed %s, as a URL parser would say", (url, allowed) => {
    // Each case runs right after one that left a loopback origin remembered.
    checkTransport("tokenAuth", "http://localhost:8080/api/v3/x", policy);
    const check = () => checkTransport("tokenAuth", url, policy);
    if (allowed) expect(check).not.toThrow();
    else expect(check).toThrow(/refusing to send credentials over plain http/);
  });
});
