// detectGhes against real servers on 127.0.0.1 that answer like GHES 2.21, 3.4 and 3.12.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { detectGhes, GhesRequestError, GhesSdkError } from "../src/index.js";

type Answer = { status: number; headers?: Record<string, string>; body?: unknown };
const servers: { close(): void }[] = [];
const seen: IncomingMessage[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
  seen.length = 0;
});

async function ghes(answer: Answer): Promise<string> {
  const server = createServer((req, res) => {
    seen.push(req);
    res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
    res.end(answer.body === undefined ? "" : JSON.stringify(answer.body));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v3/`;
}

const only = (era: string, apiVersion?: string) => [{ era, packageName: `@ghes-sdk/${era}`, ...(apiVersion ? { apiVersion } : {}) }];
describe.each([
  ["2.21.9", "2.21", "ghes-2.2x", only("ghes-2.2x")],
  ["3.4.2", "3.4", "ghes-3.x", only("ghes-3.x")],
  ["3.12.0", "3.12", "ghes-2022-11-28", only("ghes-2022-11-28", "2022-11-28")],
  // Two REST API versions from 3.21 on: the default (no header) first.
  ["3.22.1", "3.22", "ghes-2022-11-28", [...only("ghes-2022-11-28", "2022-11-28"), ...only("ghes-2026-03-10", "2026-03-10")]],
])("a server on GHES %s", (version, feature, era, eras) => {
  it("is detected from GET /meta's X-GitHub-Enterprise-Version", async () => {
    const baseUrl = await ghes({ status: 200, headers: { "x-github-enterprise-version": version }, body: { installed_version: version } });
    expect(await detectGhes({ baseUrl })).toEqual({ version, featureRelease: feature, era, packageName: `@ghes-sdk/${era}`, eras });
    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual(["GET /api/v3/meta"]);
    expect(seen[0]!.headers.authorization).toBeUndefined();
  });

  it("is detected from the header of a 401 (private mode)", async () => {
    const baseUrl = await ghes({ status: 401, headers: { "x-github-enterprise-version": version }, body: { message: "Must authenticate to access this API." } });
    expect((await detectGhes({ baseUrl })).era).toBe(era);
  });
});

it("falls back to /meta's installed_version", async () => {
  const baseUrl = await ghes({ status: 200, body: { installed_version: "3.7.1", verifiable_password_authentication: true } });
  expect(await detectGhes({ baseUrl })).toMatchObject({ version: "3.7.1", era: "ghes-3.x" });
});

it("says so when the server is not GHES, or too old", async () => {
  const dotcom = await ghes({ status: 200, body: { verifiable_password_authentication: true } });
  await expect(detectGhes({ baseUrl: dotcom })).rejects.toThrow(GhesRequestError);
  await expect(detectGhes({ baseUrl: dotcom })).rejects.toThrow(/without a GHES version .* is this a GitHub Enterprise Server API URL\?/);
  const old = await ghes({ status: 200, headers: { "x-github-enterprise-version": "2.19.3" } });
  await expect(detectGhes({ baseUrl: old })).rejects.toThrow(/GHES 2.19 is older than every era this SDK serves \(2.20 and later\)/);
  await expect(detectGhes({ baseUrl: "ghes.example.com" })).rejects.toThrow(GhesSdkError);
});

it("uses the fetch it is given", async () => {
  const urls: string[] = [];
  const fetch = async (req: Request) => {
    urls.push(req.url);
    return new Response("{}", { headers: { "x-github-enterprise-version": "3.9.0" } });
  };
  expect((await detectGhes({ baseUrl: "https://ghes.example.com/api/v3", fetch })).era).toBe("ghes-2022-11-28");
  expect(urls).toEqual(["https://ghes.example.com/api/v3/meta"]);
});
