import { defineConfig } from "vitest/config";

// One emulator for the whole run; each test file gets a namespace of its own (useEmulator).
export default defineConfig({
  test: {
    include: ["examples/vitest/**/*.test.ts"],
    globalSetup: ["thoughtspot-channels-emulator/vitest/setup"],
  },
});
