import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { EraName, OperationInfo } from "@ghes-sdk/core";
import { operationTable as ops22 } from "@ghes-sdk/ghes-2.2x";
import { operationTable as ops2022 } from "@ghes-sdk/ghes-2022-11-28";
import { operationTable as ops3 } from "@ghes-sdk/ghes-3.x";

const require = createRequire(import.meta.url);

/** An operations-table row with its operationId (the table's key). */
export type TableRow = OperationInfo & { readonly operationId: string };
const withIds = (table: Readonly<Record<string, OperationInfo>>): Readonly<Record<string, TableRow>> =>
  Object.fromEntries(Object.entries(table).map(([operationId, op]) => [operationId, { ...op, operationId }]));

/** Each era's generated operations table: what the contract suites run. */
export const TABLES: Record<EraName, Readonly<Record<string, TableRow>>> = {
  "ghes-2.2x": withIds(ops22),
  "ghes-3.x": withIds(ops3),
  "ghes-2022-11-28": withIds(ops2022),
};
export const ERAS = Object.keys(TABLES) as EraName[];

export const specFile = (era: EraName): string => require.resolve(`@ghes-sdk/${era}/openapi.json`);
export const spec = (era: EraName): any => JSON.parse(readFileSync(specFile(era), "utf8"));
