import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (domain, store, API, CLI, renderer sync, against real PGlite on temporary
 * folders and real Yjs) and `e2e` (Debian's Chromium driving the browser host; needs `npm run build`).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**'],
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 90_000,
          hookTimeout: 90_000,
          fileParallelism: false,
          pool: 'forks',
        },
      },
    ],
  },
});
