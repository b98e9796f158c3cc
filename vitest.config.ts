import path from 'node:path';
import { defineConfig } from 'vitest/config';

const alias = { '@': path.resolve(import.meta.dirname) };

/** tests/integration/pipeline-semantics-<name>.test.ts that the cluster project runs under the Kubernetes executor. */
const KUBERNETES_CONFORMANCE = [
  'steps',
  'params',
  'substitution',
  'workspaces',
  'volumes',
  'when',
  'retries',
  'timeouts',
  'cancel',
  'stepaction',
  'upstream-examples',
  'context',
  'companions',
  'companions-binary',
  'matrix',
  'propagation',
];

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
          include: [
            'tests/integration/cluster/**/*.test.ts',
            // The pipeline semantics about what steps do, again under the Kubernetes executor on the real node
            // (useHarness() picks it there); the ones about engine internals don't depend on the executor.
            ...KUBERNETES_CONFORMANCE.map((f) => `tests/integration/pipeline-semantics-${f}.test.ts`),
          ],
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
