// Every operation of every era, called through its era client against the emulator: the status is the one
// the spec documents and every response the run produced validates against the era's bundled spec. Each
// operation goes to an emulator of a GHES version that serves it (the era's default when it does).
import type { EraName } from "@ghes-sdk/core";
import { afterAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../src/index.js";
import { servedIn } from "../src/spec.js";
import { call, cases, documentedSuccess } from "./support/cases.js";
import { ERAS, spec, TABLES, type TableRow } from "./support/eras.js";
import { eraClient, Fixture } from "./support/fixture.js";

describe.each(ERAS)("%s against the emulator", (era) => {
  const bundled = spec(era);
  const running = new Map<string, Promise<{ emulator: Emulator; fixture: Fixture }>>();
  const at = (version: string | undefined) => {
    const key = version ?? "default";
    if (!running.has(key)) {
      running.set(key, (async () => {
        const emulator = await startEmulator({ era, ...(version ? { ghesVersion: version } : {}) });
        return { emulator, fixture: new Fixture(emulator.state) };
      })());
    }
    return running.get(key)!;
  };
  const serverFor = async (op: TableRow) => {
    const fallback = await at(undefined);
    if (servedIn(op, fallback.emulator.ghesVersion)) return fallback;
    return at(op.until ?? op.since);
  };
  afterAll(async () => {
    for (const server of running.values()) await (await server).emulator.close();
  });

  it.each(Object.values(TABLES[era]).map((op) => [op.operationId, op] as const))("%s", async (operationId, op) => {
    const make = cases[operationId];
    expect(make, `no contract case for ${operationId} in test/support/cases.ts`).toBeDefined();
    const { emulator, fixture } = await serverFor(op);
    const c = make!(fixture);
    const { response, data, error } = await call(eraClient(era, emulator.baseUrl, c.auth), op.method, op.path, c);
    expect(response.status, JSON.stringify(error ?? data)).toBe(c.status ?? documentedSuccess(bundled, op.method, op.path));
    expect(response.headers.get("x-github-enterprise-version")).toBe(emulator.ghesVersion);
    expect(emulator.violations.filter((v) => v.operationId === operationId)).toEqual([]);
  });

  it("validated every response of the run against the spec", async () => {
    const servers = await Promise.all(running.values());
    const operations = new Set(servers.flatMap(({ emulator }) => emulator.served.map((s) => s.operationId)));
    expect(operations.size).toBe(Object.keys(TABLES[era]).length);
    expect(servers.flatMap(({ emulator }) => emulator.violations)).toEqual([]);
  });
});
