import { expect, it } from 'vitest';
import type { TAppDiff } from '../../lib/schemas/applications';
import { formatDiff, formatResult } from './app-format';

it('prints a sync result per resource on one line', () => {
  expect(
    formatResult({
      group: 'apps',
      kind: 'Deployment',
      namespace: 'web',
      name: 'web',
      status: 'Synced',
      message: 'deployment.apps/web serverside-applied',
      syncPhase: 'Sync',
    }),
  ).toMatch(/^Sync {5}apps\/Deployment web\/web +Synced +deployment\.apps\/web serverside-applied$/);
  expect(
    formatResult({
      group: '',
      kind: 'Job',
      namespace: 'web',
      name: 'migrate',
      status: 'Synced',
      message: '',
      hookPhase: 'Succeeded',
      syncPhase: 'PreSync',
    }),
  ).toMatch(/^PreSync +Job web\/migrate +Synced \(hook Succeeded\)$/);
});

it('prints only the resources that differ, argocd style', () => {
  const diff: TAppDiff = {
    name: 'web',
    hasDiff: true,
    items: [
      {
        key: 'apps/Deployment/web/web',
        group: 'apps',
        version: 'v1',
        kind: 'Deployment',
        namespace: 'web',
        name: 'web',
        status: 'OutOfSync',
        diff: '-a\n+b\n',
      },
      {
        key: '/Service/web/web',
        group: '',
        version: 'v1',
        kind: 'Service',
        namespace: 'web',
        name: 'web',
        status: 'Synced',
        diff: '',
      },
      {
        key: '/ConfigMap/web/old',
        group: '',
        version: 'v1',
        kind: 'ConfigMap',
        namespace: 'web',
        name: 'old',
        status: 'OutOfSync',
        requiresPrune: true,
        diff: '-data: x\n',
      },
    ],
  };
  expect(formatDiff(diff)).toBe(
    '===== apps/Deployment web/web ======\n-a\n+b\n\n===== /ConfigMap web/old ====== (requires pruning)\n-data: x',
  );
});
