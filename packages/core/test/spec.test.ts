import { describe, expect, it } from "vitest";
import { specOperations } from "../src/index.js";

const spec = {
  security: [{ basic: [] }],
  paths: {
    "/b": {
      summary: "not an operation",
      get: { operationId: "apps/list", summary: "List", "x-ghes-since": "3.2" },
      delete: {
        operationId: "apps/remove",
        deprecated: true,
        security: [{ jwt: [] }, { basic: [], otp: [] }],
        "x-github-previews": [{ name: "machine-man", required: true }, { name: "gambit" }],
        "x-ghes-since": "2.20",
        "x-ghes-until": "3.3",
      },
    },
    "/a": { post: { operationId: "apps/add" } },
  },
};

describe("specOperations", () => {
  it("reads every operation of a spec, sorted by operationId", () => {
    expect(specOperations(spec)).toEqual([
      { operationId: "apps/add", method: "post", path: "/a", summary: "", deprecated: false, previews: [], security: [["basic"]] },
      { operationId: "apps/list", method: "get", path: "/b", summary: "List", deprecated: false, previews: [], security: [["basic"]], since: "3.2" },
      {
        operationId: "apps/remove",
        method: "delete",
        path: "/b",
        summary: "",
        deprecated: true,
        previews: [
          { name: "machine-man", required: true },
          { name: "gambit", required: false },
        ],
        security: [["jwt"], ["basic", "otp"]],
        since: "2.20",
        until: "3.3",
      },
    ]);
  });

  it("names the operation that has no operationId or no security requirement", () => {
    expect(() => specOperations({ security: [], paths: { "/x": { put: {} } } })).toThrow(/PUT \/x has no operationId/);
    expect(() => specOperations({ paths: { "/x": { put: { operationId: "apps/x" } } } })).toThrow(/apps\/x has no security requirement/);
  });
});
