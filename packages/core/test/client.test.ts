import { describe, expect, it } from "vitest";
import { createEraClient, eraOf, GhesSdkError, pathSerializer, type EraDefinition } from "../src/index.js";

const def: EraDefinition = {
  name: "ghes-2.2x",
  packageName: "@ghes-sdk/test-era",
  version: "9.9.9",
  defaultHeaders: { accept: "application/vnd.github.v3+json" },
  operations: {
    "apps/delete-installation": {
      method: "delete",
      path: "/app/installations/{installation_id}",
      previews: ["gambit", "machine-man"],
    },
    "apps/list-repos-accessible-to-installation": {
      method: "get",
      path: "/installation/repositories",
      // The spec also lists the optional mercy preview; the shipped table holds required ones only.
      previews: ["machine-man"],
    },
  },
};

/** A fetch that keeps the Request it was given: a unit test's window onto what the client built. */
function capture() {
  const seen: Request[] = [];
  const fetch = async (request: Request) => {
    seen.push(request);
    return new Response(null, { status: 204 });
  };
  return { seen, fetch };
}

describe("eraOf(...).headersFor", () => {
  const era = eraOf(def);
  it("sends the required previews of a preview operation as Accept, in the spec's order", () => {
    expect(era.headersFor("DELETE", "/app/installations/{installation_id}")).toEqual({
      accept: "application/vnd.github.gambit-preview+json, application/vnd.github.machine-man-preview+json",
    });
  });
  it("sends only the previews the table lists (the required ones)", () => {
    expect(era.headersFor("get", "/installation/repositories")).toEqual({
      accept: "application/vnd.github.machine-man-preview+json",
    });
  });
  it("falls back to the era's default for an operation it does not know", () => {
    expect(era.headersFor("GET", "/nope")).toEqual({ accept: "application/vnd.github.v3+json" });
  });
});

describe("createEraClient", () => {
  it("fills in the era's headers and the User-Agent", async () => {
    const { seen, fetch } = capture();
    await createEraClient<any>(def, { baseUrl: "https://ghes.example.com/api/v3/", fetch }).DELETE(
      "/app/installations/{installation_id}",
      { params: { path: { installation_id: 3 } } },
    );
    expect(seen[0]!.url).toBe("https://ghes.example.com/api/v3/app/installations/3");
    expect(seen[0]!.headers.get("accept")).toBe(
      "application/vnd.github.gambit-preview+json, application/vnd.github.machine-man-preview+json",
    );
    expect(seen[0]!.headers.get("user-agent")).toBe("@ghes-sdk/test-era/9.9.9");
  });

  it("lets an explicit Accept win, per request and per client", async () => {
    const { seen, fetch } = capture();
    const client = createEraClient<any>(def, { baseUrl: "https://h/api/v3", fetch, headers: { accept: "text/x-client" } });
    await client.GET("/installation/repositories", {});
    await client.GET("/installation/repositories", { headers: { accept: "text/x-request" } });
    expect(seen.map((r) => r.headers.get("accept"))).toEqual(["text/x-client", "text/x-request"]);
  });

  it("strips every trailing slash of the base URL", async () => {
    const { seen, fetch } = capture();
    await createEraClient<any>(def, { baseUrl: "https://h/api/v3//", fetch }).GET("/installation/repositories", {});
    expect(seen[0]!.url).toBe("https://h/api/v3/installation/repositories");
  });

  it("uses forEra() of an era-aware auth middleware", async () => {
    const { seen, fetch } = capture();
    const eras: string[] = [];
    const auth = {
      forEra(era: { name: string; headersFor(m: string, p: string): Record<string, string> }) {
        eras.push(`${era.name} ${era.headersFor("DELETE", "/app/installations/{installation_id}").accept}`);
        return {
          onRequest({ request }: { request: Request }) {
            request.headers.set("authorization", `era ${era.name}`);
            return request;
          },
        };
      },
    };
    await createEraClient<any>(def, { baseUrl: "https://h/api/v3", fetch, auth }).GET("/installation/repositories", {});
    expect(eras).toEqual([
      "ghes-2.2x application/vnd.github.gambit-preview+json, application/vnd.github.machine-man-preview+json",
    ]);
    expect(seen[0]!.headers.get("authorization")).toBe("era ghes-2.2x");
  });

  const bad: [string, unknown, RegExp][] = [
    ["no options", undefined, /needs an options object/],
    ["no baseUrl", {}, /options\.baseUrl is required/],
    ["a relative baseUrl", { baseUrl: "/api/v3" }, /options\.baseUrl is not an absolute URL/],
    ["a non-http baseUrl", { baseUrl: "ftp://h/api/v3" }, /options\.baseUrl must use http: or https:/],
    ["credentials in baseUrl", { baseUrl: "https://me:hunter2@h/api/v3" }, /options\.baseUrl must not carry credentials/],
    ["a query in baseUrl", { baseUrl: "https://h/api/v3?x=1" }, /query string or fragment/],
    ["a fetch that is not a function", { baseUrl: "https://h", fetch: "fetch" }, /options\.fetch must be a function/],
    ["a userAgent with a line break", { baseUrl: "https://h", userAgent: "a\r\nX-Evil: 1" }, /options\.userAgent/],
    ["an auth that is not a middleware", { baseUrl: "https://h", auth: "token abc" }, /options\.auth must be an openapi-fetch middleware/],
  ];
  it.each(bad)("refuses %s with an error naming the option", (_name, options, message) => {
    const attempt = () => createEraClient<any>(def, options as never);
    expect(attempt).toThrow(GhesSdkError);
    expect(attempt).toThrow(message);
    expect(attempt).toThrow(/^@ghes-sdk\/test-era: /);
  });

  it("never echoes a secret from the options it refuses", () => {
    try {
      createEraClient<any>(def, { baseUrl: "https://me:hunter2@h/api/v3" });
      expect.unreachable();
    } catch (e) {
      expect(String(e)).not.toContain("hunter2");
    }
  });
});

describe("pathSerializer", () => {
  const serialize = pathSerializer("@ghes-sdk/x");
  it("percent-encodes every value", () => {
    expect(serialize("/a/{x}/b/{y}", { x: "p/q?r#s t", y: 12 })).toBe("/a/p%2Fq%3Fr%23s%20t/b/12");
  });
  it.each([
    [{}, /"x" of \/a\/\{x\} is missing/],
    [{ x: null }, /is missing/],
    [{ x: "" }, /is empty/],
    [{ x: "." }, /cannot be "\." or "\.\."/],
    [{ x: ".." }, /cannot be "\." or "\.\."/],
    [{ x: Number.NaN }, /must be a finite number/],
    [{ x: { id: 1 } }, /must be a string or a number, not object/],
  ])("refuses %j", (params, message) => {
    expect(() => serialize("/a/{x}", params)).toThrow(message);
  });
});
