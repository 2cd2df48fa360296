#!/usr/bin/env node
// The `ghes-sdk` bin: one command per word, each with --help; exit 0 on success, 1 for a failure of the API
// (or of a file), 2 for usage.
import { describe, exitCodeOf } from "./errors.js";
import { main } from "./main.js";
import { processIo } from "./io.js";

const io = processIo();
main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    io.err(`ghes-sdk: ${describe(error)}`);
    process.exitCode = exitCodeOf(error);
  },
);
