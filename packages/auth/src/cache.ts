/**
 * A least-recently-used map with a fixed capacity. Installation tokens are cached per base URL, app,
 * installation and requested scope; a long-running process that talks to many of those must not grow
 * without bound, so the entry used longest ago goes first. A Map iterates in insertion order, so
 * re-inserting on every read keeps the oldest entry first.
 */
export class LruCache<K, V> {
  readonly #max: number;
  readonly #map = new Map<K, V>();

  constructor(max: number) {
    if (!Number.isSafeInteger(max) || max < 1) throw new RangeError("LruCache capacity must be a positive integer");
    this.#max = max;
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: K): V | undefined {
    if (!this.#map.has(key)) return undefined;
    const value = this.#map.get(key) as V;
    this.set(key, value); // re-inserted: now the newest
    return value;
  }

  /** Reads without counting as a use (for housekeeping such as revoke()). */
  peek(key: K): V | undefined {
    return this.#map.get(key);
  }

  set(key: K, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    while (this.#map.size > this.#max) {
      const oldest = this.#map.keys().next().value as K;
      this.#map.delete(oldest);
    }
  }

  delete(key: K): boolean {
    return this.#map.delete(key);
  }

  entries(): Array<[K, V]> {
    return [...this.#map.entries()];
  }
}
