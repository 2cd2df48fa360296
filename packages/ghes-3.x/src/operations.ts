// One function per operation of this era (`@ghes-sdk/ghes-3.x/operations`); import only the ones you call.
export * from "./generated/functions.js";
