import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { EraName, OperationInfo } from "@ghes-sdk/core";
import { operationTable as ops22 } from "@ghes-sdk/ghes-2.2x";
import { operationTable as ops2022 } from "@ghes-sdk/ghes-2022-11-28";
import { operationTable as ops3 } from "@ghes-sdk/ghes-3.x";

const require = createRequire(import.meta.url);

/** Each era's generated operations table: what the contract suites run. */
export const TABLES: Record<EraName, Readonly<Record<string, OperationInfo>>> = { "ghes-2.2x": ops22, "ghes-3.x": ops3, "ghes-2022-11-28": ops2022 };
export const ERAS = Object.keys(TABLES) as EraName[];

export const specFile = (era: EraName): string => require.resolve(`@ghes-sdk/${era}/openapi.json`);
export const spec = (era: EraName): any => JSON.parse(readFileSync(specFile(era), "utf8"));
