import { startEmulator, type Emulator } from "@ghes-sdk/emulator";
import { createClient, type RedisClientType } from "redis";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { startRedis, type RedisServer } from "./redis-server.js";

export interface Fixture {
  redis: RedisServer;
  /** A plain client on the test server, for looking at what is stored (errors ignored: outage tests stop the server). */
  inspect: RedisClientType;
  ghes: Emulator;
}

/**
 * A redis-server and a 2022-11-28 emulator on 127.0.0.1 for one test file: started before its tests and
 * stopped after them; with `flush`, Redis is emptied before each test. The fields are set once started.
 */
export function useRedisAndGhes({ flush = true } = {}): Fixture {
  const fixture = {} as Fixture;
  beforeAll(async () => {
    fixture.redis = await startRedis();
    fixture.inspect = createClient({ url: fixture.redis.url, disableOfflineQueue: true });
    fixture.inspect.on("error", () => undefined);
    await fixture.inspect.connect();
    fixture.ghes = await startEmulator({ era: "ghes-2022-11-28" });
  });
  afterAll(async () => {
    fixture.inspect.destroy();
    await fixture.ghes.close();
    await fixture.redis.close();
  });
  if (flush) beforeEach(async () => void (await fixture.inspect.flushAll()));
  return fixture;
}

/** Resolves once `check` holds, asking again after each turn of the event loop. */
export const until = async (check: () => boolean | Promise<boolean>): Promise<void> => {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 5));
};
