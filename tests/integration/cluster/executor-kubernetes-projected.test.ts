/**
 * Sources only a cluster provides, on the real node: a projected workspace whose downwardAPI and serviceAccountToken
 * sources the kubelet fills beside files Keelson hands over through the run Secret, and a Task's projected volume
 * mixing a ConfigMap of Keelson's with a downwardAPI source (the local executor refuses both).
 */
import { describe, expect } from 'vitest';
import type { WorkspacePlan } from '@/lib/domain/pipeline/task-run-plan';
import { clusterTest as test } from './cluster';
import { realNodePlan, record, step, target, testExecutor } from './executor-kubernetes-support';
import { realNodeOrSkip } from './real-node';

const realNode = realNodeOrSkip();

describe.skipIf(!realNode)('Kubernetes executor: projected sources only a cluster provides', () => {
  test('a projected workspace and a projected Task volume show Keelson files beside downwardAPI and a token', async ({
    namespace,
  }) => {
    const { executor } = testExecutor(realNode!);
    const meta: WorkspacePlan = {
      name: 'meta',
      mountPath: '/workspace/meta',
      hostPath: '',
      readOnly: true,
      source: {
        kind: 'projected',
        files: [{ path: 'conf/app.txt', value: 'from-keelson' }],
        sources: [
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
          { serviceAccountToken: { path: 'token', expirationSeconds: 600, audience: 'keelson-test' } },
        ],
      },
    };
    const plan = realNodePlan({
      workspaces: [meta],
      volumes: [
        {
          name: 'info',
          kind: 'unsupported',
          source: 'projected.downwardAPI',
          files: [{ path: 'greeting', value: 'hello' }],
          volumeSource: {
            projected: {
              sources: [
                { configMap: { name: 'keelson-only' } },
                { downwardAPI: { items: [{ path: 'pod', fieldRef: { fieldPath: 'metadata.name' } }] } },
              ],
            },
          },
        },
      ],
      steps: [
        step('show', {
          image: 'busybox',
          volumeMounts: [{ volume: 'info', mountPath: '/info', readOnly: true }],
          script: [
            'cat /workspace/meta/conf/app.txt; echo',
            'cat /workspace/meta/namespace; echo',
            // A JWT: three base64url parts separated by dots.
            'grep -qE "^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$" /workspace/meta/token && echo token-is-a-jwt',
            'cat /info/greeting; echo',
            'cat /info/pod; echo',
          ].join('\n'),
        }),
      ],
    });
    const r = record();
    const outcome = await executor.run(plan, '/x', r.hooks, target(namespace));
    expect(outcome.status, JSON.stringify(outcome)).toBe('Succeeded');
    expect(r.text('show')).toEqual(['from-keelson', namespace, 'token-is-a-jwt', 'hello', outcome.pod?.name]);
  });
});
