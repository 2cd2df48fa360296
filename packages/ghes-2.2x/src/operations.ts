// One function per operation of this era (`@ghes-sdk/ghes-2.2x/operations`); import only the ones you call.
export * from "./generated/functions.js";
