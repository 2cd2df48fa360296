// SharedWork.wait: a caller of a shared mint that waits through one then() call and holds no promise of
// its own (what the client's PREPARE wait uses). It must behave like join() for everything but that.
import type { CallEnd } from "@ghes-sdk/core";
import { describe, expect, it } from "vitest";
import { GhesRequestError } from "@ghes-sdk/core";
import { SharedWork, type Waiting } from "../src/abort.js";

const waiting: Waiting = { method: "GET", url: "https://ghes.example.com/api/v3/installation/repositories", what: "waiting for the installation token" };

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** A call's end as core gives it, ended by hand. */
function callEnd(): CallEnd & { end(reason: unknown): void } {
  let listeners: ((reason: unknown) => void)[] = [];
  let reason: unknown;
  return {
    get endReason() {
      return reason;
    },
    onEnd: (l) => void listeners.push(l),
    offEnd: (l) => void (listeners = listeners.filter((x) => x !== l)),
    end(why) {
      reason = why;
      for (const l of listeners.splice(0)) l(why);
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

/** Calls `waitable.then` once and records what each callback is given, in `heard`. */
function listen(waitable: { then(ok: (v: unknown) => unknown, fail: (e: unknown) => unknown): unknown }, heard: unknown[], how: (kind: string, x: unknown) => unknown = (kind, x) => [kind, x]) {
  waitable.then(
    (v) => heard.push(how("ready", v)),
    (e) => heard.push(how("failed", e)),
  );
}

describe("SharedWork.wait", () => {
  it("calls back once with the work's value, as join's promise resolves", async () => {
    const mint = deferred<string>();
    const work = new SharedWork(() => mint.promise);
    const heard: unknown[] = [];
    listen(work.wait(undefined, waiting), heard);
    const joined = work.join(undefined, waiting);
    mint.resolve("ghs_one");
    expect(await joined).toBe("ghs_one");
    expect(heard).toEqual([["ready", "ghs_one"]]);
  });

  it("reports the work's failure to onFailed", async () => {
    const mint = deferred<string>();
    const work = new SharedWork(() => mint.promise);
    const heard: unknown[] = [];
    listen(work.wait(undefined, waiting), heard, (kind, x) => [kind, kind === "failed" ? (x as Error).message : x]);
    mint.reject(new Error("mint refused"));
    await tick();
    expect(heard).toEqual([["failed", "mint refused"]]);
  });

  it("settled before then() was called: calls back later, never during then()", async () => {
    const work = new SharedWork(() => Promise.resolve("ghs_early"));
    const joined = work.wait(undefined, waiting);
    await tick();
    const heard: unknown[] = [];
    listen(joined, heard, (_kind, x) => x);
    expect(heard).toEqual([]);
    await tick();
    expect(heard).toEqual(["ghs_early"]);
  });

  it("can be awaited", async () => {
    const work = new SharedWork(() => Promise.resolve("ghs_awaited"));
    expect(await work.wait(undefined, waiting)).toBe("ghs_awaited");
  });

  it("leaves when its call ends, with the abort error naming the wait; the last to leave stops the work", async () => {
    let signal: AbortSignal | undefined;
    const work = new SharedWork((s) => ((signal = s), new Promise<string>(() => undefined)));
    const [first, second] = [callEnd(), callEnd()];
    const heard: unknown[] = [];
    for (const end of [first, second]) listen(work.wait(end, waiting), heard, (_kind, x) => x);
    first.end(new DOMException("timed out after 100 ms", "TimeoutError"));
    expect(heard).toHaveLength(1);
    expect(heard[0]).toBeInstanceOf(GhesRequestError);
    expect(heard[0]).toMatchObject({ code: "TIMEOUT" });
    expect(String((heard[0] as Error).message)).toContain("waiting for the installation token");
    expect(signal?.aborted).toBe(false);
    second.end(new Error("caller left"));
    expect(heard[1]).toMatchObject({ code: "ABORTED" });
    expect(signal?.aborted).toBe(true);
  });

  it("a call that has already ended is refused at once", async () => {
    const work = new SharedWork(() => new Promise<string>(() => undefined));
    const end = callEnd();
    end.end(new Error("gone"));
    await expect(work.wait(end, waiting)).rejects.toMatchObject({ code: "ABORTED" });
  });
});
