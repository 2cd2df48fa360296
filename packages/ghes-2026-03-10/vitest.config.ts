import { defineConfig } from "vitest/config";

// The tests start emulators on 127.0.0.1; on a shared 2-core machine under load that takes longer than
// vitest's 5 s default. They wait for events, never for a time.
export default defineConfig({
  test: { testTimeout: 60_000, hookTimeout: 60_000 },
});
