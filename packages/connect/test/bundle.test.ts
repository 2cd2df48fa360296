// Which eras end up in a program's bundle (esbuild, minified ESM): the same measurement as
// `node bench/lib/connect-bundles.mjs`, whose table the README quotes.
import { eraRanges } from "@ghes-sdk/core";
import { describe, expect, it } from "vitest";
import { connectBundle, connectBundles, connectPrograms, connectTable } from "../../../bench/lib/connect-bundles.mjs";

const [every, oneEra, oneEraParts, direct] = Object.values(connectPrograms) as [string, string, string, string];
const ERAS = eraRanges.map((r) => r.era).sort();

describe("bundles", () => {
  it("a program that narrows to one era with createConnect bundles that era only", async () => {
    expect((await connectBundle(oneEra)).eras).toEqual(["ghes-2022-11-28"]);
    expect((await connectBundle(oneEraParts)).eras).toEqual(["ghes-2022-11-28"]);
  });

  it("connect() bundles every era in one file, and loads only the server's era when the bundler splits code", async () => {
    expect((await connectBundle(every)).eras).toEqual(ERAS);
    const split = await connectBundle(every, { splitting: true });
    expect(split.eras).toEqual(ERAS);
    expect(split.loaded.eras).toEqual(["ghes-2022-11-28"]);
    expect(split.loaded.min).toBeLessThan(split.total.min);
  });

  it("prints the figures (min / gzip)", async () => {
    const rows = await connectBundles();
    console.log(connectTable(rows));
    const size = (name: string) => rows.find((r: { name: string; splitting: boolean }) => r.name === name && !r.splitting)!.total.min;
    const names = Object.keys(connectPrograms);
    // Narrowing to one era makes a smaller program; detection itself costs something over a bare client.
    expect(size(names[1]!)).toBeLessThan(size(names[0]!));
    expect(size(names[3]!)).toBeLessThan(size(names[2]!));
    expect(direct).toContain("createClient");
  });
});
