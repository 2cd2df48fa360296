// SharedWork.join: callers of one shared mint, each leaving alone when its own request's signal fires;
// the work is told to stop only when every caller has left.
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

const settle = (p: Promise<unknown>) => p.then((v) => ["ready", v], (e: unknown) => ["failed", e]);

describe("SharedWork.join", () => {
  it("gives every caller the work's value, from one run", async () => {
    const mint = deferred<string>();
    let runs = 0;
    const work = new SharedWork(() => (runs++, mint.promise));
    const joined = [work.join(undefined, waiting), work.join(new AbortController().signal, waiting)];
    mint.resolve("ghs_one");
    expect(await Promise.all(joined)).toEqual(["ghs_one", "ghs_one"]);
    expect(runs).toBe(1);
  });

  it("gives every caller the work's failure", async () => {
    const mint = deferred<string>();
    const work = new SharedWork(() => mint.promise);
    const joined = settle(work.join(undefined, waiting));
    mint.reject(new Error("mint refused"));
    const [kind, error] = await joined;
    expect(kind).toBe("failed");
    expect((error as Error).message).toBe("mint refused");
  });

  it("a caller whose signal fires leaves with the abort error naming the wait; the last to leave stops the work", async () => {
    let signal: AbortSignal | undefined;
    const work = new SharedWork((s) => ((signal = s), new Promise<string>(() => undefined)));
    const [first, second] = [new AbortController(), new AbortController()];
    const joined = [settle(work.join(first.signal, waiting)), settle(work.join(second.signal, waiting))];
    first.abort(new DOMException("timed out after 100 ms", "TimeoutError"));
    const [kind, error] = await joined[0]!;
    expect(kind).toBe("failed");
    expect(error).toBeInstanceOf(GhesRequestError);
    expect(error).toMatchObject({ code: "TIMEOUT" });
    expect(String((error as Error).message)).toContain("waiting for the installation token");
    expect(signal?.aborted).toBe(false);
    expect(work.abandoned).toBe(false);
    second.abort(new Error("caller left"));
    expect((await joined[1]!)[1]).toMatchObject({ code: "ABORTED" });
    expect(signal?.aborted).toBe(true);
    expect(work.abandoned).toBe(true);
  });

  it("removes its listener from a long-lived signal once the work is over", async () => {
    const controller = new AbortController();
    const added: unknown[] = [];
    const removed: unknown[] = [];
    const signal = controller.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((type: string, l: EventListener, o?: AddEventListenerOptions) => (added.push(l), add(type, l, o))) as never;
    signal.removeEventListener = ((type: string, l: EventListener) => (removed.push(l), remove(type, l))) as never;
    const work = new SharedWork(() => Promise.resolve("ghs_done"));
    expect(await work.join(signal, waiting)).toBe("ghs_done");
    expect(added).toHaveLength(1);
    expect(removed).toEqual(added);
  });

  it("a caller whose request has already ended is refused at once", async () => {
    const work = new SharedWork(() => new Promise<string>(() => undefined));
    await expect(work.join(AbortSignal.abort(new Error("gone")), waiting)).rejects.toMatchObject({ code: "ABORTED" });
  });
});
