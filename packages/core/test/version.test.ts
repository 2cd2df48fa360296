import { describe, expect, it } from "vitest";
import { compareVersions, deprecationCode, featureRelease, isServed, nextLink, versionMismatch } from "../src/index.js";

describe("GHES versions", () => {
  it("compares feature releases numerically", () => {
    expect(compareVersions("3.12", "3.4")).toBeGreaterThan(0);
    expect(compareVersions("3.4.2", "3.4")).toBe(0);
    expect(compareVersions("2.22", "3.0")).toBeLessThan(0);
    expect(featureRelease("3.10.1")).toEqual([3, 10]);
    expect(featureRelease("enterprise")).toBeUndefined();
    expect(() => compareVersions("x", "3.4")).toThrow(/not a GHES version: "x"/);
  });

  it("checks an operation's range, both ends inclusive", () => {
    const tokenInPath = { operationId: "apps/check-authorization", since: "2.20", until: "3.3" };
    expect(isServed(tokenInPath, "3.3.7")).toBe(true);
    expect(isServed(tokenInPath, "3.4")).toBe(false);
    expect(isServed({ since: "3.2" }, "3.12")).toBe(true);
    expect(versionMismatch(tokenInPath, "3.4.0")).toBe("GHES 3.4.0 does not serve apps/check-authorization: it is served by GHES 2.20 to 3.3");
    expect(versionMismatch({ operationId: "apps/list-webhook-deliveries", since: "3.2" }, "3.1")).toMatch(/served by GHES 3.2 and later$/);
    expect(versionMismatch(tokenInPath, "3.3")).toBeUndefined();
  });
});

describe("Link headers", () => {
  it("finds rel=next among the others, quoted or not, in any order", () => {
    const h = '<https://h/api/v3/x?page=3>; rel="last", <https://h/api/v3/x?page=2>; rel="next", <https://h/api/v3/x?page=1>; rel="first"';
    expect(nextLink(h)).toBe("https://h/api/v3/x?page=2");
    expect(nextLink("<https://h/a?cursor=v1%3A2>; rel=next")).toBe("https://h/a?cursor=v1%3A2");
    expect(nextLink('<https://h/a?page=2>; rel="prev next"')).toBe("https://h/a?page=2");
    expect(nextLink('<https://h/a?page=9>; rel="last"')).toBeUndefined();
    expect(nextLink('<https://h/a?page=1>; rel="nextish"')).toBeUndefined();
    expect(nextLink(null)).toBeUndefined();
  });
});

it("derives a stable warning code from the operationId", () => {
  expect(deprecationCode("apps/check-authorization")).toBe("GHESSDK_DEP_APPS_CHECK_AUTHORIZATION");
  expect(deprecationCode("oauth-authorizations/list-grants")).toBe("GHESSDK_DEP_OAUTH_AUTHORIZATIONS_LIST_GRANTS");
});
