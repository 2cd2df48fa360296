import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { eraRanges, type EraName, type OperationInfo } from "@ghes-sdk/core";

const require = createRequire(import.meta.url);

/** An operations-table row with its operationId (the table's key). */
export type TableRow = OperationInfo & { readonly operationId: string };
const withIds = (table: Readonly<Record<string, OperationInfo>>): Readonly<Record<string, TableRow>> =>
  Object.fromEntries(Object.entries(table).map(([operationId, op]) => [operationId, { ...op, operationId }]));

/** Each era's generated operations table (every era of core's list, loaded by name): what the contract suites run. */
export const TABLES = Object.fromEntries(
  await Promise.all(
    eraRanges.map(async ({ era, packageName }) => [era, withIds(((await import(packageName)) as { operationTable: Readonly<Record<string, OperationInfo>> }).operationTable)] as const),
  ),
) as Record<EraName, Readonly<Record<string, TableRow>>>;
export const ERAS = Object.keys(TABLES) as EraName[];

export const specFile = (era: EraName): string => require.resolve(`@ghes-sdk/${era}/openapi.json`);
export const spec = (era: EraName): any => JSON.parse(readFileSync(specFile(era), "utf8"));
