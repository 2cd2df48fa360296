import { defineConfig } from "vitest/config";

// The tests start redis-server, the emulator and node processes on 127.0.0.1; on a shared 2-core machine
// under load that takes far longer than vitest's 5 s default. They wait for events, never for a time.
// One file at a time: the several-process test keeps both cores busy on its own.
export default defineConfig({
  test: { testTimeout: 30_000, fileParallelism: false },
});
