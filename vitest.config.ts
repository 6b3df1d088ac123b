import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'services/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts', 'test/console/support/build-console.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: more workers than that only adds contention on the shared MariaDB.
    maxWorkers: 2,
  },
});
