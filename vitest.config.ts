import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    reporters: ["default", ["json", { outputFile: ".test-results/unit.json" }]],
    include: ["test/**/*.test.ts"],
    exclude: ["test/reliability/**", "test/package/**", "test/browser/**"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
