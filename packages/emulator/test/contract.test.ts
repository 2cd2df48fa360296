// Every operation of every era, called through its era client against the emulator: the status is the one
// the spec documents and every response the run produced validates against the era's bundled spec.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../src/index.js";
import { call, cases, documentedSuccess } from "./support/cases.js";
import { ERAS, spec, TABLES } from "./support/eras.js";
import { eraClient, Fixture } from "./support/fixture.js";

describe.each(ERAS)("%s against the emulator", (era) => {
  let emulator: Emulator;
  let fixture: Fixture;
  const bundled = spec(era);
  beforeAll(async () => {
    emulator = await startEmulator({ era });
    fixture = new Fixture(emulator.state);
  });
  afterAll(() => emulator.close());

  it.each(Object.values(TABLES[era]).map((op) => [op.operationId, op] as const))("%s", async (operationId, op) => {
    const make = cases[operationId];
    expect(make, `no contract case for ${operationId} in test/support/cases.ts`).toBeDefined();
    const c = make!(fixture);
    const { response, data, error } = await call(eraClient(era, emulator.baseUrl, c.auth), op.method, op.path, c);
    const body = JSON.stringify(error ?? data);
    expect(response.status, body).toBe(c.status ?? documentedSuccess(bundled, op.method, op.path));
    expect(response.headers.get("x-github-enterprise-version")).toBe(emulator.ghesVersion);
    expect(emulator.violations.filter((v) => v.operationId === operationId)).toEqual([]);
  });

  it("validated every response of the run against the spec", () => {
    const operations = new Set(emulator.served.map((s) => s.operationId));
    expect(operations.size).toBe(Object.keys(TABLES[era]).length);
    expect(emulator.violations).toEqual([]);
  });
});
