// warnOnce: process.emitWarning once per code; where there is no `process` (a browser, a worker without
// Node globals) console.warn instead — checked in a worker thread whose own global has no `process`.
import { Worker } from "node:worker_threads";
import { pathToFileURL } from "node:url";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { warnDeprecated, warnOnce } from "../src/index.js";

const warnings: (Error & { code?: string })[] = [];
const onWarning = (w: Error) => void warnings.push(w);
beforeEach(() => void process.on("warning", onWarning));
afterEach(() => {
  process.off("warning", onWarning);
  warnings.length = 0;
});
const tick = () => new Promise((r) => setImmediate(r));

it("emits once per code, with the type and code given", async () => {
  expect(warnOnce("DeprecationWarning", "GHESSDK_TEST_ONE", "first")).toBe(true);
  expect(warnOnce("DeprecationWarning", "GHESSDK_TEST_ONE", "again")).toBe(false);
  expect(warnDeprecated("@ghes-sdk/x", { operationId: "apps/old", method: "get", path: "/old", replacement: "apps/new (GET /new)" })).toBe(true);
  await tick();
  expect(warnings.map((w) => [w.name, w.code, w.message])).toEqual([
    ["DeprecationWarning", "GHESSDK_TEST_ONE", "first"],
    ["DeprecationWarning", "GHESSDK_DEP_APPS_OLD", "@ghes-sdk/x: apps/old (GET /old) is deprecated; use apps/new (GET /new) instead"],
  ]);
});

it("falls back to console.warn where there is no process", async () => {
  // The built module (dist), as a browser bundle would load it.
  const dist = pathToFileURL(join(import.meta.dirname, "../dist/deprecation.js")).href;
  const code = `
    const { parentPort } = require("node:worker_threads");
    const post = (m) => parentPort.postMessage(m);
    console.warn = (...args) => post(args.join(" "));
    delete globalThis.process;
    import(${JSON.stringify(dist)}).then((m) => {
      m.warnOnce("DeprecationWarning", "GHESSDK_TEST_NOPROC", "no process here");
      m.warnOnce("DeprecationWarning", "GHESSDK_TEST_NOPROC", "no process here");
      post("done");
    }, (e) => post("error " + e.message));
  `;
  const seen: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const worker = new Worker(code, { eval: true });
    worker.on("message", (m: string) => {
      seen.push(m);
      if (m === "done" || m.startsWith("error")) void worker.terminate().then(() => resolve());
    });
    worker.on("error", reject);
  });
  expect(seen).toEqual(["DeprecationWarning [GHESSDK_TEST_NOPROC]: no process here", "done"]);
  expect(warnings).toEqual([]);
});
