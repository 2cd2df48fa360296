import { describe, expect, it } from "vitest";
import { decodeOperations, eraOf, findOperation, type EraDefinition } from "../src/index.js";

// Every field of the compact table once: a group shared with the line before, previews, each kind of
// deprecation (none named, a header text), the shared since, an own since, no since, and until.
const text = [
  "2.20|the OAuth web application flow|apps/check-token (POST /applications/{client_id}/token)",
  "post /applications/{client_id}/token apps/check-token doctor-strange",
  "get /applications/{client_id}/tokens/{access_token} /check-authorization  1  3.3",
  "delete /app/installations/{installation_id} /delete-installation gambit,machine-man",
  "get /app/hook/deliveries /list-webhook-deliveries   3.2",
  "get /old /gone  !",
  "get /nowhere /unversioned   -",
  "get /authorizations oauth-authorizations/list-authorizations  0 2.22 3.6",
].join("\n");

describe("decodeOperations", () => {
  it("reads every field, filling in the defaults", () => {
    expect(decodeOperations(text)).toEqual({
      "apps/check-token": { method: "post", path: "/applications/{client_id}/token", previews: ["doctor-strange"], since: "2.20" },
      "apps/check-authorization": {
        method: "get",
        path: "/applications/{client_id}/tokens/{access_token}",
        deprecated: true,
        replacement: "apps/check-token (POST /applications/{client_id}/token)",
        since: "2.20",
        until: "3.3",
      },
      "apps/delete-installation": { method: "delete", path: "/app/installations/{installation_id}", previews: ["gambit", "machine-man"], since: "2.20" },
      "apps/list-webhook-deliveries": { method: "get", path: "/app/hook/deliveries", since: "3.2" },
      "apps/gone": { method: "get", path: "/old", deprecated: true, since: "2.20" },
      "apps/unversioned": { method: "get", path: "/nowhere" },
      "oauth-authorizations/list-authorizations": {
        method: "get",
        path: "/authorizations",
        deprecated: true,
        replacement: "the OAuth web application flow",
        since: "2.22",
        until: "3.6",
      },
    });
  });

  it("decodes a text once, and the client finds its operations and previews in it", () => {
    expect(decodeOperations(text)).toBe(decodeOperations(text));
    const def: EraDefinition = {
      name: "ghes-2.2x",
      packageName: "@ghes-sdk/test",
      version: "0.0.0",
      get operations() {
        return decodeOperations(text);
      },
      defaultHeaders: { accept: "application/vnd.github.v3+json" },
    };
    expect(findOperation(def, "DELETE", "/app/installations/{installation_id}")).toEqual({
      operationId: "apps/delete-installation",
      method: "delete",
      path: "/app/installations/{installation_id}",
      previews: ["gambit", "machine-man"],
      since: "2.20",
    });
    expect(eraOf(def).headersFor("DELETE", "/app/installations/{installation_id}")).toEqual({
      accept: "application/vnd.github.gambit-preview+json, application/vnd.github.machine-man-preview+json",
    });
    expect(eraOf(def).headersFor("GET", "/old")).toEqual({ accept: "application/vnd.github.v3+json" });
  });
});
