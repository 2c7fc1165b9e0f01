import { defineConfig } from "vitest/config";

/** `npm run test:browser`: the dashboard in Debian's Chromium (playwright-core, no browser download), one file at a time. */
export default defineConfig({
  test: {
    reporters: ["default", ["json", { outputFile: ".test-results/browser.json" }]],
    include: ["test/browser/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
