import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  // test/.readme holds the README's example as a user's project; readme.test.ts runs it with its own vitest.
  test: { testTimeout: 30_000, hookTimeout: 60_000, exclude: [...configDefaults.exclude, "test/.readme/**"] },
});
