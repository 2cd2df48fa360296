import { describe, expect, it } from "vitest";
import { LruCache } from "../src/cache.js";

describe("LruCache", () => {
  it("evicts the least recently used entry beyond its capacity", () => {
    const cache = new LruCache<string, number>(2);
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")).toBe(1); // a becomes most recent
    cache.set("c", 3);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.entries()).toEqual([["a", 1], ["c", 3]]);
    expect(cache.size).toBe(2);
  });

  it("peek does not count as a use; set on an existing key refreshes it", () => {
    const cache = new LruCache<string, number>(2);
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.peek("a")).toBe(1);
    cache.set("c", 3);
    expect(cache.peek("a")).toBeUndefined();
    cache.set("b", 20);
    cache.set("d", 4);
    expect(cache.entries()).toEqual([["b", 20], ["d", 4]]);
  });

  it("delete removes; a capacity below 1 is refused", () => {
    const cache = new LruCache<string, number>(1);
    cache.set("a", 1);
    expect(cache.delete("a")).toBe(true);
    expect(cache.delete("a")).toBe(false);
    expect(() => new LruCache(0)).toThrow(RangeError);
    expect(() => new LruCache(1.5)).toThrow(RangeError);
  });
});
