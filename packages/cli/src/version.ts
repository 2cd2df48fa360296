import { existsSync, readFileSync } from "node:fs";

// package.json is one level up from dist/, two from dist/action/ (the Action's bundle).
const file = [new URL("../package.json", import.meta.url), new URL("../../package.json", import.meta.url)].find((url) => existsSync(url));

/** This package's version, for the User-Agent. */
export const VERSION: string = file ? (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version : "0.0.0";
