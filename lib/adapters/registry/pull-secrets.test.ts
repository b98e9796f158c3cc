import { describe, expect, it } from 'vitest';
import { pullSecretConfig } from './pull-secrets';

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64');
const auths = { 'ghcr.io': { auth: b64('u:p') } };

describe('pullSecretConfig', () => {
  it('reads kubernetes.io/dockerconfigjson and the legacy dockercfg', () => {
    expect(
      pullSecretConfig({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64({ auths }) } }),
    ).toEqual({ auths });
    expect(pullSecretConfig({ type: 'kubernetes.io/dockercfg', data: { '.dockercfg': b64(auths) } })).toEqual({
      auths,
    });
  });

  it('returns null for other or malformed secrets', () => {
    expect(pullSecretConfig({ type: 'Opaque', data: { token: b64('x') } })).toBeNull();
    expect(
      pullSecretConfig({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{') } }),
    ).toBeNull();
    expect(
      pullSecretConfig({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64([1]) } }),
    ).toBeNull();
    expect(pullSecretConfig({ type: 'kubernetes.io/dockerconfigjson' })).toBeNull();
    expect(
      pullSecretConfig({
        type: 'kubernetes.io/dockerconfigjson',
        data: { '.dockerconfigjson': 'A'.repeat(2_000_000) },
      }),
    ).toBeNull();
  });
});
