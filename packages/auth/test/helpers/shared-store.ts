import type { TokenCache } from "../../src/index.js";

/**
 * A TokenCache in one process's memory, for testing what auth does with one: several strategies sharing
 * it stand for several processes sharing Redis. Expiry and leases follow `Date.now()`, so fake time moves
 * them. `failing` makes every call reject, as a store that went away would.
 */
export interface MemoryStore extends TokenCache {
  readonly values: Map<string, { value: string; until: number }>;
  readonly locks: Map<string, { owner: symbol; until: number }>;
  readonly calls: { get: number; set: number; delete: number; lock: number };
  failing: boolean;
}

export function memoryStore(leaseMs = 10_000): MemoryStore {
  const values = new Map<string, { value: string; until: number }>();
  const locks = new Map<string, { owner: symbol; until: number }>();
  const calls = { get: 0, set: 0, delete: 0, lock: 0 };
  const check = async () => {
    if (store.failing) throw new Error("store unreachable");
  };
  const store: MemoryStore = {
    values,
    locks,
    calls,
    failing: false,
    async get(key) {
      calls.get++;
      await check();
      const found = values.get(key);
      return found && found.until > Date.now() ? found.value : undefined;
    },
    async set(key, value, ttlMs) {
      calls.set++;
      await check();
      values.set(key, { value, until: Date.now() + ttlMs });
    },
    async delete(key) {
      calls.delete++;
      await check();
      values.delete(key);
    },
    async lock(key) {
      calls.lock++;
      await check();
      const held = locks.get(key);
      if (held && held.until > Date.now()) return undefined;
      const owner = Symbol(key);
      locks.set(key, { owner, until: Date.now() + leaseMs });
      return async () => {
        if (locks.get(key)?.owner === owner) locks.delete(key);
      };
    },
  };
  return store;
}
