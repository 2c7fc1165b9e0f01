import { defineConfig } from "vitest/config";

/** `npm run test:browser`: tests in headless Chromium (Debian's package, driven by playwright-core). */
export default defineConfig({
  test: {
    reporters: ["default", ["json", { outputFile: ".test-results/browser.json" }]],
    include: ["test/browser/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
