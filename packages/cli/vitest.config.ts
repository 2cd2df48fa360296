import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // test/.project is a user's fresh project with the packed tarballs installed (global-setup.ts).
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    exclude: [...configDefaults.exclude, "test/.project/**"],
  },
});
