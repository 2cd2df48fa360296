// One function per operation of this era (`@ghes-sdk/ghes-2026-03-10/operations`); import only the ones you call.
export * from "./generated/functions.js";
