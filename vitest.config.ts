import path from 'node:path';
import { defineConfig } from 'vitest/config';

const alias = { '@': path.resolve(import.meta.dirname) };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['lib/**/*.test.ts', 'cli/**/*.test.ts', 'workers/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['tests/integration/*.test.ts', 'tests/integration/security/**/*.test.ts'],
          globalSetup: ['tests/integration/support/postgres-global-setup.ts'],
          pool: 'forks',
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'cluster',
          include: ['tests/integration/cluster/**/*.test.ts'],
          globalSetup: [
            'tests/integration/support/postgres-global-setup.ts',
            'tests/integration/cluster/global-setup.ts',
          ],
          pool: 'forks',
          testTimeout: 120_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
