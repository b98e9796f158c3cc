import { describe, expect, it } from 'vitest';
import { hasDefaults, hasQuota, isolationPolicy, limitRangeObject, quotaObject } from './namespace-isolation';

const labels = { 'app.kubernetes.io/managed-by': 'keelson' };

describe('namespace isolation objects', () => {
  it('the NetworkPolicy: ingress from the namespace only; egress except link-local and the deny ranges, DNS kept', () => {
    const p = isolationPolicy('team-a', ['10.0.0.0/8', '169.254.0.0/16'], labels);
    expect(p.metadata).toEqual({ name: 'keelson-isolation', namespace: 'team-a', labels });
    expect(p.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(p.spec.ingress).toEqual([{ from: [{ podSelector: {} }] }]);
    expect(p.spec.egress[1]).toEqual({
      to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.0.0/16', '10.0.0.0/8'] } }],
    });
    expect(p.spec.egress[2].ports).toContainEqual({ protocol: 'UDP', port: 53 });
  });

  it('quota and defaults map to limits.*, pods, default and defaultRequest; empty ones count as none', () => {
    expect(quotaObject('n', { cpu: '4', pods: 3 }, labels).spec.hard).toEqual({ 'limits.cpu': '4', pods: '3' });
    expect(limitRangeObject('n', { limits: { memory: '1Gi' }, requests: { cpu: '10m' } }, labels).spec.limits).toEqual([
      { type: 'Container', default: { memory: '1Gi' }, defaultRequest: { cpu: '10m' } },
    ]);
    expect([hasQuota(null), hasQuota({}), hasQuota({ pods: 1 })]).toEqual([false, false, true]);
    expect([hasDefaults({ limits: {} }), hasDefaults({ requests: { cpu: '1' } })]).toEqual([false, true]);
  });
});
