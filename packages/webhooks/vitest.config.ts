import { defineConfig } from "vitest/config";

// The tests talk to real servers on 127.0.0.1; a busy 2-core machine can make one take seconds.
export default defineConfig({
  test: { testTimeout: 30_000 },
});
