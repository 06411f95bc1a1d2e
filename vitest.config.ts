import { defineConfig } from "vitest/config";

// One configuration for the whole workspace. Sibling packages are imported from their sources
// (the "@stratus/source" export condition), so tests never need a build first.
const resolve = { conditions: ["@stratus/source"] };
const ssr = { resolve: { conditions: ["@stratus/source"], externalConditions: ["@stratus/source"] } };

export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        ssr,
        test: {
          name: "unit",
          include: ["packages/*/src/**/*.test.ts"],
          testTimeout: 10_000,
        },
      },
      {
        resolve,
        ssr,
        test: {
          name: "integration",
          include: ["packages/*/test/**/*.test.ts", "examples/**/*.test.ts"],
          globalSetup: ["scripts/harness/vitest-global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
