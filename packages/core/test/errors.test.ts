import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { GhesRequestError, redactUrl, safeServerText } from "../src/index.js";

const token = "gho_16C7e42F292c6912E7710c838347Ae178B4a";

describe("safeServerText", () => {
  it("redacts a secret before cutting, so no part of it survives the cap", () => {
    // The secret straddles the cap: cutting first would leave its first characters in the message.
    const text = `${"x".repeat(190)} ${"secretvalue-0123456789abcdefghij"} tail`;
    const out = safeServerText(text, { secrets: ["secretvalue-0123456789abcdefghij"], max: 200 });
    expect(out).not.toMatch(/secretv/);
    expect(out.length).toBeLessThanOrEqual(200);
  });
  it("redacts token shapes it was not told about", () => {
    expect(safeServerText(`bad credentials ${token}`)).toBe("bad credentials [REDACTED]");
  });
  it("redacts GHES 3.22's stateless installation tokens (ghs_<APPID>_<JWT>) whole", () => {
    const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIxMjMiLCJleHAiOjE3MDAwMDAwMDB9.c2lnbmF0dXJlLXBhcnQtd2l0aC1kYXNoLV8";
    expect(safeServerText(`bad credentials ghs_123_${jwt} (expired)`)).toBe("bad credentials [REDACTED] (expired)");
  });
  it("redacts 40-hex strings too (classic tokens; commit SHAs as well, by design)", () => {
    expect(safeServerText("sha 0123456789abcdef0123456789abcdef01234567 here")).toBe("sha [REDACTED] here");
  });
  it("redacts the percent-encoded and base64 forms of a given secret", () => {
    const secret = "p@ss/w?rd";
    const out = safeServerText(`${encodeURIComponent(secret)} ${btoa(secret)} ${secret}`, { secrets: [secret] });
    expect(out).toBe("[REDACTED] [REDACTED] [REDACTED]");
  });
  it("strips ANSI escapes and turns line breaks and controls into single spaces", () => {
    expect(safeServerText("\x1b[31mred\x1b[0m\r\nX-Evil: 1\x00\u202eend")).toBe("red X-Evil: 1 end");
  });
  it("caps a 2 MB message", () => {
    const out = safeServerText("a".repeat(2 * 1024 * 1024));
    expect(out).toHaveLength(500);
    expect(out.endsWith("…")).toBe(true);
  });
});

describe("redactUrl", () => {
  it("redacts the given path values and credential query values", () => {
    expect(redactUrl(`https://h/api/v3/applications/Iv1.x/tokens/${token}?access_token=${token}&page=2`, [token])).toBe(
      "https://h/api/v3/applications/Iv1.x/tokens/[REDACTED]?access_token=[REDACTED]&page=2",
    );
  });
});

describe("GhesRequestError", () => {
  const response = () =>
    new Response(null, { status: 422, statusText: "Unprocessable Entity", headers: { "x-github-request-id": "AB12:34CD" } });

  it("carries GitHub's error body, the status and the request id", () => {
    const e = new GhesRequestError({
      code: "HTTP_ERROR",
      method: "post",
      url: "https://h/api/v3/app/installations/1/access_tokens",
      operationId: "apps/create-installation-access-token",
      response: response(),
      body: {
        message: "Validation Failed",
        documentation_url: "https://docs.github.com/enterprise-server@3.9/rest",
        errors: [{ resource: "Installation", field: "repositories", code: "invalid" }],
      },
    });
    expect(e).toBeInstanceOf(Error);
    expect(e).toMatchObject({
      name: "GhesRequestError",
      code: "HTTP_ERROR",
      status: 422,
      method: "POST",
      requestId: "AB12:34CD",
      documentationUrl: "https://docs.github.com/enterprise-server@3.9/rest",
      errors: [{ resource: "Installation", field: "repositories", code: "invalid" }],
      operationId: "apps/create-installation-access-token",
    });
    expect(e.message).toBe(
      "@ghes-sdk/core: POST https://h/api/v3/app/installations/1/access_tokens (apps/create-installation-access-token) failed with 422 Unprocessable Entity: Validation Failed (Installation repositories invalid) [request id AB12:34CD]",
    );
  });

  it("has requestId undefined when the header is missing or cleans to nothing", () => {
    for (const headers of [{}, { "x-github-request-id": "\x1b[0m" }] as Record<string, string>[]) {
      const e = new GhesRequestError({ code: "HTTP_ERROR", method: "GET", url: "https://h/api/v3/app", response: new Response(null, { status: 500, headers }) });
      expect(Object.hasOwn(e, "requestId") && e.requestId === undefined).toBe(true);
      expect(e.message).not.toContain("request id");
    }
  });

  it("takes the start of an HTML body, without its tags, as the message", () => {
    const e = new GhesRequestError({
      code: "HTTP_ERROR",
      method: "GET",
      url: "https://h/api/v3/app",
      status: 502,
      body: "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>",
    });
    expect(e.message).toBe("@ghes-sdk/core: GET https://h/api/v3/app failed with 502: 502 Bad Gateway nginx");
  });

  it("keeps a secret out of its message, url and inspect output", () => {
    const e = new GhesRequestError({
      code: "HTTP_ERROR",
      method: "DELETE",
      url: `https://h/api/v3/applications/Iv1.x/tokens/${token}?access_token=${token}`,
      response: response(),
      body: { message: `token ${token} is not valid` },
      secrets: [token],
    });
    for (const text of [e.message, e.url, inspect(e, { depth: 5 }), JSON.stringify(e)]) expect(text).not.toContain(token.slice(4, 20));
  });
});
