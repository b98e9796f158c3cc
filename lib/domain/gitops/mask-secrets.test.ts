import { describe, expect, it } from 'vitest';
import { maskSecretPair } from './mask-secrets';

const secret = (data: Record<string, string>, stringData?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 's', namespace: 'ns' },
  data,
  ...(stringData ? { stringData } : {}),
});

describe('maskSecretPair', () => {
  it('hides every value and keeps equal values equal', () => {
    const { live, desired } = maskSecretPair(secret({ a: 'YQ==', b: 'Yg==' }), secret({ a: 'YQ==', b: 'Yw==' }));
    expect(JSON.stringify([live, desired])).not.toMatch(/YQ==|Yg==|Yw==/);
    expect(live?.data).toEqual({ a: '++++++++', b: '++++++++' });
    expect(desired?.data).toEqual({ a: '++++++++', b: '+++++++++' });
  });

  it('compares stringData as the base64 the server stores, and drops it', () => {
    const { live, desired } = maskSecretPair(
      secret({ a: Buffer.from('x').toString('base64') }),
      secret({}, { a: 'x' }),
    );
    expect(desired?.data).toEqual({ a: '++++++++' });
    expect(desired).not.toHaveProperty('stringData');
    expect(live?.data).toEqual({ a: '++++++++' });
  });

  it('masks one-sided Secrets and leaves other kinds alone', () => {
    expect(maskSecretPair(undefined, secret({ k: 'c2VjcmV0' })).desired?.data).toEqual({ k: '+++++++++' });
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { k: 'v' } };
    expect(maskSecretPair(cm, cm).live).toBe(cm);
  });
});
