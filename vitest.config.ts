import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Playwright specs live in e2e/ and must not be collected here.
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    // Says whether ../shared/data is there (the real-data tests skip without it).
    globalSetup: ['scripts/shared-data-note.mjs'],
  },
});
