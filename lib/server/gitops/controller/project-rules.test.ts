import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@/lib/domain/gitops';
import { projectResourcesOf } from './project-rules';

const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' } };
const role: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' } };

describe('projectResourcesOf', () => {
  it('takes the scope from discovery, and a kind the cluster does not serve from whether it names a namespace', async () => {
    const lookup = async (_: string, kind: string) => (kind === 'Service' ? { namespaced: true } : undefined);
    const { resources, errors } = await projectResourcesOf(lookup, 'team-a', [service, role]);
    expect(errors).toEqual([]);
    expect(resources).toEqual([
      { group: '', kind: 'Service', name: 'web', namespace: 'team-a', namespaced: true },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'r', namespace: '', namespaced: false },
    ]);
  });

  it('does not guess when discovery fails: a namespaced Service must not pass as cluster-scoped', async () => {
    const lookup = async () => {
      throw new Error('connect ECONNREFUSED');
    };
    const { errors } = await projectResourcesOf(lookup, 'team-a', [service]);
    expect(errors).toEqual(['v1 Service: connect ECONNREFUSED']);
  });
});
