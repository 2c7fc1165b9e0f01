import { defineConfig } from "vitest/config";

/** `npm run test:package`: the package as a consumer gets it (npm pack → install → tsc → bin). */
export default defineConfig({
  test: {
    reporters: ["default", ["json", { outputFile: ".test-results/package.json" }]],
    include: ["test/package/**/*.test.ts"],
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
