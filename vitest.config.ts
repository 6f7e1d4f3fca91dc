import { defineConfig } from 'vitest/config';

/**
 * Five projects, one runner: `unit` (pure logic, no network), `infra` (CDK assertions and cdk-nag),
 * `integration` (real emulators on loopback), `e2e` (the whole local cloud through HTTP) and `browser` (the sites in
 * Chromium).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'packages/**/*.test.ts',
            'lambdas/**/*.test.ts',
            'containers/**/*.test.ts',
            'local/**/*.test.ts',
            'web/**/*.test.ts',
          ],
          exclude: ['**/node_modules/**'],
          env: { POWERTOOLS_LOG_LEVEL: 'SILENT' },
        },
      },
      {
        test: { name: 'infra', include: ['test/infra/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // The suites that start whole local clouds run after unit/infra and one after the other: two cores.
          sequence: { groupOrder: 1 },
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          sequence: { groupOrder: 2 },
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          // Chromium and a local cloud each: after every other suite, one file at a time.
          sequence: { groupOrder: 3 },
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
