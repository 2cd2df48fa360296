// The contract cases again, through Prism started from each era's bundled spec as a validating proxy in
// front of an emulator: any violation Prism reports (request or response) fails the operation's test.
// One Prism per era for the whole file, started together.
import type { EraName } from "@ghes-sdk/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../src/index.js";
import { call, cases, documentedSuccess } from "./support/cases.js";
import { ERAS, spec, specFile, TABLES } from "./support/eras.js";
import { eraClient, Fixture } from "./support/fixture.js";
import { startPrismProxy, type PrismProxy } from "./support/prism.js";

const servers = new Map<EraName, { emulator: Emulator; prism: PrismProxy; fixture: Fixture }>();

beforeAll(async () => {
  await Promise.all(
    ERAS.map(async (era) => {
      // Prism checks the spec, not versions: one server with the era's whole surface.
      const emulator = await startEmulator({ era, allVersions: true });
      const prism = await startPrismProxy(specFile(era), emulator.baseUrl);
      servers.set(era, { emulator, prism, fixture: new Fixture(emulator.state) });
    }),
  );
}, 180_000);
afterAll(async () => {
  await Promise.all([...servers.values()].flatMap(({ emulator, prism }) => [prism.close(), emulator.close()]));
});

describe.each(ERAS)("%s through Prism", (era) => {
  const bundled = spec(era);
  it.each(Object.values(TABLES[era]).map((op) => [op.operationId, op] as const))("%s", async (operationId, op) => {
    const make = cases[operationId];
    expect(make, `no contract case for ${operationId} in test/support/cases.ts`).toBeDefined();
    const { prism, fixture, emulator } = servers.get(era)!;
    const c = make!(fixture);
    const { response, data, error } = await call(eraClient(era, prism.baseUrl, c.auth), op.method, op.path, c);
    expect(response.headers.get("sl-violations"), "Prism reported violations").toBeNull();
    expect(response.status, JSON.stringify(error ?? data)).toBe(c.status ?? documentedSuccess(bundled, op.method, op.path));
    expect(emulator.served.at(-1)?.operationId).toBe(operationId);
  });
});
