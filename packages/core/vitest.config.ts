import { defineConfig } from "vitest/config";

// The tests talk to real servers on 127.0.0.1; on a shared 2-core machine under load a test that takes
// 300 ms alone has taken over 5 s (vitest's default budget). Timing assertions that matter (an aborted
// caller back within 50 ms) are measured inside the tests, not by this budget.
export default defineConfig({
  test: { testTimeout: 30_000 },
});
