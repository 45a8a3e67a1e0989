import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Apollo's CommonJS packages load graphql's CommonJS build; tests must use the
  // same one, or graphql refuses schemas from "another" graphql module.
  resolve: {
    alias: [
      {
        find: /^graphql$/,
        replacement: fileURLToPath(new URL('node_modules/graphql/index.js', import.meta.url)),
      },
    ],
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // Domain matchers such as toBreakRule, for every unit test file.
          setupFiles: ['test/support/matchers.ts'],
        },
      },
      {
        extends: true,
        test: {
          // The web app: its logic in-process, and its pages in Chromium against one network per file.
          name: 'web',
          include: ['web/test/**/*.test.ts'],
          fileParallelism: false,
          // A page answers within a second on a quiet machine; polls wait out a busy one.
          expect: { poll: { timeout: 15_000 } },
          testTimeout: 120_000,
          hookTimeout: 240_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // Each file boots real processes and databases; 2 cores.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
