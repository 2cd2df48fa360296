// One function per operation of this era (`@ghes-sdk/ghes-2022-11-28/operations`); import only the ones you call.
export * from "./generated/functions.js";
