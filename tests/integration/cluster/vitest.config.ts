// Standalone config for the cluster tests while developing:
//   npx vitest run --config tests/integration/cluster/vitest.config.ts
// The root vitest config carries the same settings as its `cluster` project.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('../../..', import.meta.url));

export default defineConfig({
  test: {
    root,
    name: 'cluster',
    include: ['tests/integration/cluster/**/*.test.ts'],
    globalSetup: ['tests/integration/cluster/global-setup.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
